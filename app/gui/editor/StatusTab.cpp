#include "gui/editor/StatusTab.h"

#include "client/ApiClient.h"
#include "gui/FormSupport.h"
#include "model/CertificateAuthority.h"
#include "model/ManagedCertificate.h"

#include <QLabel>
#include <QLocale>
#include <QScrollBar>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace ck::gui {

namespace {
// The revocation watch's verdict in a word (ManagedCertificate::revocationStatus).
QString revocationStatusText(const QString& status) {
    if (status == QLatin1String("good"))
        return StatusTab::tr("Not revoked");
    if (status == QLatin1String("revoked"))
        return StatusTab::tr("Revoked");
    if (status == QLatin1String("none"))
        return StatusTab::tr("Cannot be checked");
    if (status == QLatin1String("unknown"))
        return StatusTab::tr("Unknown to the CA");
    return StatusTab::tr("Check failed");
}

constexpr int kHistoryLogLines = 10000;
constexpr int kHistoryShown = 20;

QString dateText(const QDateTime& time) {
    return time.isValid() ? QLocale().toString(time.toLocalTime(), QLocale::LongFormat)
                          : StatusTab::tr("—");
}

// Rows of a two-column table; values are escaped here.
class HtmlTable {
public:
    void row(const QString& caption, const QString& value) {
        m_html +=
            QStringLiteral("<tr><td style='padding-right:12px'><b>%1</b></td><td>%2</td></tr>")
                .arg(caption.toHtmlEscaped(),
                     value.isEmpty() ? StatusTab::tr("—") : value.toHtmlEscaped());
    }
    QString html() const { return QStringLiteral("<table>") + m_html + QStringLiteral("</table>"); }

private:
    QString m_html;
};

QString heading(const QString& text) {
    return QStringLiteral("<h3>%1</h3>").arg(text.toHtmlEscaped());
}

// Plain words for the health and what, if anything, to do.
QString healthSentence(const ManagedCertificate& item, const QDateTime& now) {
    const QString next = dateText(item.dateNextScheduledRenewalAttempt);
    switch (item.health(now)) {
    case Health::Ok:
        return StatusTab::tr("Healthy: valid until %1.").arg(dateText(item.dateExpiry));
    case Health::NotYetIssued:
        return StatusTab::tr("Not issued yet. Save, then Request to get the certificate.");
    case Health::AwaitingUser:
        return StatusTab::tr("Waiting for you: the request needs an action (see the log).");
    case Health::Warning:
        if (item.lastRenewalStatus == RequestState::Error)
            return StatusTab::tr("Valid until %1, but the last renewal failed (see below).")
                .arg(dateText(item.dateExpiry));
        return StatusTab::tr("Valid until %1; due for renewal.").arg(dateText(item.dateExpiry));
    case Health::Error:
        if (item.certificateRevoked)
            return StatusTab::tr("Revoked: clients no longer trust it. Request a new one.");
        if (item.dateExpiry.isValid() && now >= item.dateExpiry)
            return StatusTab::tr("Expired on %1. Request a new certificate now.")
                .arg(dateText(item.dateExpiry));
        return StatusTab::tr("The last request failed (see below). Next attempt: %1.").arg(next);
    }
    return {};
}
// The CA that issued the current certificate; a fallback is named as one, since a certificate
// from another CA than the one chosen is worth noticing (its roots, its limits, its account).
QString issuedByCa(const ManagedCertificate& item) {
    if (item.certificateAuthorityIdUsed.isEmpty())
        return {};
    const QString own = item.certificateAuthorityId.isEmpty()
                            ? QString::fromLatin1(kDefaultCertificateAuthority)
                            : item.certificateAuthorityId;
    if (item.certificateAuthorityIdUsed == own)
        return own;
    return StatusTab::tr("%1 (a fallback: %2 failed the request)")
        .arg(item.certificateAuthorityIdUsed, own);
}
} // namespace

QList<HistoryEvent> renewalHistory(const QList<LogEntry>& log) {
    // The service's log sentences mark the ends of each request: "Certificate issued by …" then
    // "Request completed in … ms" on success, an error line on failure; "The CA revoked …".
    QList<HistoryEvent> events;
    QString issued;
    for (const LogEntry& e : log) {
        if (e.message.startsWith(QLatin1String("Certificate issued by")))
            issued = e.message.section(QStringLiteral("; files in"), 0, 0);
        else if (e.message.startsWith(QLatin1String("Request completed in")))
            events.append({e.time, HistoryEvent::Kind::Issued, issued});
        else if (e.level == QLatin1String("ERR"))
            events.append({e.time, HistoryEvent::Kind::Failed, e.message});
        else if (e.message.startsWith(QLatin1String("The CA revoked")))
            events.append({e.time, HistoryEvent::Kind::Revoked, e.message});
    }
    return events;
}

StatusTab::StatusTab(const EditorContext& context, QWidget* parent) : EditorTab(context, parent) {
    setObjectName(QStringLiteral("statusTab"));
    m_health = new QLabel(this);
    m_health->setObjectName(QStringLiteral("healthLabel"));
    m_health->setWordWrap(true);
    m_health->setTextFormat(Qt::PlainText);
    m_health->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bigger = m_health->font();
    bigger.setPointSizeF(bigger.pointSizeF() * 1.2);
    bigger.setBold(true);
    m_health->setFont(bigger);
    m_details = new QTextBrowser(this);
    m_details->setObjectName(QStringLiteral("statusDetails"));
    m_details->setAccessibleName(tr("Certificate details"));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_health);
    layout->addWidget(m_details, 1);
}

void StatusTab::load(const ManagedCertificate& item) {
    m_item = item;
    render();
    // The history changes with each attempt and its outcome, not with every poll.
    const QString attempt = item.dateLastRenewalAttempt.toString(Qt::ISODateWithMs) + u'|' +
                            toString(item.lastRenewalStatus);
    if (attempt != m_historyFor)
        fetchHistory(attempt);
}

void StatusTab::fetchHistory(const QString& attempt) {
    const QString id = m_item.id;
    if (id.isEmpty())
        return;
    m_historyFor = attempt;
    context().client->itemLog(
        id, kHistoryLogLines, this,
        [this, attempt](const QList<LogEntry>& log) {
            if (attempt != m_historyFor)
                return; // a later attempt's history is on its way
            m_history = renewalHistory(log);
            m_historyProblem.clear();
            render();
        },
        [this](const ApiError& error) {
            m_historyProblem = describeError(error);
            render();
        });
}

void StatusTab::render() {
    const ManagedCertificate& item = m_item;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    m_health->setText(item.id.isEmpty() ? tr("A new certificate: save it, then request it.")
                                        : healthSentence(item, now));

    QString html;
    if (!item.renewalFailureMessage.isEmpty()) {
        html += heading(tr("Last error"));
        html += QStringLiteral("<p style='color:%1'>%2</p>")
                    .arg(ErrorLabel::colorFor(palette()).name(),
                         item.renewalFailureMessage.toHtmlEscaped());
        html += QStringLiteral("<p>%1</p>")
                    .arg(tr("What to do: fix what the message names (the Authorization tab's Test "
                            "checks the configuration), then request again. Failed attempts so "
                            "far: %1; Certkeeper tries again on its own at %2.")
                             .arg(item.renewalFailureCount)
                             .arg(dateText(item.dateNextScheduledRenewalAttempt))
                             .toHtmlEscaped());
    }

    html += heading(tr("Certificate"));
    HtmlTable cert;
    cert.row(tr("Issuer"), item.certificateIssuer);
    cert.row(tr("Issued by CA"), issuedByCa(item));
    cert.row(tr("Serial"), item.certificateSerial);
    cert.row(tr("Names"), item.certificateDomains.join(QStringLiteral(", ")));
    cert.row(tr("Valid from"), item.dateStart.isValid() ? dateText(item.dateStart) : QString());
    cert.row(tr("Valid until"), item.dateExpiry.isValid() ? dateText(item.dateExpiry) : QString());
    cert.row(tr("Thumbprint"), item.certificateThumbprint);
    if (!item.certificatePreviousThumbprint.isEmpty())
        cert.row(tr("Previous thumbprint"), item.certificatePreviousThumbprint);
    if (item.certificateRevoked)
        cert.row(tr("Revoked"), tr("yes"));
    if (item.dateRevocationChecked.isValid())
        cert.row(tr("Revocation check"),
                 tr("%1 on %2: %3")
                     .arg(revocationStatusText(item.revocationStatus),
                          dateText(item.dateRevocationChecked), item.revocationMessage));
    html += cert.html();

    html += heading(tr("Files"));
    HtmlTable files;
    files.row(tr("Certificate"), item.certificatePath);
    files.row(tr("Chain"), item.certificateChainPath);
    files.row(tr("Full chain"), item.certificateFullChainPath);
    files.row(tr("Private key"), item.certificateKeyPath);
    files.row(tr("PFX"), item.certificatePfxPath);
    html += files.html();

    html += heading(tr("Renewal"));
    HtmlTable renewal;
    renewal.row(tr("Automatic renewal"), item.includeInAutoRenew ? tr("on") : tr("off"));
    renewal.row(tr("Last attempt"), item.dateLastRenewalAttempt.isValid()
                                        ? tr("%1 (%2)").arg(dateText(item.dateLastRenewalAttempt),
                                                            toString(item.lastRenewalStatus))
                                        : QString());
    renewal.row(tr("Last renewed"),
                item.dateRenewed.isValid() ? dateText(item.dateRenewed) : QString());
    renewal.row(tr("Next attempt"), item.dateNextScheduledRenewalAttempt.isValid()
                                        ? dateText(item.dateNextScheduledRenewalAttempt)
                                        : QString());
    if (item.ariWindowStart.isValid())
        renewal.row(tr("The CA suggests renewing"),
                    tr("between %1 and %2")
                        .arg(dateText(item.ariWindowStart), dateText(item.ariWindowEnd)));
    html += renewal.html();

    html += heading(tr("History"));
    if (!m_historyProblem.isEmpty()) {
        html += QStringLiteral("<p>%1</p>").arg(m_historyProblem.toHtmlEscaped());
    } else if (m_history.isEmpty()) {
        html += QStringLiteral("<p>%1</p>").arg(tr("No request yet.").toHtmlEscaped());
    } else {
        html += QStringLiteral("<ul>");
        const qsizetype first = std::max<qsizetype>(0, m_history.size() - kHistoryShown);
        for (qsizetype i = m_history.size() - 1; i >= first; --i) { // newest first
            const HistoryEvent& e = m_history[i];
            const QString what = e.kind == HistoryEvent::Kind::Issued   ? tr("Issued")
                                 : e.kind == HistoryEvent::Kind::Failed ? tr("Failed")
                                                                        : tr("Revoked");
            html += QStringLiteral("<li><b>%1</b> %2: %3</li>")
                        .arg(dateText(e.time).toHtmlEscaped(), what.toHtmlEscaped(),
                             e.detail.toHtmlEscaped());
        }
        html += QStringLiteral("</ul>");
    }
    const int scroll = m_details->verticalScrollBar() ? m_details->verticalScrollBar()->value() : 0;
    m_details->setHtml(html);
    m_details->verticalScrollBar()->setValue(scroll); // a refresh does not jump to the top
}

QString StatusTab::text() const {
    return m_health->text() + u'\n' + m_details->toPlainText();
}

} // namespace ck::gui
