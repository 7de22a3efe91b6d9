#include "gui/editor/ItemLogFeed.h"

#include "client/ApiClient.h"
#include "client/EventStream.h"
#include "gui/FormSupport.h"
#include "gui/editor/ItemLogModel.h"

#include <QTimer>

#include <utility>

namespace ck::gui {

ItemLogFeed::ItemLogFeed(ApiClient* client, QString itemId, QObject* parent)
    : QObject(parent), m_client(client), m_itemId(std::move(itemId)),
      m_stream(new EventStream(client, this)), m_poll(new QTimer(this)) {
    m_stream->setItemFilter(m_itemId);
    m_poll->setInterval(kFallbackInterval);
    connect(m_poll, &QTimer::timeout, this, &ItemLogFeed::readHistory);
    connect(m_stream, &EventStream::logEntry, this, &ItemLogFeed::eventArrived);
    connect(m_stream, &EventStream::connected, this, [this] {
        m_poll->stop();
        Q_EMIT liveChanged(true, {});
        // Lines written before the stream opened come only with a history read after it.
        if (m_reading)
            m_readAgain = true;
        else
            readHistory();
    });
    connect(m_stream, &EventStream::resetRequested, this, [this] {
        if (m_reading)
            m_readAgain = true;
        else
            readHistory();
    });
    connect(m_stream, &EventStream::disconnected, this, [this](const ApiError& why) {
        if (m_running)
            m_poll->start();
        Q_EMIT liveChanged(false, why.detail);
    });
}

void ItemLogFeed::start() {
    if (m_running || m_itemId.isEmpty())
        return;
    m_running = true;
    m_stream->start();
    readHistory(); // at once, whether or not the stream opens
    if (!m_stream->isConnected())
        m_poll->start();
}

void ItemLogFeed::stop() {
    m_running = false;
    m_stream->stop(); // it resumes from its last event when started again
    m_poll->stop();
    m_held.clear(); // the next start reads the history again: they are in it
}

bool ItemLogFeed::isLive() const {
    return m_stream->isConnected();
}

void ItemLogFeed::setFallbackInterval(std::chrono::milliseconds interval) {
    m_poll->setInterval(interval);
}

std::chrono::milliseconds ItemLogFeed::fallbackInterval() const {
    return m_poll->intervalAsDuration();
}

void ItemLogFeed::readHistory() {
    if (m_reading)
        return; // a slow answer is not overtaken by the next question
    m_reading = true;
    ++m_historyReads;
    m_client->itemLog(
        m_itemId, kTailLines, this, [this](const QList<LogEntry>& tail) { historyRead(tail); },
        [this](const ApiError& error) {
            m_reading = false;
            m_readAgain = false; // the next (re)connection or poll tries again
            Q_EMIT failed(describeError(error));
            deliverEvents(std::exchange(m_held, {}));
        });
}

void ItemLogFeed::historyRead(const QList<LogEntry>& tail) {
    m_reading = false;
    const auto added = m_readOnce ? newLogEntries(m_known, tail) : std::nullopt;
    m_readOnce = true;
    if (!added) {
        m_known = tail;
        Q_EMIT replaced(tail);
    } else if (!added->isEmpty()) {
        remember(*added);
        Q_EMIT appended(*added);
    }
    m_mayRepeat = tail;
    if (m_readAgain) { // read before the stream opened: the events held may not be in it
        m_readAgain = false;
        readHistory();
        return;
    }
    if (m_running)
        deliverEvents(std::exchange(m_held, {}));
}

void ItemLogFeed::eventArrived(const QString& itemId, const LogEntry& entry) {
    if (itemId != m_itemId)
        return;
    if (m_reading)
        m_held.append(entry);
    else
        deliverEvents({entry});
}

void ItemLogFeed::deliverEvents(const QList<LogEntry>& events) {
    QList<LogEntry> fresh;
    for (const LogEntry& entry : events) {
        if (!m_mayRepeat.isEmpty()) {
            // Older than all of the history read after it: in it, or older than what is shown
            // (more lines were written meanwhile than one read returns).
            if (entry.time.isValid() && entry.time < m_mayRepeat.first().time)
                continue;
            const qsizetype at = m_mayRepeat.indexOf(entry);
            if (at >= 0) { // shown already with the history
                m_mayRepeat.remove(0, at + 1);
                continue;
            }
            m_mayRepeat.clear(); // a line the history did not have: all later ones are new too
        }
        fresh.append(entry);
    }
    if (fresh.isEmpty())
        return;
    remember(fresh);
    Q_EMIT appended(fresh);
}

void ItemLogFeed::remember(const QList<LogEntry>& entries) {
    m_known.append(entries);
    // Only the newest lines are needed to find where the next history continues.
    if (m_known.size() > kTailLines)
        m_known = m_known.mid(m_known.size() - kTailLines);
}

} // namespace ck::gui
