#pragma once
// Sends renewal notifications by webhook (an HTTP POST of JSON) and email (SMTP with STARTTLS or
// TLS and login, through libcurl), on its own worker threads so a slow mail server never holds
// up the network thread. What was sent, or why it could not be, goes to the item's log; a
// notification that fails never changes the renewal's outcome.

#include "base/Async.h"
#include "credentials/CredentialStore.h"
#include "logging/Logger.h"
#include "model/Preferences.h"
#include "net/CurlTransfer.h"
#include "notifications/NotificationMessage.h"
#include "process/ChildProcess.h"

#include <QString>

namespace ck::notifications {

enum class Channel { Webhook, Email };

class Notifier {
public:
    Notifier(asio::io_context& ioc, credentials::CredentialStore& credentials, logging::Logger& log,
             QString logsDir);

    // After a request ended (`failure` empty on success): sends what the item's targets (its
    // override, else the global ones) ask for, in the background.
    void requestFinished(const ManagedCertificate& item, const QString& failure,
                         int previousFailures, const NotificationSettings& settings);

    // Sends a test message to the global targets of `channel`. Answers what was sent; throws
    // InvalidInputError when that channel has no target, UpstreamError when sending
    // failed (the receiver's or the transfer's own words).
    awaitable<QString> sendTest(Channel channel, NotificationSettings settings,
                                QString serviceAddress);

private:
    // Both return an empty string on success, else what went wrong.
    awaitable<QString> postWebhook(const QString& url, const QJsonObject& body);
    awaitable<QString> sendEmail(const SmtpSettings& smtp, const QStringList& to,
                                 const NotificationText& text);
    awaitable<void> deliver(QString itemId, NotificationTargets targets, SmtpSettings smtp,
                            NotificationText text);
    net::MailServer mailServer(const SmtpSettings& smtp) const;

    asio::io_context& m_ioc;
    credentials::CredentialStore& m_credentials;
    logging::Logger& m_log;
    QString m_logsDir;
    process::ProcessRunner m_senders{2}; // last: joined before the rest goes away
};

// "hooks.example.com": where a webhook goes, without the path and query that may hold its
// secret token, for logs and answers.
QString webhookHost(const QString& url);

} // namespace ck::notifications
