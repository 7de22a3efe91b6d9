#pragma once
// Brings one certificate's log to the Log tab: its history (the newest kTailLines lines), then
// every new line as the service writes it, through the service's live events
// (GET /api/events?itemId=…, the "log" event).
//
// No line is missed and none is shown twice: each time the stream (re)connects, or the service
// says it could not replay what was missed, the history is read again and merged with what is
// shown. The service starts a new stream at its newest event, and writes a line to the file
// before it publishes it, so a history read after the stream opened holds every line the
// events will not bring; the lines it holds that still arrive as events are the first events
// and the last lines of the history, and those events are dropped. Events that arrive while the
// history is being read wait for it.
//
// While the stream is not connected (a service too old for events, or one that is away), the
// history is read every fallbackInterval() instead, as a poll.

#include "model/LogEntry.h"

#include <QObject>

#include <chrono>

class QTimer;

namespace ck {
class ApiClient;
class EventStream;
} // namespace ck

namespace ck::gui {

class ItemLogFeed : public QObject {
    Q_OBJECT
public:
    static constexpr int kTailLines = 1000;
    static constexpr std::chrono::milliseconds kFallbackInterval{2000};

    ItemLogFeed(ApiClient* client, QString itemId, QObject* parent);

    void start(); // reads the history at once and follows the events
    void stop();
    bool isRunning() const { return m_running; }
    bool isLive() const; // new lines arrive as events (not by polling)
    // How often the history is read while the stream is not connected.
    void setFallbackInterval(std::chrono::milliseconds interval);
    std::chrono::milliseconds fallbackInterval() const;
    // How many times the history was read: tests use it to tell events from polls.
    int historyReads() const { return m_historyReads; }

Q_SIGNALS:
    void appended(const QList<ck::LogEntry>& entries);
    void replaced(const QList<ck::LogEntry>& entries); // the history, or a log that started anew
    void failed(const QString& explanation);
    // The stream opened (live), or closed: `why`, and new lines are polled meanwhile.
    void liveChanged(bool live, const QString& why);

private:
    void readHistory();
    void historyRead(const QList<LogEntry>& tail);
    void eventArrived(const QString& itemId, const LogEntry& entry);
    void deliverEvents(const QList<LogEntry>& events);
    void remember(const QList<LogEntry>& entries);

    ApiClient* m_client;
    QString m_itemId;
    EventStream* m_stream;
    QTimer* m_poll;
    bool m_running = false;
    bool m_reading = false;   // a history read is on its way
    bool m_readAgain = false; // the stream opened while it was: that answer may be too old
    bool m_readOnce = false;  // the first answer replaces the (empty) log
    int m_historyReads = 0;
    QList<LogEntry> m_known;     // the newest lines shown, to merge the next history with
    QList<LogEntry> m_mayRepeat; // the last history's lines, which events may bring again
    QList<LogEntry> m_held;      // events that came while the history was being read
};

} // namespace ck::gui
