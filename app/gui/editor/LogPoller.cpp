#include "LogPoller.h"

#include "ApiClient.h"
#include "FormSupport.h"
#include "ItemLogModel.h"

#include <QTimer>

namespace ck::gui {

LogPoller::LogPoller(ApiClient* client, QString itemId, QObject* parent)
    : QObject(parent), m_client(client), m_itemId(std::move(itemId)), m_timer(new QTimer(this)) {
    m_timer->setInterval(kIntervalMs);
    connect(m_timer, &QTimer::timeout, this, &LogPoller::poll);
}

void LogPoller::start() {
    if (m_timer->isActive())
        return;
    m_timer->start();
    poll();
}

void LogPoller::stop() {
    m_timer->stop();
}

bool LogPoller::isRunning() const {
    return m_timer->isActive();
}

void LogPoller::poll() {
    if (m_inFlight || m_itemId.isEmpty())
        return; // a slow answer is not overtaken by the next question
    m_inFlight = true;
    m_client->itemLog(
        m_itemId, kTailLines, this,
        [this](const QList<LogEntry>& tail) {
            m_inFlight = false;
            const auto added = m_loadedOnce ? newLogEntries(m_known, tail) : std::nullopt;
            m_loadedOnce = true;
            if (!added) {
                m_known = tail;
                Q_EMIT replaced(tail);
            } else if (!added->isEmpty()) {
                m_known.append(*added);
                // Only the overlap is needed to find the next new lines.
                if (m_known.size() > kTailLines)
                    m_known = m_known.mid(m_known.size() - kTailLines);
                Q_EMIT appended(*added);
            }
        },
        [this](const ApiError& error) {
            m_inFlight = false;
            Q_EMIT failed(describeError(error));
        });
}

} // namespace ck::gui
