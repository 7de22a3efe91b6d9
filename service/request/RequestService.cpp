#include "request/RequestService.h"

#include "acme/AcmeError.h"
#include "base/FaultPoint.h"
#include "deploy/DeploymentRunner.h"
#include "logging/ItemLog.h"
#include "renewal/RenewalPlan.h"
#include "request/CertificateIssuer.h"
#include "store/StoreWorker.h"

#include <optional>

namespace ck::request {

namespace {
// Applies `change` to the newest stored copy of the item, on the store thread, so the service's
// own bookkeeping never conflicts with itself.
struct StateChange {
    QString id;
    std::function<void(ManagedCertificate&)> change;
    ManagedCertificate operator()(store::ItemStore& s) const {
        ManagedCertificate item = s.get(id);
        change(item);
        return s.update(item);
    }
};
} // namespace

RequestService::RequestService(asio::io_context& ioc, store::StoreWorker& store,
                               CertificateIssuer& issuer, QString logsDir, logging::Logger& log,
                               int maxConcurrent, deploy::DeploymentRunner& deploy,
                               const Clock& clock)
    : m_ioc(ioc), m_store(store), m_issuer(issuer), m_deploy(deploy), m_clock(clock),
      m_logsDir(std::move(logsDir)), m_log(log), m_maxConcurrent(std::max(1, maxConcurrent)),
      m_slotFreed(ioc) {
    m_slotFreed.expires_at(asio::steady_timer::time_point::max());
}

awaitable<bool> RequestService::enqueue(const QString& itemId) {
    if (m_active.count(itemId) > 0)
        co_await waitWhileFinishing(itemId);
    const quint64 attempt = ++m_attempts;
    if (!m_active.emplace(itemId, Active{attempt, {}}).second)
        co_return false;
    StateChange markQueued{
        itemId, [](ManagedCertificate& item) { item.lastRenewalStatus = RequestState::Queued; }};
    try {
        co_await m_store.run(std::move(markQueued));
    } catch (...) {
        m_active.erase(itemId);
        throw;
    }
    asio::co_spawn(m_ioc, run(itemId, attempt), asio::detached);
    co_return true;
}

awaitable<ManagedCertificate> RequestService::revoke(QString itemId, int reason) {
    auto load = [itemId](store::ItemStore& s) { return s.get(itemId); };
    const ManagedCertificate item = co_await m_store.run(std::move(load));
    if (item.certificateRevoked)
        throw ConflictError(
            QStringLiteral("The certificate of '%1' is already revoked").arg(item.name));
    logging::ItemLog log(m_logsDir, item.id, m_log);
    try {
        co_await m_issuer.revoke(item, reason, log);
    } catch (const acme::AcmeError& e) {
        log.error(e.userMessage());
        throw;
    }
    const QString serial = item.certificateSerial;
    StateChange record{itemId, [serial](ManagedCertificate& current) {
                           if (current.certificateSerial == serial)
                               current.certificateRevoked = true;
                       }};
    co_return co_await m_store.run(std::move(record));
}

awaitable<void> RequestService::waitWhileFinishing(const QString& itemId) {
    // The outcome is stored a moment before the request has ended (its post-request work, its
    // slot): a client that saw the outcome and asks again at once is not turned away.
    const QString id = itemId;
    auto outcomeStored = [id](store::ItemStore& s) {
        const RequestState state = s.get(id).lastRenewalStatus;
        return state != RequestState::Queued && state != RequestState::Running;
    };
    const bool finishing = co_await m_store.run(std::move(outcomeStored));
    if (!finishing)
        co_return;
    asio::steady_timer pause(m_ioc);
    for (int waited = 0; m_active.count(id) > 0 && waited < 100; ++waited) {
        pause.expires_after(std::chrono::milliseconds(20));
        co_await pause.async_wait(use_awaitable);
    }
}

bool RequestService::isCurrent(const QString& itemId, quint64 attempt) const {
    const auto it = m_active.find(itemId);
    return it != m_active.end() && it->second.attempt == attempt;
}

awaitable<QStringList> RequestService::releaseStartedBefore(QDateTime cutoff, QString why) {
    QStringList released;
    for (auto it = m_active.begin(); it != m_active.end();) {
        const bool stuck = it->second.runningSince.isValid() && it->second.runningSince < cutoff;
        if (stuck)
            released << it->first;
        it = stuck ? m_active.erase(it) : std::next(it);
    }
    const RenewalPolicy policy = m_hooks.policy ? m_hooks.policy() : RenewalPolicy{};
    for (const QString& itemId : released) {
        logging::ItemLog(m_logsDir, itemId, m_log).error(why);
        StateChange recordRelease{itemId,
                                  [why, policy, now = m_clock.now()](ManagedCertificate& m) {
                                      renewal::recordFailure(m, why, now, policy);
                                  }};
        ManagedCertificate stored;
        try {
            stored = co_await m_store.run(std::move(recordRelease));
        } catch (const DomainError& e) {
            m_log.warning(
                QStringLiteral("Could not record the release of %1: %2").arg(itemId, e.message()));
        }
        if (m_hooks.finished)
            m_hooks.finished(itemId, stored, why, std::max(0, stored.renewalFailureCount - 1));
    }
    co_return released;
}

void RequestService::recordOutcome(bool succeeded, double seconds) {
    ++(succeeded ? m_stats.succeeded : m_stats.failed);
    m_stats.secondsTotal += seconds;
    for (size_t i = 0; i < Stats::kBuckets.size(); ++i)
        if (seconds <= Stats::kBuckets[i])
            ++m_stats.atMost[i];
}

RequestService::Stats RequestService::stats() const {
    Stats now = m_stats;
    now.running = m_running;
    now.queued = std::max(0, int(m_active.size()) - m_running);
    return now;
}

awaitable<void> RequestService::acquireSlot() {
    while (m_running >= m_maxConcurrent) {
        ErrorCode ec;
        co_await m_slotFreed.async_wait(asio::redirect_error(use_awaitable, ec));
    }
    ++m_running;
}

void RequestService::releaseSlot() {
    --m_running;
    m_slotFreed.cancel_one();
}

awaitable<void> RequestService::run(QString itemId, quint64 attempt) {
    logging::ItemLog log(m_logsDir, itemId, m_log);
    log.reportProgress(true); // each step of the request is also a live progress event
    co_await acquireSlot();
    const QDateTime started = m_clock.now();
    if (isCurrent(itemId, attempt))
        m_active[itemId].runningSince = started;
    QString failure;
    int previousFailures = 0;  // renewal: for notifications
    ManagedCertificate stored; // renewal: the outcome as stored
    const RenewalPolicy policy = m_hooks.policy ? m_hooks.policy() : RenewalPolicy{};
    try {
        StateChange markRunning{itemId, [started](ManagedCertificate& item) {
                                    item.lastRenewalStatus = RequestState::Running;
                                    item.dateLastRenewalAttempt = started;
                                }};
        const ManagedCertificate item = co_await m_store.run(std::move(markRunning));
        previousFailures = item.renewalFailureCount;
        if (m_issuer.issuedBeforeStop(item)) {
            log.info(QStringLiteral("The certificate was issued and recorded before the service "
                                    "stopped, in the middle of its post-request tasks: running "
                                    "them again, without a new order"));
            stored = item;
        } else {
            stored = co_await issueAndRecord(item, attempt, log);
        }
    } catch (const DomainError& e) { // an acme::AcmeError's message is its userMessage()
        failure = e.message();
    } catch (const std::exception& e) {
        failure = QStringLiteral("Internal error: %1").arg(QString::fromUtf8(e.what()));
    }
    if (!failure.isEmpty()) {
        log.error(failure);
        StateChange recordFailure{itemId,
                                  [failure, policy, now = m_clock.now()](ManagedCertificate& m) {
                                      renewal::recordFailure(m, failure, now, policy);
                                  }};
        try {
            if (isCurrent(itemId, attempt)) // else released: the release recorded the failure
                stored = co_await m_store.run(std::move(recordFailure));
        } catch (const DomainError& e) {
            // Deleted while the request ran: nothing left to record on.
            m_log.warning(QStringLiteral("Could not record the failed request of %1: %2")
                              .arg(itemId, e.message()));
        }
    }
    // Deployment: the post-request tasks for this outcome (never throws); none for a request
    // that was released and replaced by a newer one.
    if (!m_active.count(itemId) || isCurrent(itemId, attempt)) {
        co_await runPostRequestTasks(itemId, failure, log);
        if (failure.isEmpty())
            m_issuer.forgetOrder(itemId); // done: a restart has nothing left to continue
    }
    releaseSlot();
    recordOutcome(failure.isEmpty(), started.msecsTo(m_clock.now()) / 1000.0);
    if (isCurrent(itemId, attempt))
        m_active.erase(itemId);
    if (m_hooks.finished) // renewal: the scheduler and notifications
        m_hooks.finished(itemId, stored, failure, previousFailures);
}

awaitable<ManagedCertificate> RequestService::issueAndRecord(const ManagedCertificate& item,
                                                             quint64 attempt,
                                                             logging::ItemLog& log) {
    const QString itemId = item.id;
    const QDateTime started = item.dateLastRenewalAttempt;
    const RenewalPolicy policy = m_hooks.policy ? m_hooks.policy() : RenewalPolicy{};
    co_await m_deploy.beforeRequest(item, log); // deployment: a fatal failure throws
    const IssuedCertificate issued = co_await m_issuer.issue(item, log);
    StateChange recordSuccess{itemId, [issued, policy, now = m_clock.now()](ManagedCertificate& m) {
                                  issued.applyTo(m);
                                  renewal::recordSuccess(m, now, policy);
                                  // Deployment: with post-request tasks, still Running until
                                  // they ran (runPostRequestTasks).
                                  if (!m.postRequestTasks.isEmpty())
                                      m.lastRenewalStatus = RequestState::Running;
                              }};
    ManagedCertificate stored;
    if (m_active.count(itemId) && !isCurrent(itemId, attempt)) {
        log.warning(QStringLiteral("This request finished after it had been released, and a "
                                   "newer one is running: its certificate is not used"));
    } else {
        stored = co_await m_store.run(std::move(recordSuccess));
        faultPoint("issued");
        m_issuer.removeUnusedFiles(item, issued, log);
        if (stored.postRequestTasks.isEmpty())
            m_issuer.forgetOrder(itemId); // nothing is left for a restart to continue
    }
    log.info(QStringLiteral("Request completed in %1 ms").arg(started.msecsTo(m_clock.now())));
    co_return stored;
}

awaitable<void> RequestService::runPostRequestTasks(QString itemId, QString failure,
                                                    logging::ItemLog& log) {
    std::optional<ManagedCertificate> item;
    QString problem;
    try {
        auto load = [itemId](store::ItemStore& s) { return s.get(itemId); };
        item = co_await m_store.run(std::move(load));
    } catch (const DomainError& e) {
        problem = e.message();
    }
    if (!item) {
        log.warning(QStringLiteral("Post-request tasks were not run: %1").arg(problem));
        co_return;
    }
    const QString warning = co_await m_deploy.afterRequest(*item, failure, log);
    if (!failure.isEmpty())
        co_return;
    // The request recorded the certificate and left the item Running for these tasks: now
    // Success, or Warning when one failed (the certificate is good; its deployment is not).
    auto finish = [itemId, warning](store::ItemStore& s) {
        ManagedCertificate m = s.get(itemId);
        if (!warning.isEmpty()) {
            m.lastRenewalStatus = RequestState::Warning;
            m.renewalFailureMessage = warning;
        } else if (m.lastRenewalStatus == RequestState::Running) {
            m.lastRenewalStatus = RequestState::Success;
        } else {
            return m; // no tasks, or already final: nothing to write
        }
        return s.update(m);
    };
    try {
        co_await m_store.run(std::move(finish));
    } catch (const DomainError& e) {
        log.warning(
            QStringLiteral("Could not record the deployment's outcome: %1").arg(e.message()));
    }
}

} // namespace ck::request
