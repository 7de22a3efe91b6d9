#include "notifications/SystemNotices.h"

#include "logging/ItemLog.h"
#include "notifications/SystemJournal.h"

#include <QRegularExpression>
#include <QSysInfo>

#include <cstring>

#include <pwd.h>
#include <unistd.h>

namespace ck::notifications {

namespace {
// This machine's name as a mail domain can carry it (the letters, digits, dots and dashes).
QString mailHostName() {
    QString host = QSysInfo::machineHostName();
    static const QRegularExpression notInName(QStringLiteral("[^A-Za-z0-9.-]"));
    host.remove(notInName);
    return host.isEmpty() ? QStringLiteral("localhost") : host;
}

// The user the service runs as (certkeeper for the system service): the mail's sender, as the
// mail system would put it anyway.
QString mailUserName() {
    const passwd* user = ::getpwuid(::geteuid());
    QString name = user ? QString::fromLocal8Bit(user->pw_name) : QString();
    static const QRegularExpression notInName(QStringLiteral("[^A-Za-z0-9._-]"));
    name.remove(notInName);
    return name.isEmpty() ? QStringLiteral("certkeeper") : name;
}
} // namespace

SystemNotices::SystemNotices(asio::io_context& ioc, logging::Logger& log, QString logsDir,
                             const Clock& clock)
    : m_ioc(ioc), m_log(log), m_logsDir(std::move(logsDir)), m_clock(clock),
      m_hostName(mailHostName()), m_userName(mailUserName()) {}

void SystemNotices::requestFinished(const ManagedCertificate& item, const QString& failure,
                                    int previousFailures, const NotificationSettings& settings) {
    if (!settings.systemNotices)
        return;
    writeJournal(item, failure, previousFailures);
    if (failure.isEmpty()) {
        m_throttle.succeeded(item.id); // the next failure starts a new run: mailed at once
        return;
    }
    // Email set up: the user chose who hears about renewals, root is not mailed behind it.
    if (!emailConfigured(item, settings))
        mailRootIfDue(item, failure, previousFailures);
}

void SystemNotices::writeJournal(const ManagedCertificate& item, const QString& failure,
                                 int previousFailures) {
    // One datagram to journald: written here, not on a worker thread, like every line the
    // service prints (which journald also reads when systemd runs the service).
    const int sent = writeToJournal(journalEntry(item, failure, previousFailures));
    if (sent < 0 && !m_journalFailed) {
        m_journalFailed = true;
        m_log.warning(QStringLiteral("Could not write a renewal notice to the system journal: %1 "
                                     "(said once; the item logs keep every failure)")
                          .arg(QString::fromLocal8Bit(std::strerror(-sent))));
    }
}

void SystemNotices::mailRootIfDue(const ManagedCertificate& item, const QString& failure,
                                  int previousFailures) {
    logging::ItemLog log(m_logsDir, item.id, m_log);
    QString notDue;
    if (!m_throttle.due(item.id, m_clock.now(), &notDue)) {
        log.info(notDue);
        return;
    }
    // Looked for at every failure, so a mail system installed later is used without a restart.
    const QString sendmail = findSendmail();
    if (sendmail.isEmpty()) {
        // A fact about the machine, not the certificate: said once, in the service log.
        if (!m_noSendmailSaid)
            m_log.info(QStringLiteral("No sendmail is installed (looked in PATH, /usr/sbin and "
                                      "/usr/lib): failed renewals are not mailed to root; the "
                                      "system journal and the certificates' logs have them"));
        m_noSendmailSaid = true;
        return;
    }
    net::MailMessage mail = mailToRoot(item, failure, previousFailures, m_hostName, m_userName);
    asio::co_spawn(m_ioc, sendToRoot(item.id, sendmail, std::move(mail)), asio::detached);
}

awaitable<void> SystemNotices::sendToRoot(QString itemId, QString sendmail, net::MailMessage mail) {
    process::ProcessSpec spec;
    spec.program = sendmail;
    // -t: the recipients are the message's To: (root); -i: a line with a lone dot is text,
    // not the end of the message.
    spec.arguments = {QStringLiteral("-t"), QStringLiteral("-i")};
    spec.input = net::formatMail(mail, "\n");
    spec.timeout = kSendmailTimeout;
    const process::ProcessResult result = co_await m_sendmail.run(spec);
    logging::ItemLog log(m_logsDir, itemId, m_log);
    if (result.ok()) {
        m_throttle.mailed(itemId, m_clock.now());
        log.info(QStringLiteral("Mailed root through %1: %2").arg(sendmail, mail.subject));
        co_return;
    }
    // Not marked as mailed: the next failure tries again.
    const QString what = result.startError.isEmpty()
                             ? QStringLiteral("it ") + result.summary(kSendmailTimeout)
                             : result.startError;
    const QString said = result.tail(3);
    log.warning(QStringLiteral("Could not mail root through %1: %2%3")
                    .arg(sendmail, what, said.isEmpty() ? QString() : QStringLiteral(": ") + said));
}

} // namespace ck::notifications
