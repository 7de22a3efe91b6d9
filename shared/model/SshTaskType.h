#pragma once
// The "ssh" deployment task type and its "ssh-key" credential, described here so the shared
// tables (DeploymentTaskTypes.cpp, StoredCredential.cpp, TaskValidation.cpp) take them with a
// line each: the task copies the certificate's exports to other machines over SFTP and may run a
// command there. Also how its text parameters read: the host list and the file list.

#include "ApiError.h"
#include "model/DeploymentTaskTypes.h"
#include "model/ManagedCertificate.h"
#include "model/StoredCredential.h"

#include <optional>

namespace ck {

namespace task_types {
// Beside the others (model/DeploymentTask.h), declared here so that adding it rebuilt nothing.
inline const QString kSsh = QStringLiteral("ssh");
} // namespace task_types

namespace ssh_task {
inline const QString kCredentialType = QStringLiteral("ssh-key");
constexpr int kDefaultPort = 22;
} // namespace ssh_task

TaskTypeSpec sshTaskType();
CredentialType sshKeyCredentialType();

// The ssh task's own rules, beyond the kinds of its parameters: hosts, files, mode, owner,
// fingerprints. Errors name "<prefix><parameter>".
void checkSshTaskRules(const DeploymentTask& task, const QString& prefix,
                       QList<FieldError>& errors);

struct SshHost {
    QString host; // a name or an address (IPv6 without brackets)
    int port = ssh_task::kDefaultPort;
    // "host" for port 22, else "host:port" ("[2001:db8::1]:2222")
    QString text() const;
    bool operator==(const SshHost&) const = default;
};
// "web1, web2:2222 [2001:db8::7]:22": separated by commas, blanks or line breaks. Nothing and
// *error set when an entry is not a host with an optional port; an empty list is an error too.
std::optional<QList<SshHost>> parseSshHosts(const QString& text, int defaultPort, QString* error);

struct SshFile {
    QString format; // an export format (export_formats)
    QString path;   // absolute, on the remote host
    bool operator==(const SshFile&) const = default;
};
// One file per line, "<format> <absolute path>"; blank lines and lines starting with # are
// skipped. Nothing and *error set on the first line that does not fit.
std::optional<QList<SshFile>> parseSshFiles(const QString& text, QString* error);

// "SHA256:" and 43 characters of unpadded base64, as ssh-keygen -l prints it.
bool isSshFingerprint(const QString& text);
// Comma- or blank-separated fingerprints; nothing when one is not a fingerprint.
std::optional<QStringList> parseSshFingerprints(const QString& text);

// A user or group name that may be named in a remote command: letters, digits, . _ - only.
bool isPlainAccountName(const QString& name);

} // namespace ck
