#include "base/Clock.h"

namespace ck {

namespace {
class SystemClock final : public Clock {
public:
    QDateTime now() const override { return QDateTime::currentDateTimeUtc(); }
};
} // namespace

const Clock& Clock::system() {
    static const SystemClock clock;
    return clock;
}

ManualClock::ManualClock(QDateTime start) : m_now(start.toUTC()) {}

QDateTime ManualClock::now() const {
    std::lock_guard lock(m_mutex);
    return m_now;
}

void ManualClock::set(const QDateTime& time) {
    std::lock_guard lock(m_mutex);
    m_now = time.toUTC();
}

void ManualClock::advance(qint64 seconds) {
    std::lock_guard lock(m_mutex);
    m_now = m_now.addSecs(seconds);
}

} // namespace ck
