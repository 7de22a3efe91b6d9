#pragma once
// The settings of the server task types (haproxy, apache, postfix, dovecot) and the files each
// writes: which parts of the certificate go in which file, in the order its server reads them,
// with 0644 for certificates and 0600 (0640 with a group) for anything holding the key. Files
// are written atomically (a temporary beside the destination, then renamed), all checked before
// the first is written. Blocking.

#include "deploy/CertificateExport.h"
#include "deploy/StartTls.h"
#include "deploy/TaskOutcome.h"
#include "model/ManagedCertificate.h"

#include <QList>
#include <QStringList>

#include <chrono>

namespace ck::deploy {

enum class ServerContent {
    FullChain,     // certificate, intermediates (SSLCertificateFile, smtpd_tls_cert_file, ssl_cert)
    Intermediates, // SSLCertificateChainFile
    Key,           // the private key alone
    KeyFirst,      // key, certificate, intermediates (smtpd_tls_chain_files)
    KeyLast        // certificate, intermediates, key (HAProxy's crt)
};

struct ServerFile {
    QString key;  // the parameter, "certificateFile"
    QString path; // absolute
    ServerContent content = ServerContent::FullChain;
    bool holdsKey() const { return content >= ServerContent::Key; }
};

// Where and how to check what the server presents after the update.
struct PresentedTarget {
    QString host; // empty: no check
    int port = 443;
    QString serverName;
    StartTls startTls = StartTls::None;
    std::chrono::seconds wait{30};
    QString where() const; // "127.0.0.1:25 (SMTP STARTTLS)"
};

struct ServerSettings {
    QString type;
    QList<ServerFile> files; // those given, in the order written
    QString group;           // of the key files; empty: none (0600)
    QString statsSocket;     // HAProxy only
    QString reloadCommandLine;
    QStringList reloadCommand; // program first
    std::chrono::seconds timeout{60};
    PresentedTarget check;
    static ServerSettings of(const DeploymentTask& task, const ManagedCertificate& item);
    int modeOf(const ServerFile& file) const; // 0644, or 0600/0640 with the key
};

// The STARTTLS the check speaks for a protocol choice and port ("auto": 25 and 587 SMTP, 143
// IMAP, anything else none).
StartTls startTlsFor(const QString& protocol, int port);

// What `content` holds, for messages: "the certificate and intermediates".
QString describeContent(ServerContent content);
QByteArray serverFileContent(ServerContent content, const CertificateMaterial& material);

// Every problem that would stop a file being written (paths, folders, the group, the data
// directory); empty when there is none.
QString serverFilesProblem(const ServerSettings& settings, const QString& dataDir);

// Writes every file; success says what went where.
TaskOutcome writeServerFilesBlocking(const ServerSettings& settings, const ManagedCertificate& item,
                                     const QString& dataDir);

} // namespace ck::deploy
