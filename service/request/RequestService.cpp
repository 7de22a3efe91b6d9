#include "RequestService.h"

#include "CertificateIssuer.h"
#include "acme/AcmeError.h"
#include "core/StoreWorker.h"
#include "deploy/DeploymentRunner.h"
#include "logging/ItemLog.h"

namespace ck {

namespace {
// Applies `change` to the newest stored copy of the item, on the store thread, so the service's
// own bookkeeping never conflicts with itself.
struct StateChange {
    QString id;
    std::function<void(ManagedCertificate&)> change;
    ManagedCertificate operator()(store::ManagedItemStore& s) const {
        ManagedCertificate item = s.get(id);
        change(item);
        return s.update(item);
    }
};
} // namespace

RequestService::RequestService(asio::io_context& ioc, StoreWorker& store, CertificateIssuer& issuer,
                               QString logsDir, Logger& log, int maxConcurrent,
                               deploy::DeploymentRunner& deploy)
    : m_ioc(ioc), m_store(store), m_issuer(issuer), m_deploy(deploy), m_logsDir(std::move(logsDir)),
      m_log(log), m_maxConcurrent(std::max(1, maxConcurrent)), m_slotFreed(ioc) {
    m_slotFreed.expires_at(asio::steady_timer::time_point::max());
}

awaitable<bool> RequestService::enqueue(const QString& itemId) {
    if (!m_active.insert(itemId).second)
        co_return false;
    StateChange markQueued{
        itemId, [](ManagedCertificate& item) { item.lastRenewalStatus = RequestState::Queued; }};
    try {
        co_await m_store.run(std::move(markQueued));
    } catch (...) {
        m_active.erase(itemId);
        throw;
    }
    asio::co_spawn(m_ioc, run(itemId), asio::detached);
    co_return true;
}

awaitable<void> RequestService::acquireSlot() {
    while (m_running >= m_maxConcurrent) {
        beast::error_code ec;
        co_await m_slotFreed.async_wait(asio::redirect_error(use_awaitable, ec));
    }
    ++m_running;
}

void RequestService::releaseSlot() {
    --m_running;
    m_slotFreed.cancel_one();
}

awaitable<void> RequestService::run(QString itemId) {
    ItemLog log(m_logsDir, itemId, m_log);
    co_await acquireSlot();
    const QDateTime started = QDateTime::currentDateTimeUtc();
    QString failure;
    try {
        StateChange markRunning{itemId, [started](ManagedCertificate& item) {
                                    item.lastRenewalStatus = RequestState::Running;
                                    item.dateLastRenewalAttempt = started;
                                }};
        const ManagedCertificate item = co_await m_store.run(std::move(markRunning));
        co_await m_deploy.beforeRequest(item, log); // deployment: a fatal failure throws
        const IssuedCertificate issued = co_await m_issuer.issue(item, log);
        StateChange recordSuccess{itemId, [issued](ManagedCertificate& m) {
                                      m.lastRenewalStatus = RequestState::Success;
                                      m.renewalFailureCount = 0;
                                      m.renewalFailureMessage.clear();
                                      m.dateRenewed = QDateTime::currentDateTimeUtc();
                                      issued.applyTo(m);
                                  }};
        co_await m_store.run(std::move(recordSuccess));
        log.info(QStringLiteral("Request completed in %1 ms")
                     .arg(started.msecsTo(QDateTime::currentDateTimeUtc())));
    } catch (const acme::AcmeError& e) {
        failure = e.userMessage();
    } catch (const ApiError& e) {
        failure = e.detail;
    } catch (const std::exception& e) {
        failure = QStringLiteral("Internal error: %1").arg(QString::fromUtf8(e.what()));
    }
    if (!failure.isEmpty()) {
        log.error(failure);
        StateChange recordFailure{itemId, [failure](ManagedCertificate& m) {
                                      m.lastRenewalStatus = RequestState::Error;
                                      m.renewalFailureCount += 1;
                                      m.renewalFailureMessage = failure;
                                  }};
        try {
            co_await m_store.run(std::move(recordFailure));
        } catch (const ApiError& e) {
            // Deleted while the request ran: nothing left to record on.
            m_log.warning(QStringLiteral("Could not record the failed request of %1: %2")
                              .arg(itemId, e.detail));
        }
    }
    // Deployment: the post-request tasks for this outcome (never throws).
    co_await m_deploy.afterRequest(m_store, itemId, failure, log);
    releaseSlot();
    m_active.erase(itemId);
}

} // namespace ck
