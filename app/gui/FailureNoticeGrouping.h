#pragma once
// Turns failed renewals into desktop notices a person can take in: one failure is told on its
// own ("Renewal of Shop failed", with the service's reason); a burst (a CA down fails hundreds of
// renewals within minutes) is one notice that keeps its place and counts on ("200 renewals
// failed; the first: …"), never a popup per item.
//
// Failures are gathered for a moment before the first notice of a burst goes out, so that those
// arriving together are told together. After a notice, failures that follow within the quiet
// period are held and told when it ends, as an update of the same notice (its thread); a failure
// after a quiet period with none starts a new notice.

#include "gui/DesktopNotifier.h"
#include "model/ManagedCertificate.h"

#include <QElapsedTimer>
#include <QObject>

#include <chrono>

class QTimer;

namespace ck::gui {

class FailureNoticeGrouping : public QObject {
    Q_OBJECT
public:
    static constexpr std::chrono::milliseconds kGather{2000};
    static constexpr std::chrono::milliseconds kQuiet{60000};

    explicit FailureNoticeGrouping(QObject* parent = nullptr);

    // Tests shorten both.
    void setPacing(std::chrono::milliseconds gather, std::chrono::milliseconds quiet);
    void add(const ManagedCertificate& failed);
    // Drops what is held (desktop notifications were turned off meanwhile).
    void discardPending();

    // The notice of items that were failing when the app first loaded the list.
    static DesktopNotice alreadyFailingNotice(const QList<ManagedCertificate>& items);

Q_SIGNALS:
    void noticeReady(const ck::gui::DesktopNotice& notice);

private:
    struct Failure {
        QString id;
        QString name;
        QString reason;
        int failuresInARow = 0;
    };
    void flush();
    DesktopNotice burstNotice() const;
    bool inQuietPeriod() const;

    QTimer* m_timer;
    std::chrono::milliseconds m_gather = kGather;
    std::chrono::milliseconds m_quiet = kQuiet;
    QList<Failure> m_pending;
    bool m_pendingContinuesBurst = false; // the held failures update the last notice
    QElapsedTimer m_sinceNotice;          // since the last notice went out
    int m_thread = 0;                     // of the current burst
    int m_burstCount = 0;                 // failures told in the current burst
    Failure m_burstFirst;
};

} // namespace ck::gui
