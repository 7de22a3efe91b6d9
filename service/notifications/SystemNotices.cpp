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
                             const Clock& clock, LocalMailServer mailServer)
    : m_ioc(ioc), m_log(log), m_logsDir(std::move(logsDir)), m_clock(clock),
      m_hostName(mailHostName()), m_userName(mailUserName()), m_mailServer(std::move(mailServer)) {}

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
    QString notDue;
    if (!m_throttle.due(item.id, m_clock.now(), &notDue)) {
        logging::ItemLog(m_logsDir, item.id, m_log).info(notDue);
        return;
    }
    net::MailMessage mail = mailToRoot(item, failure, previousFailures, m_hostName, m_userName);
    asio::co_spawn(m_ioc, sendToRoot(item.id, std::move(mail)), asio::detached);
}

awaitable<void> SystemNotices::sendToRoot(QString itemId, net::MailMessage mail) {
    // The mail server first: it needs no privilege, where a sendmail may need a setuid or
    // setgid helper that the service's hardening stops.
    QString serverFailure;
    if (m_mailServer.isSet()) {
        serverFailure = co_await sendThroughMailServer(mail);
        if (serverFailure.isEmpty()) {
            m_throttle.mailed(itemId, m_clock.now());
            logging::ItemLog(m_logsDir, itemId, m_log)
                .info(QStringLiteral("Mailed root through the local mail server at %1: %2")
                          .arg(m_mailServer.address(), mail.subject));
            co_return;
        }
    }
    // Looked for at every failure, so a mail system installed later is used without a restart.
    const QString sendmail = findSendmail();
    if (sendmail.isEmpty()) {
        sayNoWayOnce(serverFailure);
        co_return;
    }
    const QString sendmailFailure = co_await sendThroughSendmail(sendmail, mail);
    logging::ItemLog log(m_logsDir, itemId, m_log);
    if (sendmailFailure.isEmpty()) {
        m_throttle.mailed(itemId, m_clock.now());
        log.info(QStringLiteral("Mailed root through %1: %2").arg(sendmail, mail.subject));
        co_return;
    }
    // Not marked as mailed: the next failure tries again. Both ways' reasons, in one line.
    const QString throughSendmail = QStringLiteral("through %1: %2").arg(sendmail, sendmailFailure);
    if (serverFailure.isEmpty())
        log.warning(QStringLiteral("Could not mail root ") + throughSendmail);
    else
        log.warning(QStringLiteral("Could not mail root through the local mail server at %1: "
                                   "%2; nor %3")
                        .arg(m_mailServer.address(), serverFailure, throughSendmail));
}

awaitable<QString> SystemNotices::sendThroughMailServer(const net::MailMessage& mail) {
    const net::MailServer server = m_mailServer.mailServer(&m_workers.stopping());
    const net::MailMessage message = forMailServer(mail, m_hostName);
    auto send = [server, message] { return net::sendMailBlockingWhy(server, message); };
    const QString failure = co_await m_workers.offload(std::move(send));
    co_return failure;
}

awaitable<QString> SystemNotices::sendThroughSendmail(const QString& sendmail,
                                                      const net::MailMessage& mail) {
    process::ProcessSpec spec;
    spec.program = sendmail;
    // -t: the recipients are the message's To: (root); -i: a line with a lone dot is text,
    // not the end of the message.
    spec.arguments = {QStringLiteral("-t"), QStringLiteral("-i")};
    spec.input = net::formatMail(mail, "\n");
    spec.timeout = kSendmailTimeout;
    const process::ProcessResult result = co_await m_workers.run(spec);
    if (result.ok())
        co_return QString();
    const QString what = result.startError.isEmpty()
                             ? QStringLiteral("it ") + result.summary(kSendmailTimeout)
                             : result.startError;
    const QString said = result.tail(3);
    co_return what + (said.isEmpty() ? QString() : QStringLiteral(": ") + said);
}

void SystemNotices::sayNoWayOnce(const QString& mailServerFailure) {
    // A fact about the machine, not the certificate: said once, in the service log.
    if (m_noWaySaid)
        return;
    m_noWaySaid = true;
    const QString noSendmail = QStringLiteral("no sendmail is installed (looked in PATH, "
                                              "/usr/sbin and /usr/lib)");
    const QString why =
        m_mailServer.isSet()
            ? QStringLiteral("Nothing took the mail at the local mail server at %1 (%2), and %3")
                  .arg(m_mailServer.address(), mailServerFailure, noSendmail)
            : noSendmail.at(0).toUpper() + noSendmail.mid(1);
    m_log.info(why + QStringLiteral(": failed renewals are not mailed to root; the system "
                                    "journal and the certificates' logs have them"));
}

} // namespace ck::notifications
