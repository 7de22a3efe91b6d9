#pragma once
// Runs certificate requests in the background: at most `maxConcurrent` at once, never two for
// the same item, each recording its progress and outcome on the item (status, dates, failure
// count and message, the new certificate's facts) and every step in the item's log.

#include "base/Async.h"
#include "base/Clock.h"
#include "deploy/DeploymentRunner.h"
#include "logging/ItemLog.h"
#include "logging/Logger.h"
#include "renewal/RequestRunner.h"
#include "request/CertificateIssuer.h"
#include "store/StoreWorker.h"

#include <QDateTime>
#include <QString>

#include <array>
#include <map>

namespace ck::request {

class RequestService : public renewal::RequestRunner {
public:
    RequestService(asio::io_context& ioc, store::StoreWorker& store, CertificateIssuer& issuer,
                   QString logsDir, logging::Logger& log, int maxConcurrent,
                   deploy::DeploymentRunner& deploy, const Clock& clock = Clock::system());

    // Queues a request for the item: its status becomes Queued (saved before this returns, so a
    // client polling afterwards never sees the previous outcome as this one's) and the request
    // runs in the background. False when one is already queued or running for it; throws
    // NotFoundError for an unknown id.
    awaitable<bool> enqueue(const QString& itemId) override;
    bool isActive(const QString& itemId) const override { return m_active.count(itemId) > 0; }
    awaitable<QStringList> releaseStartedBefore(QDateTime cutoff, QString why) override;

    // Revokes the item's current certificate with the CA (an RFC 5280 `reason` code) and records
    // the revocation on the item, unless a newer certificate replaced it meanwhile. Throws
    // NotFoundError for an unknown id, ConflictError when it is already revoked, and the CA's
    // refusal (acme::AcmeError, also written to the item's log).
    awaitable<ManagedCertificate> revoke(QString itemId, int reason);

    // The renewal side's view of outcomes (service/renewal/): the policy the next attempt is
    // planned with, and who hears that a request finished. Set once, before the first request.
    void setRenewalHooks(renewal::RenewalHooks hooks) { m_hooks = std::move(hooks); }

    // For monitoring (GET /api/metrics): requests since start, by outcome and duration, and
    // those waiting for a slot or running now. Network thread.
    struct Stats {
        static constexpr std::array<double, 7> kBuckets{1, 5, 15, 30, 60, 120, 300}; // seconds
        quint64 succeeded = 0;
        quint64 failed = 0;
        double secondsTotal = 0;
        std::array<quint64, kBuckets.size()> atMost{}; // requests done within each bucket
        int queued = 0;
        int running = 0;
    };
    Stats stats() const;

private:
    // One queued or running request; `attempt` tells a released request from a newer one.
    struct Active {
        quint64 attempt = 0;
        QDateTime runningSince; // invalid while it waits for a slot
    };

    awaitable<void> run(QString itemId, quint64 attempt);
    // When the item's request has stored its outcome and is only finishing, waits (up to 2 s)
    // until it has ended.
    awaitable<void> waitWhileFinishing(const QString& itemId);
    // Pre-request tasks, the certificate, and its record in the store (unless this attempt was
    // released and replaced meanwhile: then an empty item). Throws as issue() does.
    awaitable<ManagedCertificate> issueAndRecord(const ManagedCertificate& item, quint64 attempt,
                                                 logging::ItemLog& log);
    // The post-request tasks for the outcome (`failure` empty: success), then the request's final
    // status: Success, or Warning when deployment failed. Never throws.
    awaitable<void> runPostRequestTasks(QString itemId, QString failure, logging::ItemLog& log);
    awaitable<void> acquireSlot();
    void recordOutcome(bool succeeded, double seconds);
    void releaseSlot();
    bool isCurrent(const QString& itemId, quint64 attempt) const;

    asio::io_context& m_ioc;
    store::StoreWorker& m_store;
    CertificateIssuer& m_issuer;
    deploy::DeploymentRunner& m_deploy; // pre- and post-request tasks
    const Clock& m_clock;
    QString m_logsDir;
    logging::Logger& m_log;
    int m_maxConcurrent;
    int m_running = 0;
    quint64 m_attempts = 0;
    std::map<QString, Active> m_active;
    asio::steady_timer m_slotFreed;
    renewal::RenewalHooks m_hooks;
    Stats m_stats; // counters only; queued and running are read from the queue
};

} // namespace ck::request
