// Without a session bus at all (a desktop without D-Bus, a remote X session, a container): the
// window finds failed renewals as ever, has nowhere to tell them (offscreen there is no tray
// either), and neither crashes nor stops answering. The session bus address names a socket
// nobody listens on, set before the application exists, so that no bus of the machine's is
// found instead.

#include "DesktopNoticesTestSupport.h"

#include <QDBusConnection>
#include <QSignalSpy>

using namespace ck;
using namespace ck::test;

class DesktopNoticesWithoutBusTest : public DesktopNoticesFixture {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        useTestSettings();
        QVERIFY(!QDBusConnection::sessionBus().isConnected());
    }
    void init() { startService(); }
    void cleanup() { m_service.reset(); }

    void failuresGoNowhereAndTheWindowGoesOn() {
        const QString early = createRaw(*m_service, QStringLiteral("Early"), {"early.example.com"});
        requestAndWaitForFailure(early, 1);
        const QString id = createRaw(*m_service, QStringLiteral("Late"), {"late.example.com"});

        // A connection that cannot be made fails at once: it does not hold up the window.
        QElapsedTimer opening;
        opening.start();
        auto window = newWindow();
        QVERIFY2(opening.elapsed() < 5000, qPrintable(QString::number(opening.elapsed())));
        EventLoopGaps gaps;
        QSignalSpy delivered(noticesOf(*window)->notifier(), &DesktopNotifier::delivered);
        waitUntilLoaded(*window);
        // The summary of what was failing, and then a new failure: both have nowhere to go.
        QTRY_COMPARE_WITH_TIMEOUT(delivered.count(), 1, kWaitMs);
        requestAndWaitForFailure(id, 1);
        QTRY_COMPARE_WITH_TIMEOUT(delivered.count(), 2, kWaitMs);
        for (const QList<QVariant>& call : delivered)
            QCOMPARE(call.at(0).value<DesktopNotifier::Route>(), DesktopNotifier::Route::Nowhere);
        QVERIFY(noticesOf(*window)->trayIcon() == nullptr);

        // The window goes on: it answered all along, reloads, and the preference still works.
        QVERIFY2(gaps.longestMs() < 1000, qPrintable(QString::number(gaps.longestMs())));
        QSignalSpy loaded(window->freshness(), &ck::gui::ListFreshness::loadFinished);
        trigger(*window, "actionRefresh");
        QVERIFY(loaded.wait(kWaitMs));
        auto* toggle = window->findChild<QAction*>(QStringLiteral("actionDesktopNotifications"));
        toggle->trigger();
        QVERIFY(!noticesOf(*window)->isEnabled());
        QCOMPARE(currentPage(*window), QStringLiteral("listPage"));
        QVERIFY(window->close());
    }
};

int main(int argc, char* argv[]) {
    QTemporaryDir nowhere;
    qputenv("DBUS_SESSION_BUS_ADDRESS",
            QStringLiteral("unix:path=%1/no-bus-here").arg(nowhere.path()).toUtf8());
    QApplication app(argc, argv);
    DesktopNoticesWithoutBusTest test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "test_desktop_notices_no_bus.moc"
