#include "gui/FailureNoticeGrouping.h"

#include <QLocale>
#include <QTimer>

#include <algorithm>

namespace ck::gui {

namespace {
QString reasonOf(const ManagedCertificate& item) {
    return item.renewalFailureMessage.isEmpty()
               ? FailureNoticeGrouping::tr("The service recorded no reason.")
               : item.renewalFailureMessage;
}

QString renewalFailedSummary(const QString& name) {
    return FailureNoticeGrouping::tr("Renewal of %1 failed").arg(name);
}

QString failureBody(const QString& reason, int failuresInARow) {
    if (failuresInARow <= 1)
        return reason;
    return FailureNoticeGrouping::tr("%1\n%2 failures in a row.")
        .arg(reason, QLocale().toString(failuresInARow));
}
} // namespace

FailureNoticeGrouping::FailureNoticeGrouping(QObject* parent)
    : QObject(parent), m_timer(new QTimer(this)) {
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &FailureNoticeGrouping::flush);
}

void FailureNoticeGrouping::setPacing(std::chrono::milliseconds gather,
                                      std::chrono::milliseconds quiet) {
    m_gather = gather;
    m_quiet = quiet;
}

bool FailureNoticeGrouping::inQuietPeriod() const {
    return m_sinceNotice.isValid() && m_sinceNotice.elapsed() < m_quiet.count();
}

void FailureNoticeGrouping::add(const ManagedCertificate& failed) {
    m_pending.append({failed.id, failed.name, reasonOf(failed), failed.renewalFailureCount});
    if (m_timer->isActive())
        return; // it joins those already held
    m_pendingContinuesBurst = inQuietPeriod();
    const qint64 wait = m_pendingContinuesBurst ? m_quiet.count() - m_sinceNotice.elapsed()
                                                : qint64(m_gather.count());
    m_timer->start(int(std::max<qint64>(0, wait)));
}

void FailureNoticeGrouping::discardPending() {
    m_timer->stop();
    m_pending.clear();
}

void FailureNoticeGrouping::flush() {
    if (m_pending.isEmpty())
        return;
    if (m_pendingContinuesBurst) {
        m_burstCount += int(m_pending.size());
    } else {
        ++m_thread;
        m_burstCount = int(m_pending.size());
        m_burstFirst = m_pending.first();
    }
    m_pending.clear();
    m_sinceNotice.start();
    Q_EMIT noticeReady(burstNotice());
}

DesktopNotice FailureNoticeGrouping::burstNotice() const {
    DesktopNotice notice;
    notice.itemId = m_burstFirst.id;
    notice.thread = m_thread;
    notice.urgency = DesktopNotice::Urgency::Critical;
    if (m_burstCount == 1) {
        notice.summary = renewalFailedSummary(m_burstFirst.name);
        notice.body = failureBody(m_burstFirst.reason, m_burstFirst.failuresInARow);
    } else {
        notice.summary = tr("%1 renewals failed").arg(QLocale().toString(m_burstCount));
        notice.body = tr("The first: %1 — %2").arg(m_burstFirst.name, m_burstFirst.reason);
    }
    return notice;
}

DesktopNotice FailureNoticeGrouping::alreadyFailingNotice(const QList<ManagedCertificate>& items) {
    DesktopNotice notice;
    if (items.isEmpty())
        return notice;
    // The latest failure is the likeliest to say what is wrong now.
    const ManagedCertificate& latest = *std::max_element(
        items.cbegin(), items.cend(), [](const ManagedCertificate& a, const ManagedCertificate& b) {
            return a.dateLastRenewalAttempt < b.dateLastRenewalAttempt;
        });
    notice.itemId = latest.id;
    // Known before: told, but not as urgently as a failure that has just happened.
    notice.urgency = DesktopNotice::Urgency::Normal;
    if (items.size() == 1) {
        notice.summary = renewalFailedSummary(latest.name);
        notice.body = failureBody(reasonOf(latest), latest.renewalFailureCount);
    } else {
        notice.summary = tr("%1 certificates are failing to renew")
                             .arg(QLocale().toString(qsizetype(items.size())));
        notice.body = tr("The latest: %1 — %2").arg(latest.name, reasonOf(latest));
    }
    return notice;
}

} // namespace ck::gui
