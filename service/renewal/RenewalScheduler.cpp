#include "renewal/RenewalScheduler.h"

#include "logging/ItemLog.h"
#include "logging/Logger.h"
#include "model/JsonReader.h"
#include "renewal/RenewalPlan.h"
#include "store/StoreWorker.h"

#include <QRandomGenerator>

#include <algorithm>

namespace ck::renewal {

namespace {
using Candidate = RenewalScheduler::Candidate;

struct Scan {
    std::vector<Candidate> candidates; // due, and left in progress
    int due = 0;
    int plansStored = 0;
};

// On the store thread: plans every item, stores the plans that changed as the items' next
// attempts, and lists what may need starting.
// With `automatic` false only the requests a stopped service left under way are candidates, and
// no plan is stored: automatic renewal is paused.
Scan scanItems(store::ItemStore& s, const RenewalPolicy& policy, const QDateTime& now,
               bool automatic) {
    Scan scan;
    QList<ManagedCertificate> changedPlans;
    for (ManagedCertificate item : s.all()) {
        const RenewalPlan plan =
            planRenewal(item, policy, now, QRandomGenerator::global()->generateDouble());
        if (plan.verdict == RenewalPlan::Verdict::InProgress) {
            scan.candidates.push_back(
                {item.id, item.dateLastRenewalAttempt, item.dateNextScheduledRenewalAttempt, true});
            continue;
        }
        if (!automatic)
            continue;
        if (plan.nextAttempt != item.dateNextScheduledRenewalAttempt) {
            item.dateNextScheduledRenewalAttempt = plan.nextAttempt;
            changedPlans.append(item);
        }
        if (plan.due()) {
            ++scan.due;
            scan.candidates.push_back(
                {item.id, item.dateLastRenewalAttempt, plan.nextAttempt, false});
        }
    }
    // In one transaction: a pass over thousands of items must not hold the store for minutes.
    scan.plansStored = int(s.updateMany(std::move(changedPlans)).size());
    // Requests to resume first, then the longest-waiting: never attempted, then oldest attempt.
    std::stable_sort(scan.candidates.begin(), scan.candidates.end(),
                     [](const Candidate& a, const Candidate& b) {
                         if (a.resumed != b.resumed)
                             return a.resumed;
                         if (a.lastAttempt.isValid() != b.lastAttempt.isValid())
                             return !a.lastAttempt.isValid();
                         if (a.lastAttempt != b.lastAttempt)
                             return a.lastAttempt < b.lastAttempt;
                         return a.nextAttempt < b.nextAttempt;
                     });
    return scan;
}

// Whether the item still needs starting, checked on a fresh copy right before it is started.
struct Recheck {
    bool start = false;
    QString name;
    QString reason;
};
} // namespace

RenewalScheduler::RenewalScheduler(asio::io_context& ioc, store::StoreWorker& store,
                                   RequestRunner& runner, const store::PreferencesStore& settings,
                                   logging::Logger& log, QString logsDir, const Clock& clock)
    : m_ioc(ioc), m_store(store), m_runner(runner), m_settings(settings), m_log(log),
      m_logsDir(std::move(logsDir)), m_clock(clock), m_timer(ioc) {}

void RenewalScheduler::start() {
    asio::co_spawn(m_ioc, loop(), asio::detached);
}

void RenewalScheduler::stop() {
    m_stopped = true;
    m_timer.cancel();
}

void RenewalScheduler::wake() {
    m_wakeRequested = true;
    m_timer.cancel();
}

awaitable<void> RenewalScheduler::loop() {
    while (!m_stopped) {
        QString failure;
        try {
            co_await runPass();
        } catch (const DomainError& e) {
            failure = e.message();
        } catch (const std::exception& e) {
            failure = QString::fromUtf8(e.what());
        }
        if (!failure.isEmpty())
            m_log.warning(QStringLiteral("The renewal check failed (%1); the next check tries "
                                         "again")
                              .arg(failure));
        if (m_stopped || m_wakeRequested)
            continue;
        m_timer.expires_after(
            std::chrono::minutes(m_settings.current().renewalCheckIntervalMinutes));
        ErrorCode ec;
        co_await m_timer.async_wait(asio::redirect_error(use_awaitable, ec));
    }
}

awaitable<void> RenewalScheduler::releaseStuck(const Preferences& prefs, const QDateTime& now) {
    const QDateTime cutoff = now.addSecs(-60LL * prefs.renewalTimeoutMinutes);
    const QString why =
        QStringLiteral("The request was still running after %1 minutes (renewalTimeoutMinutes "
                       "in the settings) and was released, so the certificate can be tried "
                       "again; its log shows the last step it reached")
            .arg(prefs.renewalTimeoutMinutes);
    const QStringList released = co_await m_runner.releaseStartedBefore(cutoff, why);
    for (const QString& id : released) {
        m_log.warning(QStringLiteral("Released the request of %1 after %2 minutes")
                          .arg(id)
                          .arg(prefs.renewalTimeoutMinutes));
        m_renewing.erase(id);
    }
    // Renewals whose end was not reported (the item was deleted meanwhile) free their slot too.
    std::erase_if(m_renewing,
                  [this](const auto& entry) { return !m_runner.isActive(entry.first); });
}

awaitable<void> RenewalScheduler::runPass() {
    m_wakeRequested = false;
    const Preferences prefs = m_settings.current();
    const QDateTime now = m_clock.now();
    co_await releaseStuck(prefs, now);
    auto work = [policy = prefs.renewal, now, automatic = prefs.automaticRenewal](
                    store::ItemStore& s) { return scanItems(s, policy, now, automatic); };
    const Scan scan = co_await m_store.run(std::move(work));
    m_queue.clear();
    for (const Candidate& c : scan.candidates)
        if (!m_runner.isActive(c.id))
            m_queue.push_back(c);
    m_itemsDue = scan.due;
    m_lastRun = now;
    m_nextRun = now.addSecs(60LL * prefs.renewalCheckIntervalMinutes);
    if (!prefs.automaticRenewal && !m_pausedLogged)
        m_log.info(QStringLiteral("Automatic renewal is paused in the settings: only requests "
                                  "asked for by hand (and orders left under way) run"));
    m_pausedLogged = !prefs.automaticRenewal;
    if (!m_queue.empty() || scan.plansStored > 0)
        m_log.info(QStringLiteral("Renewal check: %1 due, %2 to start, %3 plans updated")
                       .arg(scan.due)
                       .arg(m_queue.size())
                       .arg(scan.plansStored));
    co_await fill();
    ++m_passes; // counted once its renewals are queued: a client that saw it sees them queued
}

void RenewalScheduler::requestFinished(const QString& itemId) {
    if (m_renewing.erase(itemId) > 0 && !m_queue.empty())
        asio::co_spawn(m_ioc, fill(), asio::detached);
}

awaitable<void> RenewalScheduler::fill() {
    if (m_filling) {
        m_refill = true;
        co_return;
    }
    m_filling = true;
    try {
        do {
            m_refill = false;
            while (!m_stopped && !m_queue.empty() &&
                   int(m_renewing.size()) < m_settings.current().maxParallelRenewals) {
                const Candidate next = m_queue.front();
                m_queue.pop_front();
                co_await startIfStillNeeded(next);
            }
        } while (m_refill && !m_stopped);
    } catch (...) {
        m_filling = false;
        throw;
    }
    m_filling = false;
}

awaitable<bool> RenewalScheduler::startIfStillNeeded(const Candidate& candidate) {
    const QString id = candidate.id;
    const QDateTime now = m_clock.now();
    auto recheck = [id, policy = m_settings.current().renewal, now](store::ItemStore& s) {
        const ManagedCertificate item = s.get(id);
        const RenewalPlan plan = planRenewal(item, policy, now, 0.5);
        Recheck r;
        r.name = item.name;
        if (plan.verdict == RenewalPlan::Verdict::InProgress) {
            r.start = true;
            r.reason = QStringLiteral("its request was left unfinished when the service stopped; "
                                      "resuming it");
        } else if (plan.due()) {
            r.start = true;
            r.reason = QStringLiteral("due: %1").arg(plan.reason);
        }
        return r;
    };
    Recheck check;
    try {
        check = co_await m_store.run(std::move(recheck));
    } catch (const DomainError&) {
        check.start = false; // deleted since the scan
    }
    // Nothing may run between the fresh read and enqueue: that is what keeps a request that
    // just finished (or just started) from being started again.
    if (!check.start || m_runner.isActive(id))
        co_return false;
    bool started = false;
    QString refused;
    try {
        started = co_await m_runner.enqueue(id);
    } catch (const DomainError& e) {
        refused = e.message();
    }
    if (!refused.isEmpty())
        m_log.warning(QStringLiteral("Could not start the renewal of %1: %2").arg(id, refused));
    if (started) {
        m_renewing[id] = now;
        logging::ItemLog(m_logsDir, id, m_log)
            .info(QStringLiteral("Automatic renewal started: %1").arg(check.reason));
    }
    co_return started;
}

awaitable<RenewalsStarted> RenewalScheduler::renewNow(std::optional<QStringList> ids) {
    RenewalsStarted result;
    QStringList toStart;
    if (ids) {
        toStart = *ids;
        toStart.removeDuplicates();
    } else {
        // Asked for by hand: every due item, even while automatic renewal is paused.
        auto work = [policy = m_settings.current().renewal, now = m_clock.now()](
                        store::ItemStore& s) { return scanItems(s, policy, now, true); };
        const Scan scan = co_await m_store.run(std::move(work));
        for (const Candidate& c : scan.candidates)
            if (!c.resumed)
                toStart << c.id;
    }
    for (const QString& id : toStart) {
        bool started = false;
        QString refused;
        try {
            started = co_await m_runner.enqueue(id);
        } catch (const NotFoundError&) {
            refused = QStringLiteral("no managed certificate has this id");
        } catch (const DomainError& e) {
            refused = e.message();
        }
        if (started) {
            result.queued << id;
            logging::ItemLog(m_logsDir, id, m_log)
                .info(ids ? QStringLiteral("Renewal requested")
                          : QStringLiteral("Renewal of every due certificate requested"));
        } else {
            result.skipped.append({id, refused.isEmpty()
                                           ? QStringLiteral("a request for it is already queued or "
                                                            "running")
                                           : refused});
        }
    }
    co_return result;
}

ServiceDiagnostics::Scheduler RenewalScheduler::diagnostics() const {
    const Preferences& prefs = m_settings.current();
    ServiceDiagnostics::Scheduler d;
    d.lastRun = m_lastRun;
    d.nextRun = m_nextRun;
    d.checks = m_passes;
    d.automaticRenewal = prefs.automaticRenewal;
    d.intervalMinutes = prefs.renewalCheckIntervalMinutes;
    d.maxParallelRenewals = prefs.maxParallelRenewals;
    d.itemsDue = m_itemsDue;
    for (const auto& [id, since] : m_renewing)
        d.running << id;
    d.waiting = int(m_queue.size());
    return d;
}

} // namespace ck::renewal
