#pragma once
// What the renewal scheduler needs of the service's request runner (RequestService), and what
// the runner tells the renewal side. An interface, so the scheduler's own rules (order, limits,
// timeouts, restarts) can be tested with a clock that moves and requests finished by the test.

#include "base/Async.h"
#include "model/ManagedCertificate.h"
#include "model/Preferences.h"

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <functional>

namespace ck::renewal {

class RequestRunner {
public:
    virtual ~RequestRunner() = default;
    // Queues a request for the item; false when one is already queued or running for it.
    // Throws NotFoundError for an unknown id.
    virtual awaitable<bool> enqueue(const QString& itemId) = 0;
    virtual bool isActive(const QString& itemId) const = 0;
    // Forgets the requests that have been running since before `cutoff`, records `why` as
    // their failure and logs it; their ids. A released request that finishes later records
    // its outcome only while no newer request for the item is running.
    virtual awaitable<QStringList> releaseStartedBefore(QDateTime cutoff, QString why) = 0;
};

struct RenewalHooks {
    // The global renewal policy, read on the network thread when an outcome is recorded.
    std::function<RenewalPolicy()> policy;
    // A request ended (or was released): the item as stored with its outcome (an empty id when
    // nothing was stored: deleted meanwhile, or superseded by a newer request), the failure
    // message (empty on success) and the failure count before this attempt.
    std::function<void(const QString& itemId, const ManagedCertificate& stored,
                       const QString& failure, int previousFailures)>
        finished;
};

} // namespace ck::renewal
