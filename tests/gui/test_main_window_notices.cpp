// The notices above the manager window's list: none after a healthy start; a database the
// service had to recover is reported until dismissed (and again after a new recovery); a port
// the service negotiated instead of the configured one is explained.

#include "MainWindowTestSupport.h"

using namespace ck;
using namespace ck::test;

class MainWindowNoticesTest : public MainWindowFixture {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { startService(); }
    void cleanupTestCase() { stopServices(); }
    void init() { QSettings().clear(); }

    void aHealthyStartShowsNoNotices() {
        auto window = openWindow();
        // The list and the version are there: the diagnostics, asked in the same refresh, have
        // had their answer too.
        QTRY_VERIFY_WITH_TIMEOUT(tableOf(*window)->model()->rowCount() > 0, kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(
            childOf<QLabel>(window.get(), "serviceLabel")->text().startsWith("Service"), kWaitMs);
        QTest::qWait(300);
        QVERIFY(!childOf<QFrame>(window.get(), "recoveryBanner")->isVisible());
        QVERIFY(!childOf<QLabel>(window.get(), "portNoticeLabel")->isVisible());
    }

    void aRecoveredDatabaseIsReportedAboveTheListUntilDismissed() {
        ServiceProcess service;
        QVERIFY2(service.start(), qPrintable(service.output()));
        for (int i = 0; i < 3; ++i)
            QVERIFY(!createRaw(service, QStringLiteral("Restored %1").arg(i),
                               {QStringLiteral("r%1.example.com").arg(i)})
                         .isEmpty());
        QVERIFY(service.stop());
        QVERIFY2(service.start(), qPrintable(service.output())); // its backup holds the 3 items
        QVERIFY(service.stop());
        QVERIFY(clobberDatabase(service));
        QVERIFY2(service.start(), qPrintable(service.output()));
        const QJsonArray events = recoveryEvents(service);
        QCOMPARE(events.size(), 1);
        const QString quarantined = events.at(0).toObject().value("quarantinedFile").toString();
        QVERIFY(!quarantined.isEmpty());

        MainWindow window(service.dataDir());
        window.show();
        QTRY_COMPARE_WITH_TIMEOUT(tableOf(window)->model()->rowCount(), 3, kWaitMs);
        QVERIFY(rowOfName(window, QStringLiteral("Restored 2")) >= 0);
        auto* banner = childOf<QFrame>(&window, "recoveryBanner");
        QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), kWaitMs);
        const QString text = childOf<QLabel>(&window, "recoveryBannerText")->text();
        QVERIFY2(text.contains("restored", Qt::CaseInsensitive), qPrintable(text));
        QVERIFY2(text.contains("backup"), qPrintable(text));
        QVERIFY2(text.contains("The damaged file was kept at:</b> " + quarantined.toHtmlEscaped()),
                 qPrintable(text));
        QVERIFY2(text.contains("What may be missing:"), qPrintable(text));
        QVERIFY2(!text.contains("quarantinedFile") && !text.contains('{'), qPrintable(text));
        QVERIFY(!banner->accessibleName().isEmpty());
        // At the top of the list page, above the search field and the list.
        auto* search = childOf<QLineEdit>(&window, "searchEdit");
        QVERIFY(banner->mapTo(&window, banner->rect().bottomLeft()).y() <
                search->mapTo(&window, QPoint(0, 0)).y());
        QVERIFY(!childOf<QLabel>(&window, "portNoticeLabel")->isVisible());

        auto* dismiss = childOf<QPushButton>(banner, "recoveryDismissButton");
        QVERIFY(!dismiss->accessibleName().isEmpty());
        QTest::mouseClick(dismiss, Qt::LeftButton);
        QVERIFY(!banner->isVisible());
        trigger(window, "actionRefresh");
        QTest::qWait(300);
        QVERIFY(!banner->isVisible());

        // A later start that recovers again is news: after the reconnection the banner is back,
        // with only the new event.
        QVERIFY(service.stop());
        QVERIFY(clobberDatabase(service));
        trigger(window, "actionRefresh");
        QTRY_COMPARE_WITH_TIMEOUT(currentPage(window), QStringLiteral("connectionProblemPage"),
                                  kWaitMs);
        QVERIFY2(service.start(), qPrintable(service.output()));
        const QJsonArray again = recoveryEvents(service);
        QCOMPARE(again.size(), 1);
        const QString second = again.at(0).toObject().value("quarantinedFile").toString();
        QVERIFY(second != quarantined);
        QTest::mouseClick(childOf<QPushButton>(&window, "retryButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(currentPage(window), QStringLiteral("listPage"), kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), kWaitMs);
        const QString newText = childOf<QLabel>(&window, "recoveryBannerText")->text();
        QVERIFY2(newText.contains(second.toHtmlEscaped()), qPrintable(newText));
        QVERIFY2(!newText.contains(quarantined.toHtmlEscaped() + "</p>"), qPrintable(newText));
        QTRY_COMPARE_WITH_TIMEOUT(tableOf(window)->model()->rowCount(), 3, kWaitMs);
    }

    void aNegotiatedPortIsExplained() {
        QTcpServer holder;
        QVERIFY(holder.listen(QHostAddress::LocalHost, 0));
        const int taken = holder.serverPort();
        ServiceProcess service;
        QVERIFY2(service.start({QStringLiteral("--port"), QString::number(taken)}),
                 qPrintable(service.output()));
        const int bound = servicePort(service);
        QVERIFY(bound != taken);

        MainWindow window(service.dataDir());
        window.show();
        auto* notice = childOf<QLabel>(&window, "portNoticeLabel");
        QTRY_VERIFY_WITH_TIMEOUT(notice->isVisible(), kWaitMs);
        QVERIFY2(notice->text().startsWith(
                     QStringLiteral("The service is using port %1 because port %2 was in use (")
                         .arg(bound)
                         .arg(taken)),
                 qPrintable(notice->text()));
        QVERIFY(!childOf<QFrame>(&window, "recoveryBanner")->isVisible());
    }
};

QTEST_MAIN(MainWindowNoticesTest)
#include "test_main_window_notices.moc"
