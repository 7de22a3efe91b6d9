#pragma once
// Applies the service's live events to the certificate list: changed items replace their rows,
// deleted ones go, a running request shows its step in the Health column, and log lines are
// passed on (with the item's name) for the activity panel. Says whether the stream is live, so
// the window can fall back to polling when it is not; after every (re)connection, and when the
// service says it could not replay what was missed, it asks for one full reload.

#include "client/EventStream.h"

#include <QObject>

namespace ck {
class ApiClient;
}

namespace ck::gui {

class CertificateListModel;

class LiveUpdates : public QObject {
    Q_OBJECT
public:
    LiveUpdates(ApiClient* client, CertificateListModel* model, QObject* parent = nullptr);

    EventStream* stream() const { return m_stream; }
    bool isLive() const { return m_stream->isConnected(); }
    void start() { m_stream->start(); }
    void stop() { m_stream->stop(); }

Q_SIGNALS:
    void liveChanged(bool live, const QString& why);
    void reloadNeeded();
    // A new log line of an item; `name` is the item's name when the list has it.
    void logLine(const QString& itemId, const QString& name, const ck::LogEntry& entry);
    // A step of a running request, for a status bar.
    void progressed(const QString& name, const ck::RequestProgress& progress);

private:
    QString nameOf(const QString& id) const;

    CertificateListModel* m_model;
    EventStream* m_stream;
};

} // namespace ck::gui
