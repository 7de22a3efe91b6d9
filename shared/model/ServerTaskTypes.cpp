#include "model/ServerTaskTypes.h"

#include "model/TaskParameterBuilders.h"
#include "model/TaskValidation.h"

#include <QDir>

namespace ck {

namespace {
using K = TaskParameterKind;

using task_parameters::intParam;
using task_parameters::param;

TaskParameterSpec fileParam(const char* key, const char* label, bool required,
                            const QString& description) {
    return param(key, label, K::Path, required, required ? QJsonValue() : QJsonValue(QString()),
                 description);
}

TaskParameterSpec groupParam() {
    return param("group", "Group of the key file", K::String, false, QString(),
                 QStringLiteral("Empty: the key file is 0600, readable by its owner only. A "
                                "group (name or gid): the key file is 0640 for that group."));
}

TaskParameterSpec reloadParam(const QString& defaultCommand, const QString& description) {
    return param("reloadCommand", "Reload command", K::String, false, defaultCommand, description);
}

// The check of the served certificate, the same for every server.
QList<TaskParameterSpec> checkParams(int defaultPort) {
    TaskParameterSpec protocol =
        param("checkProtocol", "Check protocol", K::Choice, true, check_protocols::kAuto,
              QStringLiteral("auto: SMTP STARTTLS on ports 25 and 587, IMAP STARTTLS on 143, "
                             "TLS from the first byte on any other port (443, 465, 993...); "
                             "or say which."));
    protocol.choices = {check_protocols::kAuto, check_protocols::kTls, check_protocols::kSmtp,
                        check_protocols::kImap};
    return {param("checkHost", "Check host", K::String, false, QString(),
                  QStringLiteral("Host or address to connect to after the update, such as "
                                 "127.0.0.1, until the server presents the new certificate; "
                                 "empty: no check.")),
            intParam("checkPort", "Check port", defaultPort, 1, 65535,
                     QStringLiteral("The port the server serves the certificate on.")),
            protocol,
            param("checkServerName", "Check server name", K::String, false, QString(),
                  QStringLiteral("The name asked for in the handshake (SNI); empty: the primary "
                                 "domain.")),
            intParam("checkWaitSeconds", "Check waits up to (seconds)", 30, 1, 600,
                     QStringLiteral("The check tries again until the new certificate is presented "
                                    "or this time passes.")),
            intParam("timeoutSeconds", "Time limit (seconds)", 60, 1, 3600,
                     QStringLiteral("The reload command (or each exchange with the server) is "
                                    "stopped after this long."))};
}

TaskTypeSpec withCheck(TaskTypeSpec type, int defaultPort) {
    type.parameters += checkParams(defaultPort);
    return type;
}

TaskTypeSpec haproxyType() {
    return withCheck(
        {task_types::kHaproxy,
         QStringLiteral("HAProxy"),
         QStringLiteral("Writes the PEM file HAProxy loads (certificate, intermediates and key "
                        "in one file, 0600) atomically, then gives the running HAProxy the new "
                        "certificate through its runtime API (set ssl cert, commit ssl cert) "
                        "without a reload; without a stats socket it runs the reload command "
                        "instead."),
         {fileParam("certificateFile", "PEM file (crt)", true,
                    QStringLiteral("The path HAProxy's 'crt' names, exactly as written there, "
                                   "such as /etc/haproxy/certs/example.com.pem.")),
          param("statsSocket", "Stats socket", K::String, false, QString(),
                QStringLiteral("HAProxy's runtime API: the path of a 'stats socket' with 'level "
                               "admin' (/run/haproxy/admin.sock), or host:port. Empty: run the "
                               "reload command instead.")),
          reloadParam(QString(), QStringLiteral("Run when no stats socket is given, such as "
                                                "'systemctl reload haproxy'; empty: HAProxy "
                                                "reads the file at its next start."))}},
        443);
}

TaskTypeSpec apacheType() {
    return withCheck(
        {task_types::kApache,
         QStringLiteral("Apache httpd"),
         QStringLiteral("Writes the certificate with its intermediates (SSLCertificateFile) "
                        "and the key (SSLCertificateKeyFile, 0600) atomically, and the "
                        "intermediates alone when a chain file is given (SSLCertificateChainFile, "
                        "before Apache 2.4.8), then reloads Apache gracefully."),
         {fileParam("certificateFile", "Certificate file", true,
                    QStringLiteral("SSLCertificateFile: the certificate followed by its "
                                   "intermediates (0644).")),
          fileParam("keyFile", "Key file", true,
                    QStringLiteral("SSLCertificateKeyFile: the private key.")),
          fileParam("chainFile", "Chain file", false,
                    QStringLiteral("SSLCertificateChainFile: the intermediates alone; empty: "
                                   "not written (Apache 2.4.8 and later read them from the "
                                   "certificate file).")),
          groupParam(),
          reloadParam(QStringLiteral("apachectl graceful"),
                      QStringLiteral("Run without a shell after the files are written; "
                                     "'apachectl graceful' lets open connections finish."))}},
        443);
}

TaskTypeSpec postfixType() {
    return withCheck(
        {task_types::kPostfix,
         QStringLiteral("Postfix"),
         QStringLiteral("Writes the file of smtpd_tls_chain_files (key, certificate and "
                        "intermediates in one file, 0600), or the files of smtpd_tls_cert_file "
                        "and smtpd_tls_key_file, atomically, then runs 'postfix reload'. The "
                        "check speaks SMTP and STARTTLS on ports 25 and 587."),
         {fileParam("chainFilesFile", "Chain file (smtpd_tls_chain_files)", false,
                    QStringLiteral("Key, certificate and intermediates in one file, in the "
                                   "order smtpd_tls_chain_files reads them; or leave empty and "
                                   "give the certificate and key files.")),
          fileParam("certificateFile", "Certificate file (smtpd_tls_cert_file)", false,
                    QStringLiteral("The certificate followed by its intermediates (0644).")),
          fileParam("keyFile", "Key file (smtpd_tls_key_file)", false,
                    QStringLiteral("The private key.")),
          groupParam(),
          reloadParam(QStringLiteral("postfix reload"),
                      QStringLiteral("Run without a shell after the files are written; "
                                     "add '-c /etc/postfix-out' for another instance."))}},
        25);
}

TaskTypeSpec dovecotType() {
    return withCheck(
        {task_types::kDovecot,
         QStringLiteral("Dovecot"),
         QStringLiteral("Writes the files of ssl_cert = </path (the certificate and its "
                        "intermediates) and ssl_key = </path (the key, 0600) atomically, then "
                        "runs 'doveadm reload'. The check speaks IMAP and STARTTLS on port 143, "
                        "TLS on 993."),
         {fileParam("certificateFile", "Certificate file (ssl_cert)", true,
                    QStringLiteral("The certificate followed by its intermediates (0644).")),
          fileParam("keyFile", "Key file (ssl_key)", true, QStringLiteral("The private key.")),
          groupParam(),
          reloadParam(QStringLiteral("doveadm reload"),
                      QStringLiteral("Run without a shell after the files are written."))}},
        993);
}
} // namespace

QList<TaskTypeSpec> serverTaskTypes() {
    return {haproxyType(), apacheType(), postfixType(), dovecotType()};
}

bool isServerTaskType(const QString& type) {
    return type == task_types::kHaproxy || type == task_types::kApache ||
           type == task_types::kPostfix || type == task_types::kDovecot;
}

QStringList serverTaskFileKeys(const QString& type) {
    if (type == task_types::kHaproxy)
        return {QStringLiteral("certificateFile")};
    if (type == task_types::kApache)
        return {QStringLiteral("certificateFile"), QStringLiteral("keyFile"),
                QStringLiteral("chainFile")};
    if (type == task_types::kPostfix)
        return {QStringLiteral("chainFilesFile"), QStringLiteral("certificateFile"),
                QStringLiteral("keyFile")};
    if (type == task_types::kDovecot)
        return {QStringLiteral("certificateFile"), QStringLiteral("keyFile")};
    return {};
}

void checkServerTaskRules(const DeploymentTask& task, const QString& prefix,
                          QList<FieldError>& errors) {
    auto text = [&](const QString& key) { return taskParameter(task, key).toString().trimmed(); };
    auto add = [&](const QString& key, const QString& detail) {
        errors.append({prefix + key, detail});
    };
    const QStringList files = serverTaskFileKeys(task.type);
    for (const QString& key : files) {
        const QString path = text(key);
        if (!path.isEmpty() && (!QDir::isAbsolutePath(path) || path.endsWith(u'/')))
            add(key, QStringLiteral("Give the absolute path of a file, such as "
                                    "/etc/ssl/private/example.com.pem"));
    }
    if (task.type == task_types::kPostfix && text(QStringLiteral("chainFilesFile")).isEmpty()) {
        for (const char* key : {"certificateFile", "keyFile"})
            if (text(QLatin1String(key)).isEmpty())
                add(QLatin1String(key),
                    QStringLiteral("Give the chain file (smtpd_tls_chain_files), or both the "
                                   "certificate and the key file"));
    }
    const QString command = text(QStringLiteral("reloadCommand"));
    if (!command.isEmpty() && !splitCommandLine(command))
        add(QStringLiteral("reloadCommand"),
            QStringLiteral("A quote is not closed; close it, or escape it with \\"));
    for (const char* key : {"checkHost", "checkServerName", "group"}) {
        const QString value = text(QLatin1String(key));
        if (value.contains(u' ') || value.contains(u'/') || value.contains(u':'))
            add(QLatin1String(key), QStringLiteral("Give one name or address, without a port"));
    }
}

} // namespace ck
