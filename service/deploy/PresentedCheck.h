#pragma once
// The check after an update: connect to the server (TLS, or SMTP/IMAP STARTTLS first) until it
// presents the item's certificate, or the wait is over. A server takes a reload gracefully, so
// the first answers may still be the old certificate.

#include "base/Async.h"
#include "deploy/ServerFiles.h"
#include "deploy/TaskOutcome.h"
#include "deploy/TlsProbe.h"
#include "process/ChildProcess.h"

namespace ck::deploy {

// One look: the certificate `target` presents now (the probe's own time limit, 5 s at most).
TlsProbeResult probePresentedBlocking(const PresentedTarget& target);

// Tries until `target` presents `expectedThumbprint`; success or failure in words. `done` says
// what came before ("HAProxy took the certificate through its runtime API").
awaitable<TaskOutcome> waitUntilPresented(process::ProcessRunner& runner,
                                          const PresentedTarget& target,
                                          const QString& expectedThumbprint, const QString& done);

// "0123456789ABCDEF..." for messages.
QString shortThumbprintOf(const QString& thumbprint);

} // namespace ck::deploy
