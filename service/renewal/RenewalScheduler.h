#pragma once
// The renewal scheduler: at start and every renewalCheckIntervalMinutes (and at once when the
// settings change) it plans every item (RenewalPlan), stores each changed plan as the item's
// next attempt, and starts the due ones through the request runner, at most
// maxParallelRenewals at a time, the longest-waiting first. Requests left queued or running by
// a service that stopped are started again (the issuer resumes the CA's pending order rather
// than placing a second one). A request running longer than renewalTimeoutMinutes is released
// and logged, so the item can be tried again.
//
// Runs on the network thread; the clock is injected so tests can move time.

#include "base/Async.h"
#include "base/Clock.h"
#include "logging/Logger.h"
#include "model/ApiResults.h"
#include "model/ServiceDiagnostics.h"
#include "renewal/RequestRunner.h"
#include "store/PreferencesStore.h"
#include "store/StoreWorker.h"

#include <QDateTime>
#include <QStringList>

#include <deque>
#include <map>
#include <optional>

namespace ck::renewal {

class RenewalScheduler {
public:
    RenewalScheduler(asio::io_context& ioc, store::StoreWorker& store, RequestRunner& runner,
                     const store::PreferencesStore& settings, logging::Logger& log, QString logsDir,
                     const Clock& clock);

    // The first pass now, then one every renewalCheckIntervalMinutes until stop().
    void start();
    void stop();
    // A pass as soon as possible (the settings changed).
    void wake();
    // One pass, awaited: what the timer runs; tests call it directly.
    awaitable<void> runPass();
    // RequestRunner hook: a request ended, so a renewal slot may be free.
    void requestFinished(const QString& itemId);

    // Starts the listed items now (whether due or not), or with no list every due item.
    awaitable<RenewalsStarted> renewNow(std::optional<QStringList> ids);

    // For /api/system/diagnostics: last and next pass, passes completed ("checks"), items due,
    // renewals running.
    ServiceDiagnostics::Scheduler diagnostics() const;

    struct Candidate {
        QString id;
        QDateTime lastAttempt;
        QDateTime nextAttempt;
        bool resumed = false; // left queued or running by a stopped service
    };

private:
    awaitable<void> loop();
    awaitable<void> releaseStuck(const Preferences& prefs, const QDateTime& now);
    // Starts queued candidates while fewer than maxParallelRenewals run.
    awaitable<void> fill();
    // Re-reads the item and starts it if it still needs to be; whether it was started.
    awaitable<bool> startIfStillNeeded(const Candidate& candidate);

    asio::io_context& m_ioc;
    store::StoreWorker& m_store;
    RequestRunner& m_runner;
    const store::PreferencesStore& m_settings;
    logging::Logger& m_log;
    QString m_logsDir;
    const Clock& m_clock;
    asio::steady_timer m_timer;

    bool m_stopped = false;
    bool m_wakeRequested = false;
    bool m_filling = false;
    bool m_refill = false;
    bool m_pausedLogged = false; // "paused" is logged once per pause, not every pass
    std::deque<Candidate> m_queue;
    std::map<QString, QDateTime> m_renewing; // started by the scheduler and not yet finished
    QDateTime m_lastRun;
    QDateTime m_nextRun;
    int m_itemsDue = 0;
    int m_passes = 0;
};

} // namespace ck::renewal
