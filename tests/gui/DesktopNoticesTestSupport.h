#pragma once
// What the desktop-notification tests share: a fresh real service per test (renewal paused, the
// development license), whose requests all fail at once in its own words (no ACME account is
// registered); the window's DesktopNotices with short pacing; and a watch on the event loop
// that says whether the window ever stopped answering.

#include "MainWindowTestSupport.h"
#include "gui/DesktopNotices.h"
#include "gui/DesktopNotifier.h"
#include "gui/FailureNoticeGrouping.h"
#include "gui/ListFreshness.h"
#include "gui/RenewalFailureWatch.h"

#include <QElapsedTimer>

namespace ck::test {

using ck::gui::DesktopNotices;
using ck::gui::DesktopNotifier;

// Short enough for tests, long enough that failures of one request round arrive together.
inline constexpr std::chrono::milliseconds kTestGather{400};
inline constexpr std::chrono::milliseconds kTestQuiet{1500};

inline DesktopNotices* noticesOf(const MainWindow& window) {
    return window.findChild<DesktopNotices*>();
}

// The longest time the event loop went without running a 20 ms timer, from start to now.
class EventLoopGaps : public QObject {
public:
    EventLoopGaps() {
        m_timer.setInterval(20);
        connect(&m_timer, &QTimer::timeout, this,
                [this] { m_longest = std::max(m_longest, m_since.restart()); });
        m_since.start();
        m_timer.start();
    }
    qint64 longestMs() const { return std::max(m_longest, m_since.elapsed()); }

private:
    QTimer m_timer;
    QElapsedTimer m_since;
    qint64 m_longest = 0;
};

class DesktopNoticesFixture : public QObject {
protected:
    std::unique_ptr<ServiceProcess> m_service;
    QTemporaryDir m_settings;

    void useTestSettings() {
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settings.path());
    }

    void startService() {
        QSettings().clear();
        m_service = std::make_unique<ServiceProcess>();
        QVERIFY(m_service->pauseAutomaticRenewal()); // only the test's requests run
        QVERIFY2(m_service->start(), qPrintable(m_service->output()));
        QVERIFY(activateDevLicense(*m_service)); // the burst has more than 5 items
    }

    // A window with its notices paced for a test; its list is loading.
    std::unique_ptr<MainWindow> newWindow() {
        auto window = std::make_unique<MainWindow>(m_service->dataDir());
        noticesOf(*window)->grouping()->setPacing(kTestGather, kTestQuiet);
        window->show();
        return window;
    }

    // Waits until the window's list has been loaded whole (what it holds now is "before") and,
    // when `live`, its event stream is connected.
    static void waitUntilLoaded(const MainWindow& window, bool live = true) {
        QTRY_VERIFY_WITH_TIMEOUT(noticesOf(window)->watch()->hasBaseline(), kWaitMs);
        if (live)
            QTRY_VERIFY_WITH_TIMEOUT(window.liveUpdates()->isLive(), kWaitMs);
    }

    std::unique_ptr<MainWindow> openLoadedWindow() {
        auto window = newWindow();
        waitUntilLoaded(*window);
        return window;
    }

    QJsonObject stored(const QString& id) const {
        return rawHttpFor(*m_service).get("/api/managedcertificates/" + id.toStdString()).json();
    }

    // Requests the item behind the window's back, as the scheduler would renew it, and waits
    // until the service has recorded the failure (`failures` in a row).
    void requestAndWaitForFailure(const QString& id, int failures) {
        const auto response =
            rawHttpFor(*m_service)
                .post("/api/managedcertificates/" + id.toStdString() + "/request", QJsonObject{});
        QVERIFY2(response.status == 202, response.body.c_str());
        QTRY_COMPARE_WITH_TIMEOUT(stored(id).value("renewalFailureCount").toInt(), failures,
                                  kWaitMs);
        QCOMPARE(stored(id).value("lastRenewalStatus").toString(), QStringLiteral("Error"));
    }

    // Whatever would have been told has been by now.
    static void waitOutTheGathering() { QTest::qWait(int(kTestGather.count()) * 3); }
};

} // namespace ck::test
