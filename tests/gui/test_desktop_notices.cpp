// Desktop notifications of failed renewals, end to end: the real service fails requests (no ACME
// account is registered: every request fails at once, in the service's words), the window finds
// the failures in its list (by live events, or by a reload), and the notifications reach a strict
// stand-in notification server (tests/standins/NotificationServerStandIn) on a session bus of
// this test's own (PrivateSessionBus, started before the application connects to it).
//
// One notification per failure; none for the same failure read again; one summary for the items
// that were failing when the window opened; one notification, counting on, for a burst; none
// when the user turned them off; a click selects the item; a server that is gone or lacks
// capabilities breaks nothing.

#include "DesktopNoticesTestSupport.h"
#include "NotificationServerStandIn.h"
#include "PrivateSessionBus.h"

#include <QDBusConnection>
#include <QMenu>
#include <QSignalSpy>

using namespace ck;
using namespace ck::test;
using Notification = NotificationServerStandIn::Notification;

class DesktopNoticesTest : public DesktopNoticesFixture {
    Q_OBJECT
public:
    explicit DesktopNoticesTest(QString busAddress) : m_busAddress(std::move(busAddress)) {}

private:
    QString m_busAddress;
    std::unique_ptr<NotificationServerStandIn> m_server;

    void
    startServer(const QStringList& capabilities = NotificationServerStandIn::allCapabilities()) {
        m_server = std::make_unique<NotificationServerStandIn>(capabilities);
        QVERIFY(m_server->start(m_busAddress));
    }

    QList<Notification> told() const { return m_server->notifications(); }

    // The body as the user reads it. A server that reads markup reads it as Pango and other
    // servers do: entities are characters, line breaks stay (it is not HTML).
    QString bodyAsRead(const Notification& n) const {
        if (!m_server->readsMarkup())
            return n.body;
        QString text = n.body;
        for (const auto& [entity, character] :
             {std::pair{"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}})
            text.replace(QLatin1String(entity), QLatin1String(character));
        return text.replace(QLatin1String("&amp;"), QLatin1String("&"));
    }

    // A reload reads again what the window has: whatever it had told, it tells nothing more.
    void reloadAndExpectNoMore(const MainWindow& window) {
        const auto before = told().size();
        QSignalSpy loaded(window.freshness(), &ck::gui::ListFreshness::loadFinished);
        trigger(window, "actionRefresh");
        QVERIFY(loaded.wait(kWaitMs));
        waitOutTheGathering();
        QCOMPARE(told().size(), before);
    }

private Q_SLOTS:
    void initTestCase() {
        useTestSettings();
        // The application really is on the test's bus, not on a desktop's.
        QVERIFY(QDBusConnection::sessionBus().isConnected());
    }
    void init() {
        startService();
        startServer();
    }
    void cleanup() {
        QVERIFY2(m_server->violations().isEmpty(), qPrintable(m_server->violations().join('\n')));
        m_server.reset();
        m_service.reset();
    }

    void aFailedRenewalIsOneNotificationInTheServicesWords() {
        const QString id = createRaw(*m_service, QStringLiteral("Shop"), {"shop.example.com"});
        auto window = openLoadedWindow();
        waitOutTheGathering();
        QCOMPARE(told().size(), 0); // nothing was failing

        requestAndWaitForFailure(id, 1);
        QTRY_COMPARE_WITH_TIMEOUT(told().size(), 1, kWaitMs);
        const Notification n = told().first();
        QCOMPARE(n.appName, QStringLiteral("Certkeeper"));
        QCOMPARE(n.appIcon, QStringLiteral("certkeeper"));
        QCOMPARE(n.summary, QStringLiteral("Renewal of Shop failed"));
        const QString reason = stored(id).value("renewalFailureMessage").toString();
        QVERIFY2(reason.contains("no ACME account") && reason.contains('>'), qPrintable(reason));
        // Markup is escaped for a server that reads it: "Settings > ACME accounts" reads so.
        QCOMPARE(n.body, reason.toHtmlEscaped());
        QCOMPARE(bodyAsRead(n), reason);
        QCOMPARE(n.hints.value("urgency").value<uchar>(), uchar(2)); // critical
        QCOMPARE(n.hints.value("desktop-entry").toString(), QStringLiteral("certkeeper"));
        QCOMPARE(n.actions.value(0), QStringLiteral("default"));
        QCOMPARE(n.expireTimeout, -1);
        QCOMPARE(n.replacesId, 0u);

        // The next reload reads the same failure: not told again.
        reloadAndExpectNoMore(*window);
    }

    void aLaterFailureOfTheSameItemIsANotificationAgainAlsoFoundByAReload() {
        const QString id = createRaw(*m_service, QStringLiteral("Blog"), {"blog.example.com"});
        auto window = openLoadedWindow();
        requestAndWaitForFailure(id, 1);
        QTRY_COMPARE_WITH_TIMEOUT(told().size(), 1, kWaitMs);
        QTest::qWait(int(kTestQuiet.count())); // later: not part of a burst

        // Without live events only a reload can tell the window.
        window->liveUpdates()->stop();
        requestAndWaitForFailure(id, 2);
        waitOutTheGathering();
        QCOMPARE(told().size(), 1);
        trigger(*window, "actionRefresh");
        QTRY_COMPARE_WITH_TIMEOUT(told().size(), 2, kWaitMs);
        const Notification second = told().at(1);
        QCOMPARE(second.summary, QStringLiteral("Renewal of Blog failed"));
        QVERIFY2(bodyAsRead(second).endsWith("\n2 failures in a row."), qPrintable(second.body));
        QCOMPARE(m_server->popups().size(), 2); // a notification of its own
    }

    void itemsFailingWhenTheWindowOpensAreOneSummary() {
        QStringList ids;
        for (const char* name : {"Alpha", "Beta", "Gamma"}) {
            const QString itemName = QLatin1String(name);
            ids << createRaw(*m_service, itemName,
                             {itemName.toLower() + QStringLiteral(".example.com")});
            requestAndWaitForFailure(ids.last(), 1);
        }
        QVERIFY(!createRaw(*m_service, QStringLiteral("Fine"), {"fine.example.com"}).isEmpty());

        auto window = openLoadedWindow();
        QTRY_COMPARE_WITH_TIMEOUT(told().size(), 1, kWaitMs);
        const Notification n = told().first();
        QCOMPARE(n.summary, QStringLiteral("3 certificates are failing to renew"));
        QVERIFY2(bodyAsRead(n).startsWith("The latest: Gamma — ") &&
                     bodyAsRead(n).contains("no ACME account"),
                 qPrintable(n.body));
        QCOMPARE(n.hints.value("urgency").value<uchar>(), uchar(1)); // known before: normal

        // Reloads and live events bring the same failures again: nothing more.
        reloadAndExpectNoMore(*window);
    }

    void aBurstOfFailuresIsOneNotificationThatCountsOn() {
        QJsonArray ids;
        for (int i = 1; i <= 12; ++i)
            ids.append(createRaw(*m_service, QStringLiteral("Site %1").arg(i, 2, 10, QChar('0')),
                                 {QStringLiteral("site%1.example.com").arg(i)}));
        auto window = openLoadedWindow();
        // As the scheduler would when all are due: one call queues them all.
        const auto renew = rawHttpFor(*m_service)
                               .post("/api/managedcertificates/renew", QJsonObject{{"ids", ids}});
        QCOMPARE(renew.status, 202);
        QCOMPARE(renew.json().value("queued").toArray().size(), 12);
        for (const QJsonValue& id : ids)
            QTRY_COMPARE_WITH_TIMEOUT(stored(id.toString()).value("renewalFailureCount").toInt(), 1,
                                      kWaitMs);

        QTRY_COMPARE_WITH_TIMEOUT(told().isEmpty() ? QString() : told().last().summary,
                                  QStringLiteral("12 renewals failed"), kWaitMs * 2);
        // One notification on the desktop: any later count replaced it in place.
        const QList<Notification> popups = m_server->popups();
        QCOMPARE(popups.size(), 1);
        for (const Notification& n : told().mid(1))
            QCOMPARE(n.replacesId, popups.first().id);
        QVERIFY2(told().size() < 12, qPrintable(QString::number(told().size())));
        QVERIFY2(bodyAsRead(told().last()).startsWith("The first: Site "),
                 qPrintable(told().last().body));
    }

    void turnedOffNothingIsSentAndTheChoiceIsKept() {
        const QString id = createRaw(*m_service, QStringLiteral("Quiet"), {"quiet.example.com"});
        {
            auto window = openLoadedWindow();
            auto* toggle =
                window->findChild<QAction*>(QStringLiteral("actionDesktopNotifications"));
            QVERIFY(toggle);
            QVERIFY(toggle->isCheckable());
            QVERIFY(toggle->isChecked()); // on until turned off
            bool inViewMenu = false;
            for (QObject* object : toggle->associatedObjects())
                if (auto* menu = qobject_cast<QMenu*>(object))
                    inViewMenu = inViewMenu || menu->title() == QStringLiteral("&View");
            QVERIFY(inViewMenu);
            toggle->trigger();
            QVERIFY(!toggle->isChecked());

            requestAndWaitForFailure(id, 1);
            QTRY_COMPARE_WITH_TIMEOUT(tableOf(*window)
                                          ->model()
                                          ->index(rowOfName(*window, QStringLiteral("Quiet")),
                                                  CertificateListModel::HealthColumn)
                                          .data()
                                          .toString(),
                                      QStringLiteral("Error"), kWaitMs);
            waitOutTheGathering();
            QCOMPARE(told().size(), 0);
        }
        // The next run of the app remembers: no summary of what is failing either.
        auto window = openLoadedWindow();
        auto* toggle = window->findChild<QAction*>(QStringLiteral("actionDesktopNotifications"));
        QVERIFY(!toggle->isChecked());
        waitOutTheGathering();
        QCOMPARE(told().size(), 0);
        // On again: the same kind of failure is told.
        toggle->trigger();
        requestAndWaitForFailure(id, 2);
        QTRY_COMPARE_WITH_TIMEOUT(told().size(), 1, kWaitMs);
        QCOMPARE(told().first().summary, QStringLiteral("Renewal of Quiet failed"));
    }

    void clickingTheNotificationShowsTheItem() {
        const QString id = createRaw(*m_service, QStringLiteral("Pick me"), {"pick.example.com"});
        QVERIFY(!createRaw(*m_service, QStringLiteral("Other"), {"other.example.com"}).isEmpty());
        auto window = openLoadedWindow();
        // The user looks at something else: searched, selected, window minimised.
        childOf<QLineEdit>(window.get(), "searchEdit")->setText(QStringLiteral("other"));
        QTRY_COMPARE(tableOf(*window)->model()->rowCount(), 1);
        tableOf(*window)->selectRow(0);
        window->showMinimized();
        QTRY_VERIFY(window->isMinimized());

        requestAndWaitForFailure(id, 1);
        QTRY_COMPARE_WITH_TIMEOUT(told().size(), 1, kWaitMs);
        m_server->invokeAction(told().first().id, QStringLiteral("default"));
        const auto selectedNames = [&] {
            QStringList names;
            for (const QModelIndex& index : tableOf(*window)->selectionModel()->selectedRows())
                names << index.data().toString();
            return names;
        };
        QTRY_COMPARE_WITH_TIMEOUT(selectedNames(), QStringList{"Pick me"}, kWaitMs);
        QVERIFY(!window->isMinimized());
        QVERIFY(window->isVisible());
        QCOMPARE(childOf<QLineEdit>(window.get(), "searchEdit")->text(), QString());

        // Another notification's id, or a key it never offered, does nothing.
        tableOf(*window)->clearSelection();
        m_server->invokeAction(told().first().id + 100, QStringLiteral("default"));
        m_server->invokeAction(told().first().id, QStringLiteral("other"));
        QTest::qWait(300);
        QCOMPARE(selectedNames(), QStringList());
    }

    void aServerWithoutActionsOrMarkupGetsPlainTextAndNoAction() {
        startServer({QStringLiteral("body")});
        const QString id = createRaw(*m_service, QStringLiteral("Plain"), {"plain.example.com"});
        auto window = openLoadedWindow();
        requestAndWaitForFailure(id, 1);
        QTRY_COMPARE_WITH_TIMEOUT(told().size(), 1, kWaitMs);
        QCOMPARE(told().first().body, stored(id).value("renewalFailureMessage").toString());
        QVERIFY(told().first().actions.isEmpty());
    }

    void withoutAServerNothingBreaksAndAServerThatComesIsUsed() {
        m_server->stop();
        const QString id = createRaw(*m_service, QStringLiteral("Alone"), {"alone.example.com"});
        auto window = openLoadedWindow();
        DesktopNotifier* notifier = noticesOf(*window)->notifier();
        QSignalSpy delivered(notifier, &DesktopNotifier::delivered);
        EventLoopGaps gaps;
        requestAndWaitForFailure(id, 1);
        // No tray offscreen either: the notice goes nowhere, and the window goes on.
        QTRY_COMPARE_WITH_TIMEOUT(delivered.count(), 1, kWaitMs);
        QCOMPARE(delivered.at(0).at(0).value<DesktopNotifier::Route>(),
                 DesktopNotifier::Route::Nowhere);
        QVERIFY2(gaps.longestMs() < 1000, qPrintable(QString::number(gaps.longestMs())));
        QVERIFY(window->isVisible());

        // A server starts (the user logged in to a desktop): the next failure reaches it.
        QVERIFY(m_server->start(m_busAddress));
        QTest::qWait(int(kTestQuiet.count()));
        requestAndWaitForFailure(id, 2);
        QTRY_COMPARE_WITH_TIMEOUT(told().size(), 1, kWaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(delivered.last().at(0).value<DesktopNotifier::Route>(),
                                  DesktopNotifier::Route::Desktop, kWaitMs);
    }
};

// The bus is started, and named the session bus, before the application exists: QtDBus connects
// to the session bus once per process.
int main(int argc, char* argv[]) {
    PrivateSessionBus bus;
    if (!bus.start()) {
        qCritical("%s", qPrintable(bus.errorString()));
        return 1;
    }
    qputenv("DBUS_SESSION_BUS_ADDRESS", bus.address().toUtf8());
    QApplication app(argc, argv);
    DesktopNoticesTest test(bus.address());
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "test_desktop_notices.moc"
