#include "notifications/Notifier.h"

#include "credentials/CredentialStore.h"
#include "logging/ItemLog.h"
#include "logging/Logger.h"
#include "net/CurlTransfer.h"

#include <QJsonDocument>
#include <QUrl>

namespace ck::notifications {

namespace {
net::MailSecurity mailSecurity(SmtpSecurity s) {
    switch (s) {
    case SmtpSecurity::Tls:
        return net::MailSecurity::Tls;
    case SmtpSecurity::None:
        return net::MailSecurity::None;
    case SmtpSecurity::StartTls:
        break;
    }
    return net::MailSecurity::StartTls;
}
} // namespace

QString webhookHost(const QString& url) {
    const QUrl parsed(url);
    return parsed.port() > 0 ? QStringLiteral("%1:%2").arg(parsed.host()).arg(parsed.port())
                             : parsed.host();
}

Notifier::Notifier(asio::io_context& ioc, credentials::CredentialStore& credentials,
                   logging::Logger& log, QString logsDir)
    : m_ioc(ioc), m_credentials(credentials), m_log(log), m_logsDir(std::move(logsDir)) {}

net::MailServer Notifier::mailServer(const SmtpSettings& smtp) const {
    net::MailServer server;
    server.host = smtp.host;
    server.port = smtp.port;
    server.security = mailSecurity(smtp.security);
    server.username = smtp.username;
    server.caFile = smtp.trustedRootFile;
    if (!smtp.passwordCredentialId.isEmpty()) {
        if (!m_credentials.find(smtp.passwordCredentialId))
            throw InvalidInputError(
                QStringLiteral("The SMTP password credential '%1' no longer exists; "
                               "choose another in the notification settings")
                    .arg(smtp.passwordCredentialId),
                QStringLiteral("notifications.smtp.passwordCredentialId"));
        server.password = m_credentials.values(smtp.passwordCredentialId)
                              .value(QStringLiteral("password"))
                              .toString();
    }
    return server;
}

awaitable<QString> Notifier::postWebhook(const QString& url, const QJsonObject& body) {
    net::OutgoingHttp request;
    request.url = url;
    request.headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
    request.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    auto send = [request] { return net::sendHttpBlocking(request); };
    const net::OutgoingHttpResult result = co_await m_senders.offload(std::move(send));
    if (result.ok())
        co_return QString();
    // The transfer's own message names the whole address; keep the path's token out of it.
    QString why = result.summary();
    why.replace(url, webhookHost(url));
    co_return QStringLiteral("The webhook at %1 answered: %2").arg(webhookHost(url), why);
}

awaitable<QString> Notifier::sendEmail(const SmtpSettings& smtp, const QStringList& to,
                                       const NotificationText& text) {
    net::MailServer server;
    QString failure;
    try {
        server = mailServer(smtp);
    } catch (const DomainError& e) {
        failure = e.message();
    }
    if (!failure.isEmpty())
        co_return failure;
    const net::MailMessage message{smtp.from, to, text.subject, text.body, {}};
    auto send = [server, message] { return net::sendMailBlocking(server, message); };
    co_return co_await m_senders.offload(std::move(send));
}

void Notifier::requestFinished(const ManagedCertificate& item, const QString& failure,
                               int previousFailures, const NotificationSettings& settings) {
    const NotificationTargets targets = targetsFor(item, settings.targets);
    if (targets.webhookUrl.isEmpty() && targets.emailTo.isEmpty())
        return;
    if (!shouldNotify(targets, !failure.isEmpty(), item.renewalFailureCount, previousFailures))
        return;
    NotificationText text = describeOutcome(item, failure, previousFailures);
    asio::co_spawn(m_ioc, deliver(item.id, targets, settings.smtp, std::move(text)),
                   asio::detached);
}

awaitable<void> Notifier::deliver(QString itemId, NotificationTargets targets, SmtpSettings smtp,
                                  NotificationText text) {
    logging::ItemLog log(m_logsDir, itemId, m_log);
    if (!targets.webhookUrl.isEmpty()) {
        const QString failed = co_await postWebhook(targets.webhookUrl, text.webhook);
        if (failed.isEmpty())
            log.info(QStringLiteral("Notified the webhook at %1: %2")
                         .arg(webhookHost(targets.webhookUrl), text.subject));
        else
            log.warning(QStringLiteral("Could not notify the webhook: %1").arg(failed));
    }
    if (!targets.emailTo.isEmpty()) {
        const QString failed = co_await sendEmail(smtp, targets.emailTo, text);
        const QString to = targets.emailTo.join(QStringLiteral(", "));
        if (failed.isEmpty())
            log.info(QStringLiteral("Emailed %1: %2").arg(to, text.subject));
        else
            log.warning(QStringLiteral("Could not email %1: %2").arg(to, failed));
    }
}

awaitable<QString> Notifier::sendTest(Channel channel, NotificationSettings settings,
                                      QString serviceAddress) {
    const NotificationText text = describeTest(serviceAddress);
    const NotificationTargets& targets = settings.targets;
    QString failed;
    QString sent;
    if (channel == Channel::Webhook) {
        if (targets.webhookUrl.isEmpty())
            throw InvalidInputError(
                QStringLiteral("No webhook address is set; enter one and save the "
                               "settings first"),
                QStringLiteral("notifications.targets.webhookUrl"));
        failed = co_await postWebhook(targets.webhookUrl, text.webhook);
        sent = QStringLiteral("Sent a test message to the webhook at %1")
                   .arg(webhookHost(targets.webhookUrl));
    } else {
        if (targets.emailTo.isEmpty())
            throw InvalidInputError(
                QStringLiteral("No email address is set; enter one and save the "
                               "settings first"),
                QStringLiteral("notifications.targets.emailTo"));
        if (settings.smtp.host.isEmpty())
            throw InvalidInputError(QStringLiteral("No SMTP server is set; enter one and save the "
                                                   "settings first"),
                                    QStringLiteral("notifications.smtp.host"));
        failed = co_await sendEmail(settings.smtp, targets.emailTo, text);
        sent = QStringLiteral("Sent a test email to %1 through %2:%3")
                   .arg(targets.emailTo.join(QStringLiteral(", ")), settings.smtp.host)
                   .arg(settings.smtp.port);
    }
    if (!failed.isEmpty())
        throw UpstreamError(failed);
    m_log.info(sent);
    co_return sent;
}

} // namespace ck::notifications
