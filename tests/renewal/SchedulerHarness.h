#pragma once
// The renewal scheduler on a real store in a temporary directory, with a clock the test moves
// and a request runner whose requests the test ends by hand (ScriptedRunner): the issuance itself
// is tested end to end against Pebble (tests/e2e); here the scheduler's own rules are under test
// (which items, in what order, how many at once, after how long, and what is recorded).

#include "logging/Logger.h"
#include "renewal/RenewalPlan.h"
#include "renewal/RenewalScheduler.h"
#include "store/PreferencesStore.h"
#include "store/StoreWorker.h"

#include <QTemporaryDir>

#include <functional>
#include <map>
#include <optional>

namespace ck::test {

// Runs `a` on `ioc` to completion: the store and the notification senders answer from their own
// threads, so the loop is kept alive by a work guard until the coroutine is done.
template <typename T> T runToEnd(asio::io_context& ioc, awaitable<T> a) {
    std::optional<T> result;
    std::exception_ptr error;
    auto guard = asio::make_work_guard(ioc);
    asio::co_spawn(ioc, std::move(a), [&](std::exception_ptr e, T value) {
        error = e;
        result = std::move(value);
        guard.reset();
    });
    ioc.restart();
    ioc.run();
    if (error)
        std::rethrow_exception(error);
    return std::move(*result);
}

inline const QDateTime T0(QDate(2026, 3, 1), QTime(12, 0), Qt::UTC);

// Marks items Running as RequestService does; finish() records outcomes with the same
// functions RequestService uses, at the fake clock's time.
class ScriptedRunner final : public renewal::RequestRunner {
public:
    ScriptedRunner(store::StoreWorker& store, const ManualClock& clock)
        : m_store(store), m_clock(clock) {}

    awaitable<bool> enqueue(const QString& itemId) override;
    bool isActive(const QString& itemId) const override { return active.count(itemId) > 0; }
    awaitable<QStringList> releaseStartedBefore(QDateTime cutoff, QString why) override;

    std::map<QString, QDateTime> active; // id -> running since
    QStringList started;                 // every enqueue that started, in order
    QList<QDateTime> releaseCutoffs;     // what the scheduler asked for

private:
    store::StoreWorker& m_store;
    const ManualClock& m_clock;
};

struct SchedulerHarness {
    SchedulerHarness();
    ~SchedulerHarness();

    // Stores `item` as created at `created`; its id.
    QString create(ManagedCertificate item, const QDateTime& created);
    ManagedCertificate item(const QString& id);
    void change(const QString& id, const std::function<void(ManagedCertificate&)>& edit);
    void setPreferences(const std::function<void(Preferences&)>& edit);

    // One scheduler pass, run to completion.
    void pass();
    // Ends a running request as a success (a new 90-day certificate) or with `failure`, and tells
    // the scheduler, which may start the next; waits until `expectStarted` requests have started.
    void finish(const QString& id, const QString& failure, int expectStarted);
    RenewalsStarted renewNow(std::optional<QStringList> ids);
    // Runs the network loop until `done` or 5 s.
    bool runUntil(const std::function<bool()>& done);

    QTemporaryDir dir;
    asio::io_context ioc;
    store::StoreWorker store;
    store::PreferencesStore settings;
    ManualClock clock{T0};
    logging::Logger log;
    ScriptedRunner runner;
    renewal::RenewalScheduler scheduler;
};

// A managed certificate for `name` that has never been issued.
ManagedCertificate newItem(const QString& name);
// One issued at `start` for 90 days.
ManagedCertificate issuedItem(const QString& name, const QDateTime& start);

} // namespace ck::test
