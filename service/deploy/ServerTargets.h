#pragma once
// The server task types (haproxy, apache, postfix, dovecot): write the files the server reads
// (deploy/ServerFiles), make the running server take them (HAProxy's runtime API when a stats
// socket is given, else the reload command: apachectl graceful, postfix reload, doveadm reload,
// or the user's), then, with a check host, wait until the server presents the new certificate
// (deploy/PresentedCheck, STARTTLS for SMTP and IMAP). And the Preview dry run of the same.

#include "base/Async.h"
#include "deploy/TaskDryRun.h"
#include "deploy/TaskOutcome.h"
#include "deploy/TaskVariables.h"
#include "process/ChildProcess.h"

namespace ck::deploy {

awaitable<TaskOutcome> runServerTask(process::ProcessRunner& processes, const DeploymentTask& task,
                                     const RunContext& run, const QString& dataDir);

// Fills `run` with what the task would do and what stops it (files, socket, command, the
// server's port). Blocking: it connects to the socket and the server.
void dryRunServerTask(const DeploymentTask& task, const ManagedCertificate& item,
                      const QString& dataDir, DryRun& run);

} // namespace ck::deploy
