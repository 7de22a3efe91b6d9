#pragma once
// One attempt at one task, by type: export, script, reload (with the TLS check), webhook, wait.
// The blocking parts (files, child processes, HTTP, TLS) run on the ProcessRunner's threads;
// the caller's coroutine resumes on its own executor. Secrets (the PFX password) are read from
// the credential store here, on the network thread, and never put in a message.

#include "base/Async.h"
#include "credentials/CredentialStore.h"
#include "deploy/TaskOutcome.h"
#include "deploy/TaskVariables.h"
#include "process/ChildProcess.h"

namespace ck::deploy {

class TaskActions {
public:
    // `dataDir`: the service's data directory, which no export may write into.
    TaskActions(process::ProcessRunner& processes, credentials::CredentialStore& credentials,
                QString dataDir)
        : m_processes(processes), m_credentials(credentials), m_dataDir(std::move(dataDir)) {}

    awaitable<TaskOutcome> run(const DeploymentTask& task, const RunContext& run);

private:
    awaitable<TaskOutcome> exportCertificate(const DeploymentTask& task, const RunContext& run);
    awaitable<TaskOutcome> runScript(const DeploymentTask& task, const RunContext& run);
    awaitable<TaskOutcome> reload(const DeploymentTask& task, const RunContext& run);
    awaitable<TaskOutcome> checkPresented(const DeploymentTask& task, const RunContext& run);
    awaitable<TaskOutcome> webhook(const DeploymentTask& task, const RunContext& run);

    process::ProcessRunner& m_processes;
    credentials::CredentialStore& m_credentials;
    QString m_dataDir;
};

// Sleeps on the calling coroutine's executor.
awaitable<void> sleepFor(std::chrono::milliseconds duration);

} // namespace ck::deploy
