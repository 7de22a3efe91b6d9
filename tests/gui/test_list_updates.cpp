// Where the window's list gets its data: the loader fetches every page from the real service
// and a new search abandons the load in progress; LiveUpdates applies the service's events
// (from a small SSE server in the test) to the certificate list; the editor's log feed merges
// the history with the events so that each line shows once.

#include "ServiceAccess.h"
#include "SseServer.h"
#include "gui/CertificateListLoader.h"
#include "gui/CertificateListModel.h"
#include "gui/LiveUpdates.h"
#include "gui/editor/ItemLogFeed.h"
#include "gui/editor/ItemLogModel.h"

#include <QSignalSpy>

using namespace ck;
using namespace ck::test;
using namespace std::chrono_literals;
using ck::gui::CertificateListModel;
using ck::gui::ItemLogFeed;
using ck::gui::ItemLogModel;
using ck::gui::LiveUpdates;

class ListUpdatesTest : public QObject {
    Q_OBJECT
    SseClients m_clients;

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_clients.init()); }

    void theLoaderFetchesEveryPage() {
        ServiceProcess service; // its own, so the five items fit the Community edition
        QVERIFY2(service.start(), qPrintable(service.output()));
        for (int i = 0; i < 5; ++i)
            QVERIFY(!createRaw(service, QStringLiteral("Paged %1").arg(i),
                               {QStringLiteral("p%1.example.com").arg(i)})
                         .isEmpty());
        ApiClient client(entryFor(service), service.dataDir());
        gui::CertificateListLoader loader(&client);
        loader.setPageSize(2);
        QSignalSpy pages(&loader, &gui::CertificateListLoader::pageLoaded);
        QSignalSpy finished(&loader, &gui::CertificateListLoader::finished);
        loader.load({});
        QVERIFY(finished.wait(10000));
        QCOMPARE(pages.count(), 3);
        QCOMPARE(pages.last().at(1).toInt(), 5);
        QCOMPARE(finished.first().first().value<QSet<QString>>().size(), 5);

        // A new search abandons the load in progress: only the new one finishes.
        finished.clear();
        loader.load({});
        loader.load(QStringLiteral("p3.example"));
        QVERIFY(finished.wait(10000));
        QTest::qWait(200);
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished.first().first().value<QSet<QString>>().size(), 1);
    }

    void liveUpdatesChangeTheList() {
        SseServer server;
        auto client = m_clients.clientFor(server);
        CertificateListModel model;
        ManagedCertificate shop;
        QList<FieldError> errors;
        shop = managedCertificateFromJson(itemJson("i1", "Shop", "NotRunning"), &errors);
        const ManagedCertificate blog =
            managedCertificateFromJson(itemJson("i2", "Blog", "NotRunning"), &errors);
        model.upsert({shop, blog});
        LiveUpdates live(client.get(), &model);
        QSignalSpy liveChanged(&live, &LiveUpdates::liveChanged);
        QSignalSpy reload(&live, &LiveUpdates::reloadNeeded);
        QSignalSpy lines(&live, &LiveUpdates::logLine);
        live.start();
        QTRY_VERIFY_WITH_TIMEOUT(live.isLive(), kWaitMs);
        QCOMPARE(liveChanged.first().first().toBool(), true);
        QCOMPARE(reload.size(), 1); // a (re)connection reloads once

        const auto healthOf = [&](const QString& id) {
            return model.index(model.rowOfId(id), CertificateListModel::HealthColumn).data();
        };
        server.send(frame("0", "itemUpdated", {{"item", itemJson("i1", "Shop", "Running")}}));
        server.send(frame("1", "progress",
                          {{"itemId", "i1"},
                           {"step", "authorize"},
                           {"message", "Answering the http-01 challenge"}}));
        QTRY_COMPARE_WITH_TIMEOUT(healthOf("i1").toString(),
                                  QStringLiteral("Requesting: Answering the http-01 challenge"),
                                  kWaitMs);
        QVERIFY(
            model.index(model.rowOfId("i1"), 0).data(CertificateListModel::ActiveRole).toBool());

        server.send(frame("2", "log",
                          {{"itemId", "i1"},
                           {"entry", QJsonObject{{"level", "INF"}, {"message", "Order ready"}}}}));
        QTRY_COMPARE_WITH_TIMEOUT(lines.size(), 1, kWaitMs);
        QCOMPARE(lines.first().at(1).toString(), QStringLiteral("Shop")); // named for people

        QJsonObject done = itemJson("i1", "Shop renamed", "Error");
        done["renewalFailureMessage"] = QStringLiteral("The CA said no");
        server.send(frame("3", "itemUpdated", {{"item", done}}));
        server.send(frame("4", "itemUpdated", {{"itemId", "i2"}, {"deleted", true}}));
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 1, kWaitMs);
        QCOMPARE(model.item(model.rowOfId("i1")).name, QStringLiteral("Shop renamed"));
        QCOMPARE(healthOf("i1").toString(), QStringLiteral("Error")); // the progress is over
        server.send(frame("5", "progress", {{"itemId", "i1"}, {"message", "late line"}}));
        server.send(frame("6", "reset", {{"reason", "missed"}}));
        QTRY_COMPARE_WITH_TIMEOUT(reload.size(), 2, kWaitMs); // reset: reload once more
        QCOMPARE(healthOf("i1").toString(), QStringLiteral("Error"));
        QCOMPARE(model.index(model.rowOfId("i1"), CertificateListModel::HealthColumn)
                     .data(Qt::ToolTipRole)
                     .toString(),
                 QStringLiteral("The CA said no"));

        server.closeStreams();
        QTRY_VERIFY_WITH_TIMEOUT(!liveChanged.last().first().toBool(), kWaitMs);
        QVERIFY(!live.isLive());
    }

    void theLogFeedShowsEachLineOnceWhicheverWayItCameFirst() {
        SseServer server;
        server.holdPrefix = "/api/managedcertificates/i1/log";
        auto client = m_clients.clientFor(server);
        ItemLogModel model;
        ItemLogFeed feed(client.get(), QStringLiteral("i1"), nullptr);
        connect(&feed, &ItemLogFeed::appended, &model, &ItemLogModel::appendEntries);
        connect(&feed, &ItemLogFeed::replaced, &model, &ItemLogModel::setEntries);
        feed.setFallbackInterval(1h);
        const LogEntry a = logLine(1, "Order created"), b = logLine(2, "Authorizing"),
                       c = logLine(3, "Validating"), d = logLine(4, "Answering http-01"),
                       e = logLine(5, "Certificate issued"), f = logLine(6, "Deployed"),
                       g = logLine(7, "Renewal scheduled");
        using Lines = QList<LogEntry>;

        feed.start();
        QTRY_VERIFY_WITH_TIMEOUT(feed.isLive(), kWaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(server.heldCount(), 1, kWaitMs);
        // The first history was asked for before the stream opened: a line written between the
        // two (c) would be in neither, so the history is read once more. c's event waits for it.
        server.send(logFrame("11", "i1", c));
        server.answerHeld(historyOf({a, b}));
        QTRY_COMPARE_WITH_TIMEOUT(model.entries(), (Lines{a, b}), kWaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(server.heldCount(), 1, kWaitMs);
        server.send(logFrame("12", "i2", logLine(3, "another certificate's line")));
        // c and d (twice in one millisecond: two lines) were written before this read, and
        // their events come too.
        server.answerHeld(historyOf({a, b, c, d, d}));
        QTRY_COMPARE_WITH_TIMEOUT(model.entries(), (Lines{a, b, c, d, d}), kWaitMs);
        server.send(logFrame("13", "i1", d));
        server.send(logFrame("14", "i1", d));
        server.send(logFrame("15", "i1", e));
        QTRY_COMPARE_WITH_TIMEOUT(model.entries(), (Lines{a, b, c, d, d, e}), kWaitMs);
        QCOMPARE(feed.historyReads(), 2); // the new line came as an event, not by a poll

        // Without the stream the history is polled, and the line written meanwhile comes so.
        feed.setFallbackInterval(100ms);
        server.closeStreams();
        QTRY_VERIFY_WITH_TIMEOUT(!feed.isLive(), kWaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(server.heldCount(), 1, kWaitMs);
        server.answerHeld(historyOf({a, b, c, d, d, e, f}));
        QTRY_COMPARE_WITH_TIMEOUT(model.entries(), (Lines{a, b, c, d, d, e, f}), kWaitMs);
        // The stream comes back (after a second): the history is read again, and g, written as
        // it opened, is in the history and comes as an event: shown once.
        QTRY_VERIFY_WITH_TIMEOUT(feed.isLive(), kWaitMs);
        server.send(logFrame("16", "i1", g));
        for (int quiet = 0; quiet < 5; QTest::qWait(100)) { // every read asked, until none comes
            if (server.heldCount() == 0) {
                ++quiet;
                continue;
            }
            server.answerHeld(historyOf({a, b, c, d, d, e, f, g}));
            quiet = 0;
        }
        QCOMPARE(model.entries(), (Lines{a, b, c, d, d, e, f, g}));
        const int reads = feed.historyReads();
        const LogEntry h = logLine(8, "Next renewal in 60 days");
        server.send(logFrame("17", "i1", h));
        QTRY_COMPARE_WITH_TIMEOUT(model.entries(), (Lines{a, b, c, d, d, e, f, g, h}), kWaitMs);
        QTest::qWait(300);
        QCOMPARE(feed.historyReads(), reads); // live again: no more polling
    }
};

QTEST_MAIN(ListUpdatesTest)
#include "test_list_updates.moc"
