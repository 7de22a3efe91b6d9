#include "events/EventHub.h"

#include "base/Clock.h"

#include <QDateTime>
#include <QJsonDocument>

namespace ck::events {

EventHub::EventHub(asio::any_io_executor executor, std::size_t historySize,
                   std::size_t historyBytes)
    : m_executor(std::move(executor)), m_historySize(std::max<std::size_t>(historySize, 1)),
      m_historyBytes(historyBytes),
      // Ids keep rising across restarts (milliseconds since 1970, times 1000), so an id a client
      // kept from before a restart is recognised as older than anything in the history.
      m_nextId(quint64(Clock::system().now().toMSecsSinceEpoch()) * 1000) {}

void EventHub::publish(const char* type, const QString& itemId, const QJsonObject& data) {
    auto event = std::make_shared<ServiceEvent>();
    event->type = type;
    event->itemId = itemId;
    // JSON from QJsonDocument::Compact never contains a raw newline, so one data line suffices.
    const QByteArray json = QJsonDocument(data).toJson(QJsonDocument::Compact);
    {
        std::lock_guard lock(m_mutex);
        event->id = ++m_nextId;
        event->sse = "id: " + QByteArray::number(event->id) + "\nevent: " + event->type +
                     "\ndata: " + json + "\n\n";
        event->bytesBefore = m_publishedBytes;
        m_publishedBytes += quint64(event->sse.size());
        m_heldBytes += std::size_t(event->sse.size());
        m_history.push_back(std::move(event));
        // The newest event is always kept, however large, so a reader can make progress.
        while (m_history.size() > 1 &&
               (m_history.size() > m_historySize || m_heldBytes > m_historyBytes)) {
            m_heldBytes -= std::size_t(m_history.front()->sse.size());
            m_history.pop_front();
        }
    }
    asio::post(m_executor, [this] { wakeWaiters(); });
}

EventHub::Backlog EventHub::since(quint64 afterId, std::size_t maxBytes) const {
    Backlog backlog;
    std::lock_guard lock(m_mutex);
    backlog.reloadPoint = m_nextId;
    // An id this service never gave (a clock set back across a restart) or one from before a
    // restart with nothing published since: events were lost, and waiting for ids above it
    // would either never end or, as a busy loop, never sleep.
    if (afterId > m_nextId || m_history.empty()) {
        backlog.missedSome = afterId != m_nextId;
        return backlog;
    }
    const quint64 oldest = m_history.front()->id;
    backlog.missedSome = afterId + 1 < oldest;
    if (backlog.missedSome)
        backlog.reloadPoint = oldest - 1;
    // Ids are consecutive, so the first event to send is found by arithmetic.
    const std::size_t skip = afterId < oldest ? 0 : std::size_t(afterId - oldest + 1);
    if (skip < m_history.size()) {
        backlog.pendingEvents = m_history.size() - skip;
        backlog.pendingBytes = m_publishedBytes - m_history[skip]->bytesBefore;
    }
    std::size_t taken = 0;
    for (std::size_t i = skip; i < m_history.size() && (backlog.events.empty() || taken < maxBytes);
         ++i) {
        backlog.events.push_back(m_history[i]);
        taken += std::size_t(m_history[i]->sse.size());
    }
    return backlog;
}

quint64 EventHub::lastId() const {
    std::lock_guard lock(m_mutex);
    return m_nextId;
}

EventHub::Held EventHub::held() const {
    std::lock_guard lock(m_mutex);
    return {m_history.size(), m_heldBytes};
}

awaitable<void> EventHub::waitForNewerThan(quint64 afterId, std::chrono::milliseconds timeout) {
    if (m_shutDown || lastId() > afterId)
        co_return;
    asio::steady_timer timer(m_executor, timeout);
    m_waiters.insert(&timer);
    ErrorCode ec;
    co_await timer.async_wait(asio::redirect_error(use_awaitable, ec));
    m_waiters.erase(&timer);
}

void EventHub::wakeWaiters() {
    for (auto* timer : m_waiters)
        timer->cancel();
}

void EventHub::shutdown() {
    m_shutDown = true;
    wakeWaiters();
}

} // namespace ck::events
