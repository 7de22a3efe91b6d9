#include "EventHub.h"

#include <QDateTime>
#include <QJsonDocument>

namespace ck {

QByteArray ServiceEvent::frame() const {
    // JSON from QJsonDocument::Compact never contains a raw newline, so one data line suffices.
    return "id: " + QByteArray::number(id) + "\nevent: " + type + "\ndata: " + data + "\n\n";
}

EventHub::EventHub(asio::any_io_executor executor, std::size_t historySize)
    : m_executor(std::move(executor)), m_historySize(std::max<std::size_t>(historySize, 1)),
      // Ids keep rising across restarts (milliseconds since 1970, times 1000), so an id a client
      // kept from before a restart is recognised as older than anything in the history.
      m_nextId(quint64(QDateTime::currentMSecsSinceEpoch()) * 1000) {}

void EventHub::publish(const char* type, const QString& itemId, const QJsonObject& data) {
    auto event = std::make_shared<ServiceEvent>();
    event->type = type;
    event->itemId = itemId;
    event->data = QJsonDocument(data).toJson(QJsonDocument::Compact);
    {
        std::lock_guard lock(m_mutex);
        event->id = ++m_nextId;
        m_history.push_back(std::move(event));
        if (m_history.size() > m_historySize)
            m_history.pop_front();
    }
    asio::post(m_executor, [this] { wakeWaiters(); });
}

EventHub::Backlog EventHub::since(quint64 afterId) const {
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
    for (std::size_t i = skip; i < m_history.size(); ++i)
        backlog.events.push_back(m_history[i]);
    return backlog;
}

quint64 EventHub::lastId() const {
    std::lock_guard lock(m_mutex);
    return m_nextId;
}

awaitable<void> EventHub::waitForNewerThan(quint64 afterId, std::chrono::milliseconds timeout) {
    if (m_shutDown || lastId() > afterId)
        co_return;
    asio::steady_timer timer(m_executor, timeout);
    m_waiters.insert(&timer);
    beast::error_code ec;
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

} // namespace ck
