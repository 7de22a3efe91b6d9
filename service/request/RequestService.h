#pragma once
// Runs certificate requests in the background: at most `maxConcurrent` at once, never two for
// the same item, each recording its progress and outcome on the item (status, dates, failure
// count and message, the new certificate's facts) and every step in the item's log.

#include "http/Asio.h"

#include <QString>

#include <set>

namespace ck {

class StoreWorker;
class Logger;
class CertificateIssuer;
namespace deploy {
class DeploymentRunner;
}

class RequestService {
public:
    RequestService(asio::io_context& ioc, StoreWorker& store, CertificateIssuer& issuer,
                   QString logsDir, Logger& log, int maxConcurrent,
                   deploy::DeploymentRunner& deploy);

    // Queues a request for the item: its status becomes Queued (saved before this returns, so a
    // client polling afterwards never sees the previous outcome as this one's) and the request
    // runs in the background. False when one is already queued or running for it; throws
    // ApiError(NotFound) for an unknown id.
    awaitable<bool> enqueue(const QString& itemId);
    bool isActive(const QString& itemId) const { return m_active.count(itemId) > 0; }

private:
    awaitable<void> run(QString itemId);
    awaitable<void> acquireSlot();
    void releaseSlot();

    asio::io_context& m_ioc;
    StoreWorker& m_store;
    CertificateIssuer& m_issuer;
    deploy::DeploymentRunner& m_deploy; // pre- and post-request tasks
    QString m_logsDir;
    Logger& m_log;
    int m_maxConcurrent;
    int m_running = 0;
    std::set<QString> m_active;
    asio::steady_timer m_slotFreed;
};

} // namespace ck
