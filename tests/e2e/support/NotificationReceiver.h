#pragma once
// Real receivers for renewal notifications on loopback ports, from
// notification_receiver.py beside this file: an HTTP listener recording every webhook, and an
// SMTP server (Debian's python3-aiosmtpd) that requires STARTTLS (or implicit TLS on its second
// port) and a login, recording every message; and on a third port plain SMTP with neither, as a
// machine's own mail server takes mail on loopback. Its TLS certificate is made for 127.0.0.1
// by openssl; trust it with tlsRootFile().

#include "ManagedProcess.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QTemporaryDir>

namespace ck::test {

class NotificationReceiver {
public:
    struct Options {
        QString user = QStringLiteral("certkeeper");
        QString password = QStringLiteral("smtp-pass-7d1f");
        int webhookStatus = 200; // what every webhook is answered
    };

    NotificationReceiver();
    explicit NotificationReceiver(Options options);
    ~NotificationReceiver();

    // Makes the certificate, starts the receivers on free ports and waits until they listen.
    bool start(int timeoutMs = 15000);
    void stop();
    QString errorString() const { return m_error; }

    const Options& options() const { return m_options; }
    int smtpPort() const { return m_smtpPort; }           // STARTTLS required
    int smtpsPort() const { return m_smtpsPort; }         // implicit TLS
    int plainSmtpPort() const { return m_plainSmtpPort; } // no TLS, no login
    // An address with a secret-looking path, as real webhook URLs have.
    QString webhookUrl() const;
    static QString webhookSecret() { return QStringLiteral("T0KEN-in-the-path-5e2a"); }
    QString tlsRootFile() const;

    // What arrived so far, oldest first: {"method", "path", "headers", "body"} and
    // {"port", "from", "to", "data", "tls", "authenticated", "login"}.
    QList<QJsonObject> webhooks() const { return received(QStringLiteral("webhook-")); }
    QList<QJsonObject> mails() const { return received(QStringLiteral("mail-")); }
    // Waits until at least `count` have arrived; false on timeout.
    bool waitForWebhooks(int count, int timeoutMs = 15000) const;
    bool waitForMails(int count, int timeoutMs = 15000) const;

private:
    QList<QJsonObject> received(const QString& prefix) const;

    Options m_options;
    QTemporaryDir m_dir;
    ManagedProcess m_process;
    int m_httpPort = 0;
    int m_smtpPort = 0;
    int m_smtpsPort = 0;
    int m_plainSmtpPort = 0;
    QString m_error;
};

} // namespace ck::test
