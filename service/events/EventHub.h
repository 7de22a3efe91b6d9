#pragma once
// The service's live events, served to the app and CLI as Server-Sent Events (GET /api/events):
// `progress` (a step of a running request), `itemUpdated` (an item saved or deleted) and `log`
// (a line of an item's log). Each event gets the next id; the newest ones are kept (at most
// `historySize` events and `historyBytes` of frames) so a client that reconnects with
// Last-Event-ID receives what it missed. A client whose id is older than the history (or from
// before a restart) is told to reload instead.
//
// The history is the only copy of an event: each event's frame is made once when it is
// published and every stream reads it from here (EventReader), so a thousand streams cost no
// more than one.
//
// publish() may be called from any thread (the store thread reports saves); readers and waiters
// live on the network thread.

#include "base/Async.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <deque>
#include <memory>
#include <mutex>
#include <set>
#include <vector>

namespace ck::events {

struct ServiceEvent {
    quint64 id = 0;
    QByteArray type; // "progress", "itemUpdated", "log"
    QString itemId;
    // The event as one SSE frame: "id: ...\nevent: ...\ndata: <compact JSON>\n\n".
    QByteArray sse;
    // Frame bytes of every event published before this one: how far behind a reader is, in
    // bytes, is a subtraction.
    quint64 bytesBefore = 0;

    const QByteArray& frame() const { return sse; }
};

namespace event_types {
inline constexpr const char* kProgress = "progress";
inline constexpr const char* kItemUpdated = "itemUpdated";
inline constexpr const char* kLog = "log";
} // namespace event_types

class EventHub {
public:
    EventHub(asio::any_io_executor executor, std::size_t historySize = 4096,
             std::size_t historyBytes = 16 * 1024 * 1024);

    void publish(const char* type, const QString& itemId, const QJsonObject& data);

    struct Backlog {
        std::vector<std::shared_ptr<const ServiceEvent>> events; // oldest first
        bool missedSome = false; // events after `afterId` were already dropped from the history
        // With missedSome: where a client that reloads stands (just before `events`).
        quint64 reloadPoint = 0;
        // Everything published after `afterId` (missed events excluded): how far behind a
        // reader standing at `afterId` is.
        quint64 pendingEvents = 0;
        quint64 pendingBytes = 0;
    };
    // Events after `afterId`, oldest first, stopping once `maxBytes` of frames are taken (at
    // least one event is, however large).
    Backlog since(quint64 afterId, std::size_t maxBytes = SIZE_MAX) const;
    quint64 lastId() const;

    // What the history holds: the only copies of events the service keeps.
    struct Held {
        std::size_t events = 0;
        std::size_t bytes = 0;
    };
    Held held() const;

    // Waits until an event newer than `afterId` exists, the timeout passes, or the hub shuts
    // down. Call on the network thread.
    awaitable<void> waitForNewerThan(quint64 afterId, std::chrono::milliseconds timeout);
    // Wakes every waiter for good: the service is stopping.
    void shutdown();
    bool isShutDown() const { return m_shutDown; }

private:
    void wakeWaiters();

    asio::any_io_executor m_executor;
    std::size_t m_historySize;
    std::size_t m_historyBytes;
    mutable std::mutex m_mutex;
    std::deque<std::shared_ptr<const ServiceEvent>> m_history;
    std::size_t m_heldBytes = 0;
    quint64 m_publishedBytes = 0;
    quint64 m_nextId;
    // Network thread only.
    std::set<asio::steady_timer*> m_waiters;
    bool m_shutDown = false;
};

} // namespace ck::events
