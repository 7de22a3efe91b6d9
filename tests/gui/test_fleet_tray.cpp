// The tray icon's words and state from the fleet's health (HealthSummaryModel over the window's
// list model), and the icon following the list as it changes. The tray itself cannot be shown
// offscreen; what it would show can be read.

#include "gui/CertificateListModel.h"
#include "gui/FleetTrayIcon.h"
#include "gui/HealthSummaryModel.h"

#include <QAction>
#include <QMenu>
#include <QSignalSpy>
#include <QTest>

using namespace ck;
using ck::gui::CertificateListModel;
using ck::gui::FleetHealth;
using ck::gui::FleetTrayIcon;
using ck::gui::HealthSummaryModel;

namespace {
const QDateTime kNow(QDate(2026, 6, 1), QTime(12, 0), Qt::UTC);

// An item of the given health at kNow.
ManagedCertificate itemOf(const QString& id, Health health) {
    ManagedCertificate item;
    item.id = id;
    item.name = id;
    item.version = 1;
    item.requestConfig.primaryDomain = id + QStringLiteral(".example.com");
    item.lastRenewalStatus = RequestState::Success;
    item.dateStart = kNow.addDays(-10); // of 90 days: well within
    item.dateExpiry = item.dateStart.addDays(90);
    switch (health) {
    case Health::Ok:
        break;
    case Health::Warning: // a renewal failed, the certificate still good
        item.lastRenewalStatus = RequestState::Error;
        item.renewalFailureCount = 1;
        break;
    case Health::Error:
        item.dateExpiry = kNow.addDays(-1);
        break;
    case Health::AwaitingUser:
        item.lastRenewalStatus = RequestState::Paused;
        break;
    case Health::NotYetIssued:
        item.dateStart = {};
        item.dateExpiry = {};
        item.lastRenewalStatus = RequestState::NotRunning;
        break;
    }
    return item;
}

QList<ManagedCertificate> fleet(int ok, int warning, int error, int awaiting, int notIssued) {
    QList<ManagedCertificate> items;
    const auto add = [&](int count, Health health, const char* prefix) {
        for (int i = 0; i < count; ++i)
            items << itemOf(QStringLiteral("%1-%2").arg(QLatin1String(prefix)).arg(i), health);
    };
    add(ok, Health::Ok, "ok");
    add(warning, Health::Warning, "warning");
    add(error, Health::Error, "error");
    add(awaiting, Health::AwaitingUser, "awaiting");
    add(notIssued, Health::NotYetIssued, "new");
    return items;
}
} // namespace

class FleetTrayTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void theWordsAndTheStateFollowTheWorstHealth_data() {
        QTest::addColumn<QList<ManagedCertificate>>("items");
        QTest::addColumn<int>("state");
        QTest::addColumn<QString>("text");
        QTest::newRow("empty") << QList<ManagedCertificate>() << int(FleetHealth::State::AllOk)
                               << QStringLiteral("Certkeeper — no certificates yet");
        QTest::newRow("all ok") << fleet(120, 0, 0, 0, 0) << int(FleetHealth::State::AllOk)
                                << QStringLiteral("Certkeeper — 120 certificates, all OK");
        QTest::newRow("one") << fleet(1, 0, 0, 0, 0) << int(FleetHealth::State::AllOk)
                             << QStringLiteral("Certkeeper — 1 certificate, all OK");
        // Not issued yet is said, but asks nothing of anyone until it is requested.
        QTest::newRow("not issued") << fleet(3, 0, 0, 0, 2) << int(FleetHealth::State::AllOk)
                                    << QStringLiteral("Certkeeper — 5 certificates: 2 not yet "
                                                      "issued");
        QTest::newRow("warning") << fleet(10, 1, 0, 0, 0) << int(FleetHealth::State::Attention)
                                 << QStringLiteral("Certkeeper — 11 certificates: 1 with a "
                                                   "warning");
        QTest::newRow("awaiting") << fleet(10, 0, 0, 1, 0) << int(FleetHealth::State::Attention)
                                  << QStringLiteral("Certkeeper — 11 certificates: 1 awaiting "
                                                    "you");
        QTest::newRow("mixed") << fleet(114, 3, 2, 1, 0) << int(FleetHealth::State::Failing)
                               << QStringLiteral("Certkeeper — 120 certificates: 2 in error, 3 "
                                                 "with warnings, 1 awaiting you");
    }

    void theWordsAndTheStateFollowTheWorstHealth() {
        QFETCH(QList<ManagedCertificate>, items);
        QFETCH(int, state);
        QFETCH(QString, text);
        CertificateListModel model;
        model.setNow(kNow);
        HealthSummaryModel summary(&model);
        model.upsert(items);
        const FleetHealth health = ck::gui::fleetHealth(summary);
        QCOMPARE(health.text, text);
        QCOMPARE(int(health.state), state);
    }

    void theIconFollowsTheListAsItChanges() {
        CertificateListModel model;
        model.setNow(kNow);
        HealthSummaryModel summary(&model);
        QAction extra(QStringLiteral("Desktop Notifications"));
        FleetTrayIcon tray(&summary, {&extra});
        QCOMPARE(tray.toolTip(), QStringLiteral("Certkeeper — no certificates yet"));
        QVERIFY(!tray.icon().isNull());
        model.upsert(fleet(2, 0, 0, 0, 0));
        QCOMPARE(tray.toolTip(), QStringLiteral("Certkeeper — 2 certificates, all OK"));
        QCOMPARE(tray.state(), FleetHealth::State::AllOk);
        const QImage okImage = tray.icon().pixmap(32).toImage();

        // One renewal fails: attention. Its certificate expires: failing. Renewed: all OK.
        ManagedCertificate item = itemOf(QStringLiteral("ok-0"), Health::Warning);
        model.upsert({item});
        QCOMPARE(tray.state(), FleetHealth::State::Attention);
        QCOMPARE(tray.toolTip(), QStringLiteral("Certkeeper — 2 certificates: 1 with a warning"));
        item.dateExpiry = kNow.addSecs(-60);
        model.upsert({item});
        QCOMPARE(tray.state(), FleetHealth::State::Failing);
        QCOMPARE(tray.toolTip(), QStringLiteral("Certkeeper — 2 certificates: 1 in error"));
        QVERIFY(tray.icon().pixmap(32).toImage() != okImage);
        model.upsert({itemOf(QStringLiteral("ok-0"), Health::Ok)});
        QCOMPARE(tray.state(), FleetHealth::State::AllOk);
        QCOMPARE(tray.icon().pixmap(32).toImage(), okImage);

        // The menu: Show, the extra actions, Quit; each says what it does.
        QSignalSpy show(&tray, &FleetTrayIcon::showRequested);
        QSignalSpy quit(&tray, &FleetTrayIcon::quitRequested);
        QStringList texts;
        for (QAction* action : tray.contextMenu()->actions())
            if (!action->isSeparator())
                texts << action->text();
        QCOMPARE(texts, QStringList({"Show Certkeeper", "Desktop Notifications", "Quit"}));
        for (QAction* action : tray.contextMenu()->actions())
            if (action->objectName() == QStringLiteral("trayShow") ||
                action->objectName() == QStringLiteral("trayQuit"))
                action->trigger();
        QCOMPARE(show.count(), 1);
        QCOMPARE(quit.count(), 1);
        // A click on the icon brings the window up too.
        Q_EMIT tray.activated(QSystemTrayIcon::Trigger);
        QCOMPARE(show.count(), 2);
        Q_EMIT tray.activated(QSystemTrayIcon::Context);
        QCOMPARE(show.count(), 2);
    }
};

QTEST_MAIN(FleetTrayTest)
#include "test_fleet_tray.moc"
