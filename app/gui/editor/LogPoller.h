#pragma once
// Brings a certificate's new log lines by asking GET .../log every second while it runs.
// TODO(lead): when shared/client/EventStream lands, feed the model from its "log" events for
// this item instead (ItemLogModel::appendEntries), and keep one initial GET for the history.

#include "LogEntry.h"

#include <QObject>

class QTimer;

namespace ck {
class ApiClient;
}

namespace ck::gui {

class LogPoller : public QObject {
    Q_OBJECT
public:
    static constexpr int kIntervalMs = 1000;
    static constexpr int kTailLines = 1000;

    LogPoller(ApiClient* client, QString itemId, QObject* parent);

    void start(); // at once, then every kIntervalMs
    void stop();
    bool isRunning() const;
    // What the model holds already, so that only newer lines are reported.
    void setKnown(const QList<LogEntry>& known) { m_known = known; }

Q_SIGNALS:
    void appended(const QList<ck::LogEntry>& entries);
    void replaced(const QList<ck::LogEntry>& entries); // the history, or a new start
    void failed(const QString& explanation);

private:
    void poll();

    ApiClient* m_client;
    QString m_itemId;
    QTimer* m_timer;
    QList<LogEntry> m_known;
    bool m_inFlight = false;
    bool m_loadedOnce = false;
};

} // namespace ck::gui
