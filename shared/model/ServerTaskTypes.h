#pragma once
// The server deployment task types: HAProxy, Apache, Postfix and Dovecot. Each writes the files
// its server reads (with the modes a key needs), makes the running server take them (HAProxy's
// runtime API or a reload command) and, when a check host is given, connects until the server
// presents the new certificate (with STARTTLS for SMTP and IMAP). Kept apart from the general
// catalogue (DeploymentTaskTypes.cpp), which lists them with one line.

#include "ApiError.h"
#include "model/DeploymentTask.h"
#include "model/DeploymentTaskTypes.h"

#include <QList>
#include <QString>

namespace ck {

namespace task_types {
inline const QString kHaproxy = QStringLiteral("haproxy");
inline const QString kApache = QStringLiteral("apache");
inline const QString kPostfix = QStringLiteral("postfix");
inline const QString kDovecot = QStringLiteral("dovecot");
} // namespace task_types

// How the check talks before TLS: "auto" picks by port (25 and 587 SMTP STARTTLS, 143 IMAP
// STARTTLS, anything else TLS from the first byte).
namespace check_protocols {
inline const QString kAuto = QStringLiteral("auto");
inline const QString kTls = QStringLiteral("tls");
inline const QString kSmtp = QStringLiteral("smtp-starttls");
inline const QString kImap = QStringLiteral("imap-starttls");
} // namespace check_protocols

QList<TaskTypeSpec> serverTaskTypes();
bool isServerTaskType(const QString& type);

// The file parameters of a server task type ("certificateFile", "keyFile", ...), for the checks
// that every destination is an absolute path outside the data directory.
QStringList serverTaskFileKeys(const QString& type);

// The rules a kind cannot say: absolute paths, a Postfix task writing either one combined file
// or a certificate and a key, a check host without a port. `prefix` names the task's parameters.
void checkServerTaskRules(const DeploymentTask& task, const QString& prefix,
                          QList<FieldError>& errors);

} // namespace ck
