#pragma once
// Test's look at the deployment targets: for each enabled server task (haproxy, apache, postfix,
// dovecot) with a check host, connect as the task's check would (TLS, or SMTP/IMAP STARTTLS)
// and compare the certificate served with the item's current one. Nothing is written or
// reloaded. A server serving another certificate is a Warning (a request would still succeed;
// the task would then deploy the new one); one that cannot be reached is a Warning too, since
// the task would fail after the request.

#include "base/Async.h"
#include "model/ActionStep.h"
#include "model/ManagedCertificate.h"
#include "process/ChildProcess.h"

namespace ck::preview {

// Appends one check per such task to `out`, keyed "deploy.<task id>".
awaitable<void> checkServedCertificates(process::ProcessRunner& runner, ManagedCertificate item,
                                        QList<TestCheck>& out);

} // namespace ck::preview
