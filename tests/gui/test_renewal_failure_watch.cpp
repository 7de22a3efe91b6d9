// Which list changes are failed renewals (RenewalFailureWatch) and how they become notices
// (FailureNoticeGrouping), without a service: items go into the window's list model as a reload
// or a live event would put them. Told: a request that has just failed, again when it fails
// again; not told: the same failure read twice, anything before the first whole load (those are
// summarised once), an item that brought an old failure with it. A burst is one notice whose
// count grows; after a quiet period the next failure is a notice of its own.

#include "gui/CertificateListModel.h"
#include "gui/DesktopNotifier.h"
#include "gui/FailureNoticeGrouping.h"
#include "gui/RenewalFailureWatch.h"

#include <QSignalSpy>
#include <QTest>

using namespace ck;
using namespace std::chrono_literals;
using ck::gui::CertificateListModel;
using ck::gui::DesktopNotice;
using ck::gui::FailureNoticeGrouping;
using ck::gui::RenewalFailureWatch;

namespace {
const QString kReason = QStringLiteral("There is no ACME account for Let's Encrypt yet: "
                                       "register one in Settings > ACME accounts");
const QDateTime kDaysAgo = QDateTime::currentDateTimeUtc().addDays(-3);

ManagedCertificate item(const QString& name, RequestState status = RequestState::Success,
                        int failures = 0) {
    ManagedCertificate item;
    item.id = QStringLiteral("id-") + name;
    item.name = name;
    item.version = 1;
    item.requestConfig.primaryDomain = name.toLower() + QStringLiteral(".example.com");
    item.lastRenewalStatus = status;
    item.renewalFailureCount = failures;
    item.dateLastRenewalAttempt = kDaysAgo; // the same attempt however often it is read
    if (status == RequestState::Error)
        item.renewalFailureMessage = kReason;
    return item;
}

// The item's next failed attempt, as the service records it.
ManagedCertificate failedAgain(ManagedCertificate item) {
    item.lastRenewalStatus = RequestState::Error;
    item.renewalFailureCount += 1;
    item.renewalFailureMessage = kReason;
    item.dateLastRenewalAttempt = QDateTime::currentDateTimeUtc();
    item.version += 1;
    return item;
}

QStringList namesOf(const QSignalSpy& spy) {
    QStringList names;
    for (const QList<QVariant>& call : spy)
        names << call.at(0).value<ManagedCertificate>().name;
    return names;
}
} // namespace

class RenewalFailureWatchTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void theFirstLoadIsSummarisedOnceNeverItemByItem() {
        CertificateListModel model;
        RenewalFailureWatch watch(&model);
        QSignalSpy failed(&watch, &RenewalFailureWatch::failed);
        QSignalSpy already(&watch, &RenewalFailureWatch::alreadyFailing);
        // Page by page, with a change of a failing item before the load ends.
        model.upsert({item("Shop"), item("Blog", RequestState::Error, 2)});
        model.upsert({item("Mail", RequestState::Error, 1), item("Wiki", RequestState::Queued)});
        model.upsert({failedAgain(item("Blog", RequestState::Error, 2))});
        QCOMPARE(failed.count(), 0);
        QCOMPARE(already.count(), 0);
        watch.listLoaded();
        QCOMPARE(failed.count(), 0);
        QCOMPARE(already.count(), 1);
        QStringList names;
        for (const auto& failing : already.at(0).at(0).value<QList<ManagedCertificate>>())
            names << failing.name;
        QCOMPARE(names, QStringList({"Blog", "Mail"}));
        // Every later load finishes too: the summary was once.
        model.upsert({item("Shop"), item("Mail", RequestState::Error, 1)});
        watch.listLoaded();
        QCOMPARE(already.count(), 1);
        QCOMPARE(failed.count(), 0);
    }

    void aFailureIsToldOnceHoweverOftenItIsRead() {
        CertificateListModel model;
        RenewalFailureWatch watch(&model);
        model.upsert({item("Shop"), item("Blog")});
        watch.listLoaded();
        QSignalSpy failed(&watch, &RenewalFailureWatch::failed);
        // Live: queued, running, failed.
        ManagedCertificate shop = item("Shop", RequestState::Queued);
        model.upsert({shop});
        shop.lastRenewalStatus = RequestState::Running;
        model.upsert({shop});
        shop = failedAgain(item("Shop"));
        model.upsert({shop});
        QCOMPARE(namesOf(failed), QStringList{"Shop"});
        QCOMPARE(failed.at(0).at(0).value<ManagedCertificate>().renewalFailureMessage, kReason);
        // The next reload, and the event replayed after a reconnection, read the same failure.
        model.upsert({item("Blog"), shop});
        model.upsert({shop});
        model.refreshClock(); // every row changes with the clock: no failure in that
        QCOMPARE(failed.count(), 1);
        // Polling without live events misses "running": the count going up still says it.
        shop = failedAgain(shop);
        model.upsert({item("Blog"), shop});
        QCOMPARE(namesOf(failed), QStringList({"Shop", "Shop"}));
        QCOMPARE(failed.at(1).at(0).value<ManagedCertificate>().renewalFailureCount, 2);
        // A success and then a failure of another item.
        const ManagedCertificate blog = failedAgain(item("Blog"));
        model.upsert({item("Shop"), blog});
        QCOMPARE(namesOf(failed), QStringList({"Shop", "Shop", "Blog"}));
        // An edit of a failing item (a new version, the same failure) is no failure.
        ManagedCertificate edited = blog;
        edited.comments = QStringLiteral("looked at");
        edited.version += 1;
        model.upsert({edited});
        QCOMPARE(failed.count(), 3);
    }

    void eventsReplayedAfterAReconnectionTellNothingAgain() {
        CertificateListModel model;
        RenewalFailureWatch watch(&model);
        model.upsert({item("Shop")});
        watch.listLoaded();
        QSignalSpy failed(&watch, &RenewalFailureWatch::failed);
        // Failed once, then again; the window read the second failure by a reload.
        const ManagedCertificate first = failedAgain(item("Shop"));
        model.upsert({first});
        QTest::qWait(5); // the attempts begin at different times, as on the service
        const ManagedCertificate second = failedAgain(first);
        model.upsert({second});
        QCOMPARE(failed.count(), 2);
        // The stream reconnects and replays what it had missed: the second attempt queued and
        // running (after the first failure), then failed. The list steps back and forth; it
        // is the same failure.
        ManagedCertificate running = first;
        running.lastRenewalStatus = RequestState::Queued;
        model.upsert({first, running});
        running.lastRenewalStatus = RequestState::Running;
        running.dateLastRenewalAttempt = second.dateLastRenewalAttempt;
        model.upsert({running, second});
        QCOMPARE(failed.count(), 2);
        // A failure recorded on the attempt that was running (it was released as stuck) is
        // still a failure of its own.
        ManagedCertificate released = second;
        released.renewalFailureCount += 1;
        model.upsert({released});
        QCOMPARE(failed.count(), 3);
    }

    void anItemArrivingFailedIsNewsOnlyWhenItFailedSinceTheFirstLoad() {
        CertificateListModel model;
        RenewalFailureWatch watch(&model);
        watch.listLoaded(); // an empty list
        QSignalSpy failed(&watch, &RenewalFailureWatch::failed);
        // Created and requested between two reloads: it failed just now.
        model.upsert({failedAgain(item("Fresh"))});
        // Another service's item (a change of service), failing for days.
        model.upsert({item("Old", RequestState::Error, 4)});
        QCOMPARE(namesOf(failed), QStringList{"Fresh"});
        // Gone and back (deleted, then restored from a backup): compared from scratch.
        model.removeId(QStringLiteral("id-Fresh"));
        model.upsert({item("Fresh", RequestState::Error, 1)});
        QCOMPARE(failed.count(), 1);
        model.clear();
        model.upsert({item("Old", RequestState::Success)});
        model.upsert({failedAgain(item("Old"))});
        QCOMPARE(namesOf(failed), QStringList({"Fresh", "Old"}));
    }

    void oneFailureIsToldOnItsOwnWithTheServicesReason() {
        FailureNoticeGrouping grouping;
        grouping.setPacing(50ms, 300ms);
        QSignalSpy ready(&grouping, &FailureNoticeGrouping::noticeReady);
        grouping.add(failedAgain(item("Shop")));
        QVERIFY(ready.wait(2000));
        const auto notice = ready.at(0).at(0).value<DesktopNotice>();
        QCOMPARE(notice.summary, QStringLiteral("Renewal of Shop failed"));
        QCOMPARE(notice.body, kReason);
        QCOMPARE(notice.itemId, QStringLiteral("id-Shop"));
        QCOMPARE(notice.urgency, DesktopNotice::Urgency::Critical);
        QVERIFY(notice.thread != 0);
        // Failed before too: the body says how many times in a row.
        FailureNoticeGrouping again;
        again.setPacing(0ms, 300ms);
        QSignalSpy readyAgain(&again, &FailureNoticeGrouping::noticeReady);
        again.add(failedAgain(item("Shop", RequestState::Error, 2)));
        QVERIFY(readyAgain.wait(2000));
        QCOMPARE(readyAgain.at(0).at(0).value<DesktopNotice>().body,
                 kReason + QStringLiteral("\n3 failures in a row."));
    }

    void aBurstIsOneNoticeThatCountsOn() {
        FailureNoticeGrouping grouping;
        grouping.setPacing(100ms, 600ms);
        QSignalSpy ready(&grouping, &FailureNoticeGrouping::noticeReady);
        const QStringList names{"A", "B", "C", "D", "E"};
        for (const QString& name : names)
            grouping.add(failedAgain(item(name)));
        QVERIFY(ready.wait(2000));
        QCOMPARE(ready.count(), 1);
        const auto first = ready.at(0).at(0).value<DesktopNotice>();
        QCOMPARE(first.summary, QStringLiteral("5 renewals failed"));
        QCOMPARE(first.body, QStringLiteral("The first: A — ") + kReason);
        QCOMPARE(first.itemId, QStringLiteral("id-A"));
        // More within the quiet period: held, then one update of the same notice.
        for (int i = 0; i < 195; ++i)
            grouping.add(failedAgain(item(QStringLiteral("Item %1").arg(i))));
        QTest::qWait(200);
        QCOMPARE(ready.count(), 1);
        QVERIFY(ready.wait(2000));
        QCOMPARE(ready.count(), 2);
        const auto update = ready.at(1).at(0).value<DesktopNotice>();
        QCOMPARE(update.summary, QStringLiteral("200 renewals failed"));
        QCOMPARE(update.body, first.body);
        QCOMPARE(update.thread, first.thread);
        // After a quiet period with none, a failure is a notice of its own.
        QVERIFY(!ready.wait(900));
        grouping.add(failedAgain(item("Later")));
        QVERIFY(ready.wait(2000));
        const auto later = ready.at(2).at(0).value<DesktopNotice>();
        QCOMPARE(later.summary, QStringLiteral("Renewal of Later failed"));
        QVERIFY(later.thread != first.thread);
        // Turned off meanwhile: what is held is dropped.
        QVERIFY(!ready.wait(900));
        grouping.add(failedAgain(item("Dropped")));
        grouping.discardPending();
        QVERIFY(!ready.wait(400));
    }

    void theOpeningSummaryNamesTheLatestFailure() {
        ManagedCertificate older = item("Older", RequestState::Error, 3);
        ManagedCertificate latest = item("Latest", RequestState::Error, 1);
        latest.dateLastRenewalAttempt = older.dateLastRenewalAttempt.addSecs(60);
        const auto notice =
            FailureNoticeGrouping::alreadyFailingNotice({older, latest, item("X", {}, 1)});
        QCOMPARE(notice.summary, QStringLiteral("3 certificates are failing to renew"));
        QCOMPARE(notice.body, QStringLiteral("The latest: Latest — ") + kReason);
        QCOMPARE(notice.itemId, QStringLiteral("id-Latest"));
        QCOMPARE(notice.urgency, DesktopNotice::Urgency::Normal);
        const auto one = FailureNoticeGrouping::alreadyFailingNotice({older});
        QCOMPARE(one.summary, QStringLiteral("Renewal of Older failed"));
        QCOMPARE(one.body, kReason + QStringLiteral("\n3 failures in a row."));
    }

    void bodiesAreEscapedForServersThatReadMarkup() {
        QCOMPARE(ck::gui::DesktopNotifier::escapedBody(
                     QStringLiteral("<b>no</b> & \"Settings > ACME accounts\"")),
                 QStringLiteral("&lt;b&gt;no&lt;/b&gt; &amp; &quot;Settings &gt; ACME "
                                "accounts&quot;"));
    }
};

QTEST_MAIN(RenewalFailureWatchTest)
#include "test_renewal_failure_watch.moc"
