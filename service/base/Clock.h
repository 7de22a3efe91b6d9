#pragma once
// The service's one wall clock. Everything that stamps or judges time (dates created, renewal
// due dates, licence expiry, log lines) asks a Clock, so tests can move time. Deadlines and
// timeouts measure elapsed time with std::chrono::steady_clock instead, which no clock change
// can move.

#include <QDateTime>

#include <mutex>

namespace ck {

class Clock {
public:
    virtual ~Clock() = default;
    virtual QDateTime now() const = 0; // UTC
    // The real time; the clock of the running service.
    static const Clock& system();
};

// A clock that stands still until told to move; for tests. Safe to read from any thread.
class ManualClock final : public Clock {
public:
    explicit ManualClock(QDateTime start = QDateTime::currentDateTimeUtc());
    QDateTime now() const override;
    void set(const QDateTime& time);
    void advance(qint64 seconds);

private:
    mutable std::mutex m_mutex;
    QDateTime m_now;
};

} // namespace ck
