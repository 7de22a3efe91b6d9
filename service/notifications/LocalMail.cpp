#include "notifications/LocalMail.h"

#include "notifications/NotificationMessage.h"
#include "process/ChildProcess.h"

#include <QFileInfo>

namespace ck::notifications {

namespace {
// Why root got the mail, and what to do about it, under every message.
constexpr const char* kWhyRoot = R"(
This mail went to root because no email notifications are set up for this
certificate. Set them up in the app (Settings, Notifications) to choose who
hears about renewals, or turn these mails and the system journal entries off
with the setting notifications.systemNotices = false. While a certificate keeps
failing, root gets at most one mail a day about it; every failure is in the
journal: journalctl -t certkeeper-service -p err
)";
} // namespace

QString findSendmail() {
    process::ProcessSpec inPath;
    inPath.program = QStringLiteral("sendmail");
    QString notFound;
    const QString found = process::findExecutable(inPath, notFound);
    if (!found.isEmpty())
        return found;
    // A service started by systemd or cron may have a PATH without the sbin folders.
    for (const char* path : {"/usr/sbin/sendmail", "/usr/lib/sendmail"}) {
        const QFileInfo candidate(QString::fromLatin1(path));
        if (candidate.isFile() && candidate.isExecutable())
            return candidate.filePath();
    }
    return {};
}

bool emailConfigured(const ManagedCertificate& item, const NotificationSettings& settings) {
    return !targetsFor(item, settings.targets).emailTo.isEmpty() && !settings.smtp.host.isEmpty();
}

net::MailMessage mailToRoot(const ManagedCertificate& item, const QString& failure,
                            int previousFailures, const QString& hostName,
                            const QString& userName) {
    const NotificationText text = describeOutcome(item, withoutUrlPaths(failure), previousFailures);
    net::MailMessage mail;
    mail.from = QStringLiteral("%1@%2").arg(userName, hostName);
    mail.fromName = QStringLiteral("certkeeper-service on %1").arg(hostName);
    mail.to = {QStringLiteral("root")};
    mail.subject = QStringLiteral("Certkeeper: renewal failed for %1").arg(item.name);
    if (item.renewalFailureCount > 1)
        mail.subject += QStringLiteral(" (%1 times in a row)").arg(item.renewalFailureCount);
    mail.body = text.body + QString::fromUtf8(kWhyRoot);
    return mail;
}

QString LocalMailServer::address() const {
    const QString shown = host.contains(QLatin1Char(':')) ? u'[' + host + u']' : host;
    return QStringLiteral("%1:%2").arg(shown).arg(port);
}

net::MailServer LocalMailServer::mailServer(const std::atomic<bool>* stop) const {
    net::MailServer server;
    server.host = host;
    server.port = port;
    server.security = net::MailSecurity::None;
    server.timeout = kTimeout;
    server.connectTimeout = kConnectTimeout;
    server.stop = stop;
    return server;
}

net::MailMessage forMailServer(net::MailMessage mail, const QString& hostName) {
    mail.from = QStringLiteral("certkeeper-service@%1").arg(hostName);
    mail.to = {QStringLiteral("root@localhost")};
    return mail;
}

bool MailThrottle::due(const QString& itemId, const QDateTime& now, QString* why) const {
    const auto last = m_lastMailed.find(itemId);
    if (last == m_lastMailed.end() || last->second.secsTo(now) >= qint64(kInterval.count()) * 3600)
        return true;
    if (why)
        *why = QStringLiteral("Not mailing root about this failure: root was mailed about this "
                              "certificate at %1, and is mailed at most once a day while it "
                              "keeps failing")
                   .arg(last->second.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'")));
    return false;
}

} // namespace ck::notifications
