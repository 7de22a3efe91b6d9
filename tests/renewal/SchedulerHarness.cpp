#include "SchedulerHarness.h"

#include "store/SqliteItemStore.h"

#include <catch2/catch.hpp>

#include <QDeadlineTimer>

namespace ck::test {

namespace {
awaitable<bool> passThenTrue(renewal::RenewalScheduler& scheduler) {
    co_await scheduler.runPass();
    co_return true;
}
} // namespace

awaitable<bool> ScriptedRunner::enqueue(const QString& itemId) {
    if (active.count(itemId))
        co_return false;
    active[itemId] = m_clock.now();
    auto markRunning = [itemId, now = m_clock.now()](store::ItemStore& s) {
        ManagedCertificate item = s.get(itemId);
        item.lastRenewalStatus = RequestState::Running;
        item.dateLastRenewalAttempt = now;
        return s.update(item);
    };
    bool stored = false;
    try {
        co_await m_store.run(std::move(markRunning));
        stored = true;
    } catch (const DomainError&) {
    }
    if (!stored) {
        active.erase(itemId);
        throw NotFoundError(QStringLiteral("no such item"));
    }
    started << itemId;
    co_return true;
}

awaitable<QStringList> ScriptedRunner::releaseStartedBefore(QDateTime cutoff, QString why) {
    releaseCutoffs << cutoff;
    QStringList released;
    for (const auto& [id, since] : active)
        if (since < cutoff)
            released << id;
    for (const QString& id : released) {
        active.erase(id);
        auto record = [id, why, now = m_clock.now()](store::ItemStore& s) {
            ManagedCertificate item = s.get(id);
            renewal::recordFailure(item, why, now, RenewalPolicy{});
            return s.update(item);
        };
        co_await m_store.run(std::move(record));
    }
    co_return released;
}

SchedulerHarness::SchedulerHarness()
    : settings(dir.path()), runner(store, clock),
      scheduler(ioc, store, runner, settings, log, dir.path(), clock) {
    QList<store::RecoveryEvent> events;
    store.open([&] { return store::SqliteItemStore::open(dir.path(), &events); });
}

SchedulerHarness::~SchedulerHarness() {
    scheduler.stop();
    store.close();
}

QString SchedulerHarness::create(ManagedCertificate item, const QDateTime& created) {
    return store.call([&](store::ItemStore& s) { return s.create(item, created); }).id;
}

ManagedCertificate SchedulerHarness::item(const QString& id) {
    return store.call([&](store::ItemStore& s) { return s.get(id); });
}

void SchedulerHarness::change(const QString& id,
                              const std::function<void(ManagedCertificate&)>& edit) {
    store.call([&](store::ItemStore& s) {
        ManagedCertificate item = s.get(id);
        edit(item);
        return s.update(item);
    });
}

void SchedulerHarness::setPreferences(const std::function<void(Preferences&)>& edit) {
    Preferences p = settings.current();
    edit(p);
    REQUIRE(validatePreferences(p).isEmpty());
    settings.save(p);
}

void SchedulerHarness::pass() {
    runToEnd(ioc, passThenTrue(scheduler));
}

void SchedulerHarness::finish(const QString& id, const QString& failure, int expectStarted) {
    REQUIRE(runner.active.count(id) == 1);
    runner.active.erase(id);
    const QDateTime now = clock.now();
    change(id, [&](ManagedCertificate& m) {
        if (failure.isEmpty()) {
            m.dateStart = now;
            m.dateExpiry = now.addDays(90);
            m.certificateSerial = QStringLiteral("01");
            renewal::recordSuccess(m, now, settings.current().renewal);
        } else {
            renewal::recordFailure(m, failure, now, settings.current().renewal);
        }
    });
    scheduler.requestFinished(id);
    CHECK(runUntil([&] { return runner.started.size() >= expectStarted; }));
}

RenewalsStarted SchedulerHarness::renewNow(std::optional<QStringList> ids) {
    return runToEnd(ioc, scheduler.renewNow(std::move(ids)));
}

bool SchedulerHarness::runUntil(const std::function<bool()>& done) {
    auto guard = asio::make_work_guard(ioc);
    ioc.restart();
    QDeadlineTimer deadline(5000);
    while (!done()) {
        if (deadline.hasExpired())
            return false;
        ioc.run_for(std::chrono::milliseconds(5));
    }
    return true;
}

ManagedCertificate newItem(const QString& name) {
    ManagedCertificate item;
    item.name = name;
    item.certificateAuthorityId = QStringLiteral("letsencrypt");
    item.requestConfig.primaryDomain = name;
    item.requestConfig.subjectAlternativeNames = {name};
    return item;
}

ManagedCertificate issuedItem(const QString& name, const QDateTime& start) {
    ManagedCertificate item = newItem(name);
    item.dateStart = start;
    item.dateExpiry = start.addDays(90);
    item.dateRenewed = start;
    item.dateLastRenewalAttempt = start;
    item.lastRenewalStatus = RequestState::Success;
    return item;
}

} // namespace ck::test
