#include "NotificationReceiver.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QThread>

namespace ck::test {

namespace {
bool waitUntil(const std::function<bool()>& done, int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    while (!done()) {
        if (deadline.hasExpired())
            return false;
        QThread::msleep(20);
    }
    return true;
}
} // namespace

NotificationReceiver::NotificationReceiver() : NotificationReceiver(Options{}) {}

NotificationReceiver::NotificationReceiver(Options options) : m_options(std::move(options)) {}

NotificationReceiver::~NotificationReceiver() {
    stop();
}

QString NotificationReceiver::webhookUrl() const {
    return QStringLiteral("http://127.0.0.1:%1/hooks/%2").arg(m_httpPort).arg(webhookSecret());
}

QString NotificationReceiver::tlsRootFile() const {
    return m_dir.filePath(QStringLiteral("smtp-cert.pem"));
}

bool NotificationReceiver::start(int timeoutMs) {
    m_error.clear();
    const QString key = m_dir.filePath(QStringLiteral("smtp-key.pem"));
    const ToolResult cert =
        runTool(findProgram(QStringLiteral("openssl")),
                {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                 QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                 QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-nodes"),
                 QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
                 QStringLiteral("/CN=127.0.0.1"), QStringLiteral("-addext"),
                 QStringLiteral("subjectAltName=IP:127.0.0.1"), QStringLiteral("-keyout"), key,
                 QStringLiteral("-out"), tlsRootFile()});
    if (!cert.ok()) {
        m_error = QStringLiteral("openssl could not make the SMTP certificate: ") + cert.describe();
        return false;
    }
    const QString inbox = m_dir.filePath(QStringLiteral("inbox"));
    QDir().mkpath(inbox);
    const auto ports = freeLoopbackPorts(4);
    m_httpPort = ports[0];
    m_smtpPort = ports[1];
    m_smtpsPort = ports[2];
    m_plainSmtpPort = ports[3];
    const QStringList args{QStringLiteral(CERTKEEPER_NOTIFICATION_RECEIVER),
                           QStringLiteral("--dir"),
                           inbox,
                           QStringLiteral("--http-port"),
                           QString::number(m_httpPort),
                           QStringLiteral("--http-status"),
                           QString::number(m_options.webhookStatus),
                           QStringLiteral("--smtp-port"),
                           QString::number(m_smtpPort),
                           QStringLiteral("--smtps-port"),
                           QString::number(m_smtpsPort),
                           QStringLiteral("--plain-smtp-port"),
                           QString::number(m_plainSmtpPort),
                           QStringLiteral("--cert"),
                           tlsRootFile(),
                           QStringLiteral("--key"),
                           key,
                           QStringLiteral("--user"),
                           m_options.user,
                           QStringLiteral("--password"),
                           m_options.password};
    // Debian's own Python: python3-aiosmtpd is installed for it, not for another python3 that
    // may come first in PATH.
    const QString python = QFile::exists(QStringLiteral("/usr/bin/python3"))
                               ? QStringLiteral("/usr/bin/python3")
                               : findProgram(QStringLiteral("python3"));
    if (!m_process.start(python, args, m_dir.filePath(QStringLiteral("receiver.log")))) {
        m_error = m_process.errorString();
        return false;
    }
    const bool ready = waitUntil(
        [this] {
            return m_process.output().contains(QLatin1String("ready")) || !m_process.isRunning();
        },
        timeoutMs);
    if (!ready || !m_process.isRunning()) {
        m_error =
            QStringLiteral("the notification receivers did not start:\n") + m_process.output();
        stop();
        return false;
    }
    return true;
}

void NotificationReceiver::stop() {
    m_process.stop();
}

QList<QJsonObject> NotificationReceiver::received(const QString& prefix) const {
    QList<QJsonObject> list;
    const QDir inbox(m_dir.filePath(QStringLiteral("inbox")));
    for (const QString& name :
         inbox.entryList({prefix + QStringLiteral("*.json")}, QDir::Files, QDir::Name)) {
        QFile f(inbox.filePath(name));
        if (f.open(QIODevice::ReadOnly))
            list.append(QJsonDocument::fromJson(f.readAll()).object());
    }
    return list;
}

bool NotificationReceiver::waitForWebhooks(int count, int timeoutMs) const {
    return waitUntil([&] { return webhooks().size() >= count; }, timeoutMs);
}

bool NotificationReceiver::waitForMails(int count, int timeoutMs) const {
    return waitUntil([&] { return mails().size() >= count; }, timeoutMs);
}

} // namespace ck::test
