#pragma once
// The Status tab: where the certificate stands, in plain words. Its health; the current
// certificate (issuer, serial, names, dates, thumbprint, files); renewal (last attempt, next
// one, the CA's suggested window); the history of requests read from its log; and the last
// error as the service phrased it, with what to do about it.

#include "gui/editor/EditorTab.h"
#include "model/LogEntry.h"

class QLabel;
class QTextBrowser;

namespace ck::gui {

// One request in the certificate's history, as its log tells it.
struct HistoryEvent {
    QDateTime time;
    enum class Kind { Issued, Failed, Revoked } kind = Kind::Issued;
    QString detail;
};
QList<HistoryEvent> renewalHistory(const QList<LogEntry>& log);

class StatusTab : public EditorTab {
    Q_OBJECT
public:
    StatusTab(const EditorContext& context, QWidget* parent);

    void load(const ManagedCertificate& item) override;
    QString text() const; // as shown, plain

private:
    void render();
    void fetchHistory(const QString& attempt);

    ManagedCertificate m_item;
    QList<HistoryEvent> m_history;
    QString m_historyProblem;
    QString m_historyFor; // the attempt (date and outcome) the history is read for
    QLabel* m_health;
    QTextBrowser* m_details;
};

} // namespace ck::gui
