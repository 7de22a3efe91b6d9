#pragma once
// The "ssh" task (model/SshTaskType.h): the item's exports copied to each host over SFTP (service/
// ssh), each file replaced atomically with the mode and owner an export gets, then the task's
// command run there. Hosts are done one after another; a failing host does not stop the others,
// but fails the task, and each host's outcome is in the task's message and log. The host key is
// checked before anything is sent: pinned at first use in <data>/ssh_known_hosts, or one of the
// task's fingerprints. The libssh calls block, so each host runs on the process pool. Secrets
// (the key, its passphrase, a PFX password) are read here, on the network thread, and never put
// in a message.

#include "base/Async.h"
#include "credentials/CredentialStore.h"
#include "deploy/TaskDryRun.h"
#include "deploy/TaskOutcome.h"
#include "deploy/TaskVariables.h"
#include "model/SshTaskType.h"
#include "process/ChildProcess.h"

#include <chrono>

namespace ck::deploy {

struct SshSettings {
    QList<SshHost> hosts;
    QList<SshFile> files;
    QString credentialId;
    QString owner; // empty: the user who logs in
    QString group;
    QString modeText;
    QString command; // empty: none
    QStringList fingerprints;
    std::chrono::seconds timeout{30};
    std::chrono::seconds commandTimeout{120};
    QString problem; // what makes the task unable to run; empty when nothing

    // The mode asked for, else 0600 for key material and 0644 for the rest; -1: not a mode.
    int modeFor(const QString& format) const;
    static SshSettings of(const DeploymentTask& task);
};

// Where the pinned host keys are kept.
QString knownHostsPathIn(const QString& dataDir);

awaitable<TaskOutcome> deployOverSsh(const DeploymentTask& task, const RunContext& run,
                                     process::ProcessRunner& processes,
                                     credentials::CredentialStore& credentials,
                                     const QString& dataDir);

// Preview: the plan, and each host's key as it is presented now (connecting, without logging in
// or pinning). Blocking.
void dryRunSsh(const DeploymentTask& task, const QString& dataDir, DryRun& run);

// Test: for each host, the key, the login and that each destination folder may be written (an
// empty file made and removed); nothing is copied, run or pinned.
struct SshHostTest {
    QString host;
    bool ok = false;
    QString message;
    QString advice;
};
awaitable<QList<SshHostTest>> testSsh(const DeploymentTask& task, process::ProcessRunner& processes,
                                      credentials::CredentialStore& credentials,
                                      const QString& dataDir);

} // namespace ck::deploy
