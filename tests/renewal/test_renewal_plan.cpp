// When an item is due: every renewal mode, the per-item override, the CA's window (ARI), the
// items the scheduler must leave alone, and each step of the failure backoff, as tables over a
// 90-day certificate issued at T0. Then a clock moved through a run of failures.

#include "renewal/RenewalPlan.h"

#include <catch2/catch.hpp>

#include <functional>

using namespace ck;
using namespace ck::renewal;
using Verdict = RenewalPlan::Verdict;

namespace {
const QDateTime T0(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC);

QDateTime day(double d) {
    return T0.addMSecs(qint64(d * 24 * 3600 * 1000));
}
QDateTime hoursAfter(const QDateTime& t, double h) {
    return t.addMSecs(qint64(h * 3600 * 1000));
}

// Issued at T0 for 90 days, renewed then, created ten days before.
ManagedCertificate issuedItem() {
    ManagedCertificate item;
    item.id = QStringLiteral("item-1");
    item.name = QStringLiteral("www.example.com");
    item.requestConfig.primaryDomain = QStringLiteral("www.example.com");
    item.dateCreated = day(-10);
    item.dateStart = T0;
    item.dateExpiry = day(90);
    item.dateRenewed = T0;
    item.lastRenewalStatus = RequestState::Success;
    return item;
}

RenewalPolicy policy(RenewalMode mode, int interval) {
    RenewalPolicy p;
    p.mode = mode;
    p.interval = interval;
    return p;
}

struct Row {
    const char* what;
    std::function<void(ManagedCertificate&)> change;
    RenewalPolicy global;
    QDateTime now;
    Verdict verdict;
    QDateTime nextAttempt; // invalid: none
    double randomFraction = 0.5;
};

const char* name(Verdict v) {
    switch (v) {
    case Verdict::Due:
        return "Due";
    case Verdict::Scheduled:
        return "Scheduled";
    case Verdict::Disabled:
        return "Disabled";
    case Verdict::Paused:
        return "Paused";
    case Verdict::InProgress:
        return "InProgress";
    }
    return "?";
}

void check(const Row& row) {
    ManagedCertificate item = issuedItem();
    if (row.change)
        row.change(item);
    const RenewalPlan plan = planRenewal(item, row.global, row.now, row.randomFraction);
    INFO(row.what << "\nreason: " << plan.reason.toStdString()
                  << "\nnext: " << plan.nextAttempt.toString(Qt::ISODateWithMs).toStdString()
                  << " expected " << row.nextAttempt.toString(Qt::ISODateWithMs).toStdString());
    CHECK(name(plan.verdict) == std::string(name(row.verdict)));
    CHECK(plan.nextAttempt == row.nextAttempt);
    if (plan.verdict != Verdict::InProgress)
        CHECK_FALSE(plan.reason.isEmpty());
}

const RenewalPolicy kDefault; // 75 % of the lifetime
} // namespace

TEST_CASE("renewal plan: each mode and the per-item override", "[renewal][plan]") {
    auto override = [](RenewalMode mode, int interval) {
        return [=](ManagedCertificate& m) { m.renewalOverride = policy(mode, interval); };
    };
    const std::vector<Row> rows{
        {"never issued: due since it was created",
         [](ManagedCertificate& m) {
             m.dateStart = m.dateExpiry = m.dateRenewed = {};
             m.lastRenewalStatus = RequestState::NotRunning;
         },
         kDefault, day(-9), Verdict::Due, day(-10)},
        {"75 % of 90 days: not yet at day 60",
         {},
         kDefault,
         day(60),
         Verdict::Scheduled,
         day(67.5)},
        {"75 % of 90 days: due at day 67.5 exactly",
         {},
         kDefault,
         day(67.5),
         Verdict::Due,
         day(67.5)},
        {"50 % of the lifetime",
         {},
         policy(RenewalMode::PercentageOfLifetime, 50),
         day(1),
         Verdict::Scheduled,
         day(45)},
        {"30 days before expiry",
         {},
         policy(RenewalMode::DaysBeforeExpiry, 30),
         day(59.9),
         Verdict::Scheduled,
         day(60)},
        {"30 days before expiry, reached",
         {},
         policy(RenewalMode::DaysBeforeExpiry, 30),
         day(61),
         Verdict::Due,
         day(60)},
        {"20 days after the last renewal", [](ManagedCertificate& m) { m.dateRenewed = day(1); },
         policy(RenewalMode::DaysAfterRenewal, 20), day(2), Verdict::Scheduled, day(21)},
        {"days after renewal without a renewal date: from the start",
         [](ManagedCertificate& m) { m.dateRenewed = {}; },
         policy(RenewalMode::DaysAfterRenewal, 20), day(2), Verdict::Scheduled, day(20)},
        {"200 days after renewal is past expiry: at expiry",
         {},
         policy(RenewalMode::DaysAfterRenewal, 200),
         day(2),
         Verdict::Scheduled,
         day(90)},
        {"the item's override wins over the global policy",
         override(RenewalMode::DaysBeforeExpiry, 10), kDefault, day(70), Verdict::Scheduled,
         day(80)},
        {"an override of 3650 days before expiry makes an issued item due now",
         override(RenewalMode::DaysBeforeExpiry, 3650), kDefault, day(1), Verdict::Due,
         day(90 - 3650)},
        {"override by percentage", override(RenewalMode::PercentageOfLifetime, 10), kDefault,
         day(8), Verdict::Scheduled, day(9)},
        {"override by days after renewal", override(RenewalMode::DaysAfterRenewal, 5), kDefault,
         day(6), Verdict::Due, day(5)},
        {"an expired certificate is due",
         {},
         policy(RenewalMode::DaysBeforeExpiry, 1),
         day(95),
         Verdict::Due,
         day(89)},
    };
    for (const auto& row : rows)
        check(row);
}

TEST_CASE("renewal plan: a renewal window from the CA (ARI) wins", "[renewal][plan][ari]") {
    auto window = [](double from, double to, QDateTime kept = {}) {
        return [=](ManagedCertificate& m) {
            m.ariWindowStart = day(from);
            m.ariWindowEnd = day(to);
            m.dateNextScheduledRenewalAttempt = kept;
            m.renewalOverride = policy(RenewalMode::DaysBeforeExpiry, 3650);
        };
    };
    const std::vector<Row> rows{
        {"a random time inside the window, over the policy and the override", window(50, 52),
         kDefault, day(49), Verdict::Scheduled, day(51), 0.5},
        {"the start of the window for fraction 0", window(50, 52), kDefault, day(49),
         Verdict::Scheduled, day(50), 0.0},
        {"due once the chosen time has come", window(50, 52), kDefault, day(51.5), Verdict::Due,
         day(50.5), 0.25},
        {"a time chosen earlier inside the window is kept", window(50, 52, day(51.75)), kDefault,
         day(49), Verdict::Scheduled, day(51.75), 0.0},
        {"a time outside a new window is chosen again", window(50, 52, day(67.5)), kDefault,
         day(49), Verdict::Scheduled, day(52), 1.0},
        {"a window already past: due now", window(10, 11), kDefault, day(30), Verdict::Due,
         day(10.5), 0.5},
        {"a window without an end is no window",
         [](ManagedCertificate& m) { m.ariWindowStart = day(10); }, kDefault, day(30),
         Verdict::Scheduled, day(67.5)},
    };
    for (const auto& row : rows)
        check(row);
}

TEST_CASE("renewal plan: what the scheduler leaves alone", "[renewal][plan]") {
    const std::vector<Row> rows{
        {"includeInAutoRenew false is never renewed automatically, even long overdue",
         [](ManagedCertificate& m) { m.includeInAutoRenew = false; },
         kDefault,
         day(200),
         Verdict::Disabled,
         {}},
        {"a paused item waits for the user",
         [](ManagedCertificate& m) { m.lastRenewalStatus = RequestState::Paused; },
         kDefault,
         day(80),
         Verdict::Paused,
         {}},
        {"a queued item is in progress; its next attempt stays as stored",
         [](ManagedCertificate& m) {
             m.lastRenewalStatus = RequestState::Queued;
             m.dateNextScheduledRenewalAttempt = day(67.5);
         },
         kDefault, day(80), Verdict::InProgress, day(67.5)},
        {"a running item is in progress, even with automatic renewal off",
         [](ManagedCertificate& m) {
             m.lastRenewalStatus = RequestState::Running;
             m.includeInAutoRenew = false;
         },
         kDefault,
         day(80),
         Verdict::InProgress,
         {}},
    };
    for (const auto& row : rows)
        check(row);
}

TEST_CASE("renewal plan: failures back off step by step", "[renewal][plan][backoff]") {
    const QDateTime failedAt = day(70); // after the 75 % point, so the backoff decides
    struct Step {
        int failures;
        double waitHours;
    };
    const std::vector<Step> steps{{1, 0}, {2, 0},  {3, 0},  {4, 1},   {5, 2},   {6, 4},
                                  {7, 8}, {8, 16}, {9, 32}, {10, 48}, {11, 48}, {40, 48}};
    for (const auto& step : steps) {
        INFO("failures in a row: " << step.failures);
        const Row row{"backoff",
                      [&](ManagedCertificate& m) {
                          m.lastRenewalStatus = RequestState::Error;
                          m.renewalFailureCount = step.failures;
                          m.dateLastRenewalAttempt = failedAt;
                      },
                      kDefault,
                      step.waitHours == 0 ? failedAt : hoursAfter(failedAt, step.waitHours - 0.01),
                      step.waitHours == 0 ? Verdict::Due : Verdict::Scheduled,
                      hoursAfter(failedAt, step.waitHours)};
        check(row);
    }

    SECTION("the wait is capped at a tenth of a short certificate's lifetime") {
        const Row row{"6-day certificate, 10 failures",
                      [&](ManagedCertificate& m) {
                          m.dateExpiry = day(6);
                          m.lastRenewalStatus = RequestState::Error;
                          m.renewalFailureCount = 10;
                          m.dateLastRenewalAttempt = day(5);
                      },
                      kDefault,
                      day(5.7),
                      Verdict::Due,
                      hoursAfter(day(5), 14.4)};
        check(row);
        CHECK(backoffAfter(10, std::chrono::hours(24 * 6)) == std::chrono::seconds(51840));
    }
    SECTION("a failure before the item was due does not bring its renewal forward") {
        const Row row{"manual request failed on day 10",
                      [&](ManagedCertificate& m) {
                          m.lastRenewalStatus = RequestState::Error;
                          m.renewalFailureCount = 5;
                          m.dateLastRenewalAttempt = day(10);
                      },
                      kDefault,
                      day(11),
                      Verdict::Scheduled,
                      day(67.5)};
        check(row);
    }
    SECTION("a never-issued item that keeps failing waits too") {
        const Row row{"never issued, 5 failures",
                      [&](ManagedCertificate& m) {
                          m.dateStart = m.dateExpiry = m.dateRenewed = {};
                          m.lastRenewalStatus = RequestState::Error;
                          m.renewalFailureCount = 5;
                          m.dateLastRenewalAttempt = day(-1);
                      },
                      kDefault,
                      hoursAfter(day(-1), 1),
                      Verdict::Scheduled,
                      hoursAfter(day(-1), 2)};
        check(row);
    }
}

TEST_CASE("renewal plan: recorded outcomes plan the next attempt", "[renewal][plan]") {
    ManagedCertificate item = issuedItem();
    item.dateLastRenewalAttempt = day(70);
    recordFailure(item, QStringLiteral("The CA said no"), day(70), kDefault);
    CHECK(item.lastRenewalStatus == RequestState::Error);
    CHECK(item.renewalFailureCount == 1);
    CHECK(item.renewalFailureMessage == QStringLiteral("The CA said no"));
    CHECK(item.dateNextScheduledRenewalAttempt == day(70)); // the next run tries again

    // Renewed on day 71 with a new 90-day certificate: failures cleared, next at 75 % of it.
    item.dateStart = day(71);
    item.dateExpiry = day(161);
    recordSuccess(item, day(71), kDefault);
    CHECK(item.lastRenewalStatus == RequestState::Success);
    CHECK(item.renewalFailureCount == 0);
    CHECK(item.renewalFailureMessage.isEmpty());
    CHECK(item.dateRenewed == day(71));
    CHECK(item.dateNextScheduledRenewalAttempt == day(71 + 67.5));
}

TEST_CASE("renewal plan: a clock moved through a run of failures", "[renewal][plan][backoff]") {
    ManagedCertificate item = issuedItem();
    QDateTime now = day(68); // due since day 67.5
    QList<double> waitsInHours;
    for (int attempt = 1; attempt <= 12; ++attempt) {
        // Move the clock minute by minute until the item is due again.
        const QDateTime before = now;
        while (!planRenewal(item, kDefault, now, 0.5).due())
            now = now.addSecs(60);
        if (attempt > 1)
            waitsInHours << double(before.secsTo(now)) / 3600.0;
        item.dateLastRenewalAttempt = now;
        recordFailure(item, QStringLiteral("still failing"), now, kDefault);
        CHECK(item.dateNextScheduledRenewalAttempt >= now);
    }
    const QList<double> expected{0, 0, 0, 1, 2, 4, 8, 16, 32, 48, 48};
    CHECK(waitsInHours == expected);
}

TEST_CASE("renewal plan: a revoked certificate is due at once, and backs off after failures",
          "[renewal][plan][revocation]") {
    ManagedCertificate item = issuedItem();
    item.certificateRevoked = true;
    const RenewalPolicy global = policy(RenewalMode::DaysBeforeExpiry, 30);
    const RenewalPlan plan = planRenewal(item, global, day(5), 0.5);
    CHECK(plan.verdict == Verdict::Due);
    CHECK(plan.reason.contains(QStringLiteral("revoked")));
    // The same plan on the next pass: nothing to store again.
    CHECK(planRenewal(item, global, day(5.1), 0.5).nextAttempt == plan.nextAttempt);
    // Off is off, even for a revoked certificate.
    item.includeInAutoRenew = false;
    CHECK(planRenewal(item, global, day(5), 0.5).verdict == Verdict::Disabled);
    item.includeInAutoRenew = true;
    // Failing renewals back off as any other.
    item.renewalFailureCount = kImmediateRetries + 2;
    item.dateLastRenewalAttempt = day(5);
    CHECK(planRenewal(item, global, hoursAfter(day(5), 0.5), 0.5).verdict == Verdict::Scheduled);
}
