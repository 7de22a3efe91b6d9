#pragma once
// When a managed certificate should be renewed next, as a pure function of the item, the global
// renewal policy and the time, so every rule can be checked in a table:
//  - never issued: due (since it was created);
//  - revoked: due at once;
//  - the item's renewalOverride, else the global policy: a percentage of the lifetime elapsed,
//    a number of days before expiry, or a number of days after the last renewal;
//  - a renewal window suggested by the CA (ARI, RFC 9773) wins over both: a random time inside
//    it, chosen once and kept (stored as the next attempt) so the item does not jump around;
//  - after a failure the next attempt waits: the first few retries come at the next scheduler
//    run, then the waits double from an hour, capped at 48 h and at a tenth of the lifetime;
//  - includeInAutoRenew false, Paused (waiting on the user) and a request in progress are never
//    started by the scheduler.

#include "model/ManagedCertificate.h"
#include "model/RenewalPolicy.h"

#include <QDateTime>
#include <QString>

#include <chrono>

namespace ck::renewal {

// Failures retried at the next scheduler run, before the waits start growing.
inline constexpr int kImmediateRetries = 3;
inline constexpr std::chrono::hours kFirstBackoff{1};
inline constexpr std::chrono::hours kMaxBackoff{48};

// How long to wait after the `failures`-th failure in a row, for a certificate whose lifetime
// is `lifetime` (zero when there is none yet).
std::chrono::seconds backoffAfter(int failures, std::chrono::seconds lifetime);

struct RenewalPlan {
    enum class Verdict {
        Due,        // start it now
        Scheduled,  // not yet: at nextAttempt
        Disabled,   // includeInAutoRenew is false
        Paused,     // waiting on the user
        InProgress, // queued or running
    };
    Verdict verdict = Verdict::Scheduled;
    // What the item stores as dateNextScheduledRenewalAttempt: depends on the item's state, not
    // on the time of the check, so a plan is written once and not on every scheduler run.
    // Invalid when the scheduler will not renew the item.
    QDateTime nextAttempt;
    QString reason; // why, in words for logs and diagnostics

    bool due() const { return verdict == Verdict::Due; }
};

// `randomFraction` in [0, 1) places a new ARI choice inside the window; tests pass fixed values.
RenewalPlan planRenewal(const ManagedCertificate& item, const RenewalPolicy& global,
                        const QDateTime& now, double randomFraction);

// Records a request's outcome on the item (status, failure count and message, and the next
// attempt planned with `global`), as RequestService stores it. `now` is when it ended.
void recordSuccess(ManagedCertificate& item, const QDateTime& now, const RenewalPolicy& global);
void recordFailure(ManagedCertificate& item, const QString& message, const QDateTime& now,
                   const RenewalPolicy& global);

} // namespace ck::renewal
