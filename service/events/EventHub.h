#pragma once
// The service's live events, served to the app and CLI as Server-Sent Events (GET /api/events):
// `progress` (a step of a running request), `itemUpdated` (an item saved or deleted) and `log`
// (a line of an item's log). Each event gets the next id; the newest `historySize` are kept so
// a client that reconnects with Last-Event-ID receives what it missed. A client whose id is
// older than the history (or from before a restart) is told to reload instead.
//
// publish() may be called from any thread (the store thread reports saves); readers and waiters
// live on the network thread.

#include "http/Asio.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <deque>
#include <memory>
#include <mutex>
#include <set>
#include <vector>

namespace ck {

struct ServiceEvent {
    quint64 id = 0;
    QByteArray type; // "progress", "itemUpdated", "log"
    QString itemId;
    QByteArray data; // compact JSON

    // The event as one SSE frame: "id: ...\nevent: ...\ndata: ...\n\n".
    QByteArray frame() const;
};

namespace event_types {
inline constexpr const char* kProgress = "progress";
inline constexpr const char* kItemUpdated = "itemUpdated";
inline constexpr const char* kLog = "log";
} // namespace event_types

class EventHub {
public:
    EventHub(asio::any_io_executor executor, std::size_t historySize = 4096);

    void publish(const char* type, const QString& itemId, const QJsonObject& data);

    struct Backlog {
        std::vector<std::shared_ptr<const ServiceEvent>> events; // oldest first
        bool missedSome = false; // events after `afterId` were already dropped from the history
        // With missedSome: where a client that reloads stands (just before `events`).
        quint64 reloadPoint = 0;
    };
    Backlog since(quint64 afterId) const;
    quint64 lastId() const;

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
    mutable std::mutex m_mutex;
    std::deque<std::shared_ptr<const ServiceEvent>> m_history;
    quint64 m_nextId;
    // Network thread only.
    std::set<asio::steady_timer*> m_waiters;
    bool m_shutDown = false;
};

} // namespace ck
