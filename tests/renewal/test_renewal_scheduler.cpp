// The renewal scheduler's rules, on a real store with a clock the test moves (SchedulerHarness):
// which items a pass starts and in what order, the limit on parallel renewals, items it must
// leave alone, the plans it stores, backoff after failures, release of a stuck request, requests
// left unfinished by a stopped service, "renew now", and a pass as soon as the settings change.

#include "SchedulerHarness.h"

#include <catch2/catch.hpp>

#include <QJsonArray>

using namespace ck;
using namespace ck::test;

namespace {
QDateTime daysAgo(int days) {
    return T0.addDays(-days);
}
} // namespace

TEST_CASE("scheduler: due items start longest-waiting first, at most maxParallelRenewals",
          "[renewal][scheduler]") {
    SchedulerHarness h;
    h.setPreferences([](Preferences& p) { p.maxParallelRenewals = 2; });
    // Never issued and never tried: created three days ago, and one day ago.
    const QString older = h.create(newItem("older.example.com"), daysAgo(3));
    const QString newer = h.create(newItem("newer.example.com"), daysAgo(1));
    // Issued 80 days ago (due at 75 %), last attempt then.
    const QString expiring = h.create(issuedItem("expiring.example.com", daysAgo(80)), daysAgo(90));
    // Never issued, failed once two hours ago: retried at the next run, after the others.
    ManagedCertificate failed = newItem("failed.example.com");
    failed.lastRenewalStatus = RequestState::Error;
    failed.renewalFailureCount = 1;
    failed.dateLastRenewalAttempt = T0.addSecs(-7200);
    const QString retried = h.create(failed, daysAgo(5));
    const QString fresh = h.create(issuedItem("fresh.example.com", daysAgo(1)), daysAgo(1));

    h.pass();
    CHECK(h.runner.started == QStringList{older, newer});
    const ServiceDiagnostics::Scheduler diag = h.scheduler.diagnostics();
    CHECK(diag.itemsDue == 4);
    CHECK(diag.running.size() == 2);
    CHECK(diag.waiting == 2);
    CHECK(diag.lastRun == T0);
    CHECK(diag.nextRun == T0.addSecs(300));

    // Each finished renewal frees a slot for the next in line.
    h.finish(older, {}, 3);
    CHECK(h.runner.started.last() == expiring);
    h.finish(newer, QStringLiteral("The CA refused"), 4);
    CHECK(h.runner.started.last() == retried);
    CHECK_FALSE(h.runner.started.contains(fresh));
    // A pass while two run starts nothing more (the failed one is due again, but the limit holds).
    h.pass();
    CHECK(h.runner.started.size() == 4);
}

TEST_CASE("scheduler: disabled, paused, not-due and already running items are left alone, "
          "and each item's plan is stored as its next attempt",
          "[renewal][scheduler]") {
    SchedulerHarness h;
    ManagedCertificate off = newItem("off.example.com");
    off.includeInAutoRenew = false;
    const QString disabled = h.create(off, daysAgo(2));
    ManagedCertificate waiting = newItem("paused.example.com");
    waiting.lastRenewalStatus = RequestState::Paused;
    const QString paused = h.create(waiting, daysAgo(2));
    const QString notDue = h.create(issuedItem("notdue.example.com", daysAgo(10)), daysAgo(10));
    const QString manual = h.create(newItem("manual.example.com"), daysAgo(2));
    // A request for `manual` started by hand is running.
    CHECK(h.renewNow(QStringList{manual}).queued == QStringList{manual});

    h.pass();
    CHECK(h.runner.started == QStringList{manual}); // once, not twice
    CHECK_FALSE(h.item(disabled).dateNextScheduledRenewalAttempt.isValid());
    CHECK_FALSE(h.item(paused).dateNextScheduledRenewalAttempt.isValid());
    // 75 % of 90 days after it was issued.
    CHECK(h.item(notDue).dateNextScheduledRenewalAttempt ==
          daysAgo(10).addMSecs(qint64(90) * 24 * 3600 * 1000 * 3 / 4));
    CHECK(h.scheduler.diagnostics().itemsDue == 0);

    // The global policy changes: the stored plans follow at the next pass.
    h.setPreferences([](Preferences& p) {
        p.renewal.mode = RenewalMode::DaysBeforeExpiry;
        p.renewal.interval = 30;
    });
    h.pass();
    CHECK(h.item(notDue).dateNextScheduledRenewalAttempt == daysAgo(10).addDays(60));
    CHECK(h.runner.started == QStringList{manual});
}

TEST_CASE("scheduler: a failing item is retried at once three times, then waits longer each "
          "time; the item shows the count, the error and the next attempt",
          "[renewal][scheduler][backoff]") {
    SchedulerHarness h;
    const QString id = h.create(newItem("flaky.example.com"), daysAgo(1));
    const QString error = QStringLiteral("Pebble said: the DNS name does not resolve");
    // The first attempt and three quick retries, then an hour, then two.
    const QList<int> waitsInMinutes{0, 0, 0, 0, 60, 120};
    int attempts = 0;
    for (const int wait : waitsInMinutes) {
        INFO("attempt " << attempts + 1 << " after waiting " << wait << " min");
        if (wait > 0) {
            h.clock.advance(60LL * (wait - 5)); // a pass shortly before: not yet
            h.pass();
            CHECK(h.runner.started.size() == attempts);
            CHECK(h.item(id).dateNextScheduledRenewalAttempt == h.clock.now().addSecs(5 * 60));
            h.clock.advance(60LL * (5));
        }
        h.pass();
        REQUIRE(h.runner.started.size() == ++attempts);
        h.finish(id, error, attempts);
        const ManagedCertificate item = h.item(id);
        CHECK(item.renewalFailureCount == attempts);
        CHECK(item.renewalFailureMessage == error);
        CHECK(item.lastRenewalStatus == RequestState::Error);
        CHECK(item.dateLastRenewalAttempt == h.clock.now());
    }
    // After six failures the next wait is four hours... and then it succeeds.
    const ManagedCertificate afterSix = h.item(id);
    CHECK(afterSix.dateNextScheduledRenewalAttempt == h.clock.now().addSecs(4 * 3600));
    h.clock.advance(60LL * (4 * 60));
    h.pass();
    REQUIRE(h.runner.started.size() == 7);
    h.finish(id, {}, 7);
    const ManagedCertificate renewed = h.item(id);
    CHECK(renewed.renewalFailureCount == 0);
    CHECK(renewed.renewalFailureMessage.isEmpty());
    CHECK(renewed.dateNextScheduledRenewalAttempt ==
          h.clock.now().addMSecs(qint64(90) * 24 * 3600 * 1000 * 3 / 4));
}

TEST_CASE("scheduler: a request running past renewalTimeoutMinutes is released, recorded and "
          "tried again",
          "[renewal][scheduler]") {
    SchedulerHarness h;
    h.setPreferences([](Preferences& p) { p.renewalTimeoutMinutes = 30; });
    const QString id = h.create(newItem("stuck.example.com"), daysAgo(1));
    h.pass();
    REQUIRE(h.runner.started.size() == 1);
    h.clock.advance(60LL * (25));
    h.pass(); // not yet
    CHECK(h.runner.active.count(id) == 1);
    CHECK(h.runner.started.size() == 1);
    CHECK(h.runner.releaseCutoffs.last() == h.clock.now().addSecs(-30 * 60));

    h.clock.advance(60LL * (10));
    h.pass();
    CHECK(h.runner.started.size() == 2); // released, then due again at once
    const ManagedCertificate item = h.item(id);
    CHECK(item.renewalFailureCount == 1);
    CHECK(item.renewalFailureMessage.contains(QStringLiteral("30 minutes")));
    CHECK(item.renewalFailureMessage.contains(QStringLiteral("renewalTimeoutMinutes")));
}

TEST_CASE("scheduler: requests left queued or running by a stopped service are resumed first",
          "[renewal][scheduler][restart]") {
    SchedulerHarness h;
    h.setPreferences([](Preferences& p) { p.maxParallelRenewals = 1; });
    const QString due = h.create(newItem("due.example.com"), daysAgo(9));
    // A request the user started by hand on an item the scheduler would never renew, cut off.
    ManagedCertificate cut = issuedItem("cut.example.com", daysAgo(2));
    cut.includeInAutoRenew = false;
    cut.lastRenewalStatus = RequestState::Running;
    const QString running = h.create(cut, daysAgo(2));
    ManagedCertificate queuedItem = issuedItem("queued.example.com", daysAgo(3));
    queuedItem.lastRenewalStatus = RequestState::Queued;
    const QString queued = h.create(queuedItem, daysAgo(3));

    h.pass();
    REQUIRE(h.runner.started.size() == 1);
    CHECK(h.runner.started.first() == queued); // the older attempt of the two cut off
    h.finish(queued, {}, 2);
    CHECK(h.runner.started.last() == running);
    h.finish(running, {}, 3);
    CHECK(h.runner.started.last() == due);
    CHECK(h.item(running).lastRenewalStatus == RequestState::Success);
}

TEST_CASE("scheduler: with automatic renewal paused nothing due starts on its own, an order left "
          "under way still finishes, and renew now still works",
          "[renewal][scheduler][pause]") {
    SchedulerHarness h;
    h.setPreferences([](Preferences& p) { p.automaticRenewal = false; });
    const QString due = h.create(newItem("due.example.com"), daysAgo(9));
    const QString old = h.create(issuedItem("old.example.com", daysAgo(85)), daysAgo(85));
    ManagedCertificate cut = issuedItem("cut.example.com", daysAgo(2));
    cut.lastRenewalStatus = RequestState::Running;
    const QString running = h.create(cut, daysAgo(2));
    const QDateTime planBefore = h.item(old).dateNextScheduledRenewalAttempt;

    h.pass();
    CHECK(h.runner.started == QStringList{running}); // the cut-off order, nothing else
    CHECK(h.item(old).dateNextScheduledRenewalAttempt == planBefore); // no plan stored
    CHECK(h.scheduler.diagnostics().automaticRenewal == false);
    h.clock.advance(60LL * (60));
    h.pass();
    CHECK(h.runner.started == QStringList{running});

    const auto byHand = h.renewNow(QStringList{due});
    CHECK(byHand.queued == QStringList{due});

    // Resumed: the next pass starts what is due.
    h.setPreferences([](Preferences& p) { p.automaticRenewal = true; });
    h.pass();
    CHECK(h.runner.started.contains(old));
}

TEST_CASE("scheduler: renew now starts the listed items whether due or not, or every due one",
          "[renewal][scheduler]") {
    SchedulerHarness h;
    const QString notDue = h.create(issuedItem("notdue.example.com", daysAgo(1)), daysAgo(1));
    const QString due1 = h.create(newItem("a.example.com"), daysAgo(2));
    const QString due2 = h.create(issuedItem("b.example.com", daysAgo(85)), daysAgo(85));

    const auto listed = h.renewNow(QStringList{notDue, QStringLiteral("no-such-id"), notDue});
    CHECK(listed.queued == QStringList{notDue});
    REQUIRE(listed.skipped.size() == 1);
    CHECK(listed.skipped[0].id == QStringLiteral("no-such-id"));
    CHECK(listed.skipped[0].reason == QStringLiteral("no managed certificate has this id"));

    const auto again = h.renewNow(QStringList{notDue});
    CHECK(again.queued.isEmpty());
    REQUIRE(again.skipped.size() == 1);
    CHECK(again.skipped[0].reason.contains(QStringLiteral("already")));

    const auto allDue = h.renewNow(std::nullopt);
    CHECK(allDue.queued == (QStringList{due1, due2}));
    CHECK(allDue.skipped.isEmpty());
    const QJsonObject json = allDue.toJson();
    CHECK(json.value("queued").toArray().size() == 2);
    CHECK(json.value("skipped").toArray().isEmpty());
}

TEST_CASE("scheduler: runs at start, and at once when woken by a settings change",
          "[renewal][scheduler]") {
    SchedulerHarness h;
    const QString id = h.create(newItem("woken.example.com"), daysAgo(1));
    h.scheduler.start();
    REQUIRE(h.runUntil([&] { return h.scheduler.diagnostics().checks == 1; }));
    CHECK(h.runner.started == QStringList{id});
    h.clock.advance(60LL * (1));
    h.scheduler.wake(); // long before the 5-minute timer
    REQUIRE(h.runUntil([&] { return h.scheduler.diagnostics().checks == 2; }));
    CHECK(h.scheduler.diagnostics().lastRun == h.clock.now());
    h.scheduler.stop();
    h.scheduler.wake(); // ignored once stopped
    h.ioc.restart();
    h.ioc.run_for(std::chrono::milliseconds(100));
    CHECK(h.scheduler.diagnostics().checks == 2);
}

TEST_CASE("scheduler: the clock jumps a year forward, then a day back: no storm beyond the "
          "limit, no item skipped or renewed twice",
          "[renewal][scheduler][clock]") {
    SchedulerHarness h;
    h.setPreferences([](Preferences& p) { p.maxParallelRenewals = 2; });
    QStringList ids;
    for (int i = 0; i < 6; ++i)
        ids << h.create(issuedItem(QStringLiteral("site%1.example.com").arg(i), T0), T0);
    h.pass();
    CHECK(h.runner.started.isEmpty()); // issued today: nothing due

    // A year later every certificate has expired: all are due, two at a time.
    h.clock.set(T0.addYears(1));
    h.pass();
    CHECK(h.runner.started.size() == 2);
    for (int finished = 0; finished < 6; ++finished) {
        REQUIRE_FALSE(h.runner.active.empty());
        const QString running = h.runner.active.begin()->first;
        CHECK(h.runner.active.size() <= 2);
        h.finish(running, {}, std::min(6, finished + 3));
    }
    CHECK(h.runner.active.empty());
    QStringList renewed = h.runner.started;
    renewed.sort();
    QStringList expected = ids;
    expected.sort();
    CHECK(renewed == expected); // each once, none skipped

    // Back a day: the certificates now start "tomorrow". Nothing is due, nothing starts, and an
    // item that really is due is still renewed.
    h.clock.set(T0.addYears(1).addDays(-1));
    const QString due = h.create(issuedItem("due.example.com", h.clock.now().addDays(-80)),
                                 h.clock.now().addDays(-80));
    h.pass();
    CHECK(h.runner.started.size() == 7);
    CHECK(h.runner.started.last() == due);
    h.pass(); // and only once
    CHECK(h.runner.started.size() == 7);
    for (const QString& id : ids)
        CHECK(h.item(id).dateNextScheduledRenewalAttempt > h.clock.now());
}
