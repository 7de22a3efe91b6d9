#pragma once
// Runs an item's deployment tasks: in their list's order, each when its trigger matches the
// stage and outcome, with its retries; a fatal failure skips the tasks after it unless they run
// even if a previous one failed. Every step goes to the item's log. Used by requests (before and
// after issuing) and by POST /api/managedcertificates/{id}/deploy (now, without a request).

#include "base/Async.h"
#include "deploy/TaskActions.h"
#include "logging/ItemLog.h"
#include "model/TaskRunResult.h"

#include <set>

namespace ck::deploy {

class DeploymentRunner {
public:
    DeploymentRunner(process::ProcessRunner& processes, credentials::CredentialStore& credentials,
                     QString dataDir)
        : m_actions(processes, credentials, std::move(dataDir)) {}

    // The tasks in order, for this run; results for every task, skipped ones included.
    // `chosen`: run by hand, so its trigger and enabled flag do not hold it back.
    awaitable<QList<TaskRunResult>> runTasks(QList<DeploymentTask> tasks, RunContext run,
                                             logging::ItemLog& log, bool chosen = false);

    // Pre-request tasks. Throws InvalidInputError when a fatal one failed: the request must not go
    // on.
    awaitable<void> beforeRequest(const ManagedCertificate& item, logging::ItemLog& log);

    // Post-request tasks for the outcome (`failure` empty: success), on the item as the request
    // stored it. Returns why deployment failed after a successful request (the certificate is
    // good; its deployment is not), or nothing; RequestService records it. Never throws: a
    // request's bookkeeping must finish whatever happens here.
    awaitable<QString> afterRequest(ManagedCertificate item, QString failure,
                                    logging::ItemLog& log);

    // Runs the item's tasks now: every post-request task (manual ones included) or, by id, the
    // one task from either list. Throws NotFoundError for an unknown task id, ConflictError when
    // a deployment of this item is already running.
    awaitable<QList<TaskRunResult>> deployNow(ManagedCertificate item, QString taskId,
                                              logging::ItemLog& log);

private:
    awaitable<TaskRunResult> runOne(const DeploymentTask& task, const RunContext& run,
                                    logging::ItemLog& log);

    TaskActions m_actions;
    std::set<QString> m_deploying; // item ids with a deployNow in progress
};

} // namespace ck::deploy
