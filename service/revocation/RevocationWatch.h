#pragma once
// The revocation watch: every hour it looks for managed certificates whose last revocation
// check is a day old (or that were never checked) and asks their CA about each, a few at a
// time (RevocationCheck). The outcome is stored on the item (revocationStatus, its message and
// the time) and written to the item's log when it changed. A certificate found revoked is
// marked revoked and reported through `onRevoked`, which notifies and renews it at once.
//
// Runs on the network thread; the checks themselves on the process pool.

#include "base/Async.h"
#include "base/Clock.h"
#include "logging/Logger.h"
#include "model/ManagedCertificate.h"
#include "process/ChildProcess.h"
#include "store/StoreWorker.h"

#include <chrono>
#include <functional>

namespace ck::revocation {

inline constexpr std::chrono::hours kCheckEvery{24};

// Whether the item's certificate is due for a check at `now`: it has one, it has not expired,
// it is not known to be revoked already, it names a way to check it (not "none"), and its last
// check is kCheckEvery old or missing.
bool dueForCheck(const ManagedCertificate& item, const QDateTime& now);

class RevocationWatch {
public:
    using RevokedHandler = std::function<void(const ManagedCertificate& stored)>;

    RevocationWatch(asio::io_context& ioc, store::StoreWorker& store, process::ProcessRunner& pool,
                    logging::Logger& log, QString logsDir, const Clock& clock,
                    RevokedHandler onRevoked);

    void start();
    void stop();
    // One pass over the items due; how many were checked. What the timer runs.
    awaitable<int> runPass();
    // Checks one item now, due or not, and answers it as stored. Throws NotFoundError, and
    // InvalidInputError for an item without a certificate.
    awaitable<ManagedCertificate> checkNow(QString itemId);

private:
    awaitable<void> loop();
    awaitable<ManagedCertificate> check(ManagedCertificate item);

    asio::io_context& m_ioc;
    store::StoreWorker& m_store;
    process::ProcessRunner& m_pool;
    logging::Logger& m_log;
    QString m_logsDir;
    const Clock& m_clock;
    RevokedHandler m_onRevoked;
    asio::steady_timer m_timer;
    bool m_stopped = false;
};

} // namespace ck::revocation
