#include "renewal/RenewalPlan.h"

#include <QRandomGenerator>

#include <algorithm>

namespace ck::renewal {

namespace {
QString isoDate(const QDateTime& t) {
    return t.toUTC().toString(Qt::ISODate);
}

// "45 min", "2 h", "1 h 30 min".
QString formatWait(std::chrono::seconds wait) {
    const auto minutes = (wait.count() + 59) / 60;
    if (minutes < 60)
        return QStringLiteral("%1 min").arg(minutes);
    if (minutes % 60 == 0)
        return QStringLiteral("%1 h").arg(minutes / 60);
    return QStringLiteral("%1 h %2 min").arg(minutes / 60).arg(minutes % 60);
}

std::chrono::seconds lifetimeOf(const ManagedCertificate& item) {
    if (!item.dateStart.isValid() || !item.dateExpiry.isValid() ||
        item.dateExpiry <= item.dateStart)
        return std::chrono::seconds(0);
    return std::chrono::seconds(item.dateStart.secsTo(item.dateExpiry));
}

// The renewal time the CA's window (ARI) asks for: the time chosen earlier when it is still
// inside the window, else a new random one inside it.
QDateTime insideAriWindow(const ManagedCertificate& item, double randomFraction) {
    const QDateTime& start = item.ariWindowStart;
    const QDateTime& end = item.ariWindowEnd;
    const QDateTime& kept = item.dateNextScheduledRenewalAttempt;
    if (kept.isValid() && kept >= start && kept <= end)
        return kept;
    const double fraction = std::clamp(randomFraction, 0.0, 1.0);
    return start.addMSecs(qint64(fraction * double(start.msecsTo(end))));
}

// The renewal time the policy asks for, and why; the certificate has been issued.
QDateTime byPolicy(const ManagedCertificate& item, const RenewalPolicy& policy, QString* reason) {
    const QDateTime& expiry = item.dateExpiry;
    QDateTime at;
    switch (policy.mode) {
    case RenewalMode::PercentageOfLifetime: {
        // Without a start date (an old record), assume the common 90-day lifetime.
        const QDateTime start = item.dateStart.isValid() && item.dateStart < expiry
                                    ? item.dateStart
                                    : expiry.addDays(-90);
        at = start.addMSecs(start.msecsTo(expiry) * policy.interval / 100);
        *reason = QStringLiteral("when %1 % of its lifetime has passed").arg(policy.interval);
        break;
    }
    case RenewalMode::DaysBeforeExpiry:
        at = expiry.addDays(-policy.interval);
        *reason = QStringLiteral("%1 days before it expires").arg(policy.interval);
        break;
    case RenewalMode::DaysAfterRenewal: {
        const QDateTime renewed = item.dateRenewed.isValid() ? item.dateRenewed : item.dateStart;
        at = renewed.isValid() ? renewed.addDays(policy.interval) : expiry;
        *reason = QStringLiteral("%1 days after its last renewal").arg(policy.interval);
        break;
    }
    }
    if (at > expiry) { // an interval longer than the lifetime: renew when it expires at the latest
        at = expiry;
        *reason += QStringLiteral(", which is after it expires: at expiry");
    }
    return at;
}
} // namespace

std::chrono::seconds backoffAfter(int failures, std::chrono::seconds lifetime) {
    if (failures <= kImmediateRetries)
        return std::chrono::seconds(0);
    const int doublings = std::min(failures - kImmediateRetries - 1, 16);
    std::chrono::seconds wait = kFirstBackoff * (1LL << doublings);
    wait = std::min<std::chrono::seconds>(wait, kMaxBackoff);
    if (lifetime.count() > 0)
        wait = std::min(wait, lifetime / 10);
    return wait;
}

RenewalPlan planRenewal(const ManagedCertificate& item, const RenewalPolicy& global,
                        const QDateTime& now, double randomFraction) {
    using Verdict = RenewalPlan::Verdict;
    if (item.lastRenewalStatus == RequestState::Queued ||
        item.lastRenewalStatus == RequestState::Running)
        return {Verdict::InProgress, item.dateNextScheduledRenewalAttempt,
                QStringLiteral("a request is in progress")};
    if (!item.includeInAutoRenew)
        return {Verdict::Disabled, {}, QStringLiteral("automatic renewal is off for it")};
    if (item.lastRenewalStatus == RequestState::Paused)
        return {Verdict::Paused, {}, QStringLiteral("it is waiting for you to act")};

    QDateTime at;
    QString reason;
    if (!item.dateExpiry.isValid()) {
        at = item.dateCreated.isValid() ? item.dateCreated : now;
        reason = QStringLiteral("it has no certificate yet");
    } else if (item.certificateRevoked) {
        // Revoked (by its CA, or at the user's request): it must be replaced now. Its start is
        // in the past, so the plan is due and stays the same from one pass to the next.
        at = item.dateStart.isValid() ? item.dateStart : now;
        reason = QStringLiteral("its certificate was revoked");
    } else if (item.ariWindowStart.isValid() && item.ariWindowEnd.isValid() &&
               item.ariWindowStart <= item.ariWindowEnd) {
        at = insideAriWindow(item, randomFraction);
        reason = QStringLiteral("inside the renewal window its CA suggests (%1 to %2)")
                     .arg(isoDate(item.ariWindowStart), isoDate(item.ariWindowEnd));
    } else {
        at = byPolicy(item, item.renewalOverride.value_or(global), &reason);
    }

    if (item.renewalFailureCount > 0 && item.dateLastRenewalAttempt.isValid()) {
        const auto wait = backoffAfter(item.renewalFailureCount, lifetimeOf(item));
        const QDateTime retry = item.dateLastRenewalAttempt.addSecs(wait.count());
        if (retry > at) {
            at = retry;
            reason = wait.count() == 0
                         ? QStringLiteral("after %1 failures in a row, trying again at the next "
                                          "run")
                               .arg(item.renewalFailureCount)
                         : QStringLiteral("after %1 failures in a row, waiting %2 before trying "
                                          "again")
                               .arg(item.renewalFailureCount)
                               .arg(formatWait(wait));
        }
    }
    return {at <= now ? Verdict::Due : Verdict::Scheduled, at, reason};
}

namespace {
void planNext(ManagedCertificate& item, const QDateTime& now, const RenewalPolicy& global) {
    const RenewalPlan plan =
        planRenewal(item, global, now, QRandomGenerator::global()->generateDouble());
    item.dateNextScheduledRenewalAttempt = plan.nextAttempt;
}
} // namespace

void recordSuccess(ManagedCertificate& item, const QDateTime& now, const RenewalPolicy& global) {
    item.lastRenewalStatus = RequestState::Success;
    item.renewalFailureCount = 0;
    item.renewalFailureMessage.clear();
    item.dateRenewed = now;
    item.dateNextScheduledRenewalAttempt = {}; // a new certificate: a new ARI choice
    planNext(item, now, global);
}

void recordFailure(ManagedCertificate& item, const QString& message, const QDateTime& now,
                   const RenewalPolicy& global) {
    item.lastRenewalStatus = RequestState::Error;
    item.renewalFailureCount += 1;
    item.renewalFailureMessage = message;
    planNext(item, now, global);
}

} // namespace ck::renewal
