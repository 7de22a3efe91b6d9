// The list's models: CertificateListModel, its filter proxy, the health summary and the expiry
// timeline. Each is checked against the Qt model contract (QAbstractItemModelTester) through every
// kind of update the window makes, and for what it shows; the timeline and the filter must agree
// (a day's bar counts exactly the rows a click on it shows); and 10,000 items go through all of
// them in pages, as the window loads them.

#include "SampleItems.h"
#include "gui/CertificateFilterProxy.h"
#include "gui/CertificateListModel.h"
#include "gui/ExpiryTimelineModel.h"
#include "gui/HealthSummaryModel.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace ck;
using ck::gui::CertificateFilterProxy;
using ck::gui::CertificateListModel;
using ck::gui::ExpiryTimelineModel;
using ck::gui::HealthSummaryModel;

namespace {
const QDateTime kNow(QDate(2026, 6, 1), QTime(12, 0), Qt::UTC);
constexpr auto kReport = QAbstractItemModelTester::FailureReportingMode::QtTest;

ManagedCertificate makeItem(const QString& id, const QString& name, const QStringList& domains) {
    ManagedCertificate item;
    item.id = id;
    item.name = name;
    item.version = 1;
    item.requestConfig.primaryDomain = domains.value(0);
    item.requestConfig.subjectAlternativeNames = domains;
    return item;
}

// An item issued `startDaysAgo` days ago for 90 days, renewing at two thirds of its lifetime.
ManagedCertificate issuedItem(const QString& id, int startDaysAgo) {
    auto item = makeItem(id, id, {id + QStringLiteral(".example.com")});
    item.dateStart = kNow.addDays(-startDaysAgo);
    item.dateExpiry = item.dateStart.addDays(90);
    item.dateNextScheduledRenewalAttempt = item.dateStart.addDays(60);
    item.lastRenewalStatus = RequestState::Success;
    return item;
}

QStringList idsInOrder(const QAbstractItemModel& model) {
    QStringList ids;
    for (int row = 0; row < model.rowCount(); ++row)
        ids.append(model.index(row, 0).data(CertificateListModel::IdRole).toString());
    return ids;
}

// Sample items with ids, as the service would list them.
QList<ManagedCertificate> withIds(QList<ManagedCertificate> items) {
    for (int i = 0; i < items.size(); ++i) {
        items[i].id = QStringLiteral("id-%1").arg(i, 5, 10, QLatin1Char('0'));
        items[i].version = 1;
    }
    return items;
}

// The list as the window has it: the model at kNow, seen through the filter proxy sorted by
// `column`.
struct FilteredList {
    CertificateListModel model;
    CertificateFilterProxy proxy;

    explicit FilteredList(int column = CertificateListModel::NameColumn) {
        model.setNow(kNow);
        proxy.setSourceModel(&model);
        proxy.sort(column);
    }
};
} // namespace

class ListModelsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void listModelHonoursTheContractThroughUpdates() {
        FilteredList list;
        auto& [model, proxy] = list;
        QAbstractItemModelTester tester(&model, kReport);
        QAbstractItemModelTester proxyTester(&proxy, kReport);

        model.upsert({makeItem("a", "Alpha", {"a.example.com"}),
                      makeItem("b", "Beta", {"b.example.com"}),
                      makeItem("c", "Gamma", {"c.example.com"})});
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(idsInOrder(proxy), (QStringList{"a", "b", "c"}));

        // A refreshed page: one changed, one new, a repeated id in the same page.
        auto changed = makeItem("b", "Zeta (renamed)", {"b.example.com"});
        changed.version = 2;
        model.upsert({changed, makeItem("d", "Delta", {"d.example.com"}),
                      makeItem("d", "Delta 2", {"d.example.com"})});
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.index(model.rowOfId("b"), 0).data().toString(),
                 QStringLiteral("Zeta (renamed)"));
        QCOMPARE(model.index(model.rowOfId("d"), 0).data().toString(), QStringLiteral("Delta 2"));
        QCOMPARE(idsInOrder(proxy), (QStringList{"a", "d", "c", "b"})); // sorted as it changes

        // Progress of a request, then the clock moving on.
        model.setProgress({"a", "Running", "order", "Placing the order"});
        model.setProgress({"unknown", "Running", {}, {}});
        model.refreshClock();
        model.setNow({});
        model.setNow(kNow);

        // The end of a refresh drops what the service no longer lists: runs and single rows.
        model.upsert({makeItem("e", "Epsilon", {"e.example.com"})});
        model.removeAllExcept({"a", "d"});
        QCOMPARE(idsInOrder(model), (QStringList{"a", "d"}));
        QCOMPARE(model.rowOfId("d"), 1);
        QCOMPARE(model.rowOfId("b"), -1);

        model.removeId("a");
        QCOMPARE(idsInOrder(model), QStringList{"d"});
        model.removeId("unknown");
        model.clear();
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(proxy.rowCount(), 0);
    }

    void domainsColumnShowsPrimaryAndHowManyMore() {
        CertificateListModel model;
        model.upsert(
            {makeItem("one", "One", {"one.example.com"}),
             makeItem("three", "Three", {"www.example.com", "example.com", "api.example.com"})});
        const QModelIndex one =
            model.index(model.rowOfId("one"), CertificateListModel::DomainsColumn);
        const QModelIndex three =
            model.index(model.rowOfId("three"), CertificateListModel::DomainsColumn);
        QCOMPARE(one.data().toString(), QStringLiteral("one.example.com"));
        QCOMPARE(three.data().toString(), QStringLiteral("www.example.com +2 more"));
        QVERIFY(three.data(Qt::ToolTipRole).toString().contains("api.example.com"));
    }

    void healthExpiryAndRenewalColumns() {
        CertificateListModel model;
        model.setNow(kNow);
        auto issued = issuedItem("ok", 10);
        auto fresh = makeItem("new", "New", {"new.example.com"});
        auto manual = issuedItem("manual", 10);
        manual.includeInAutoRenew = false;
        auto overdue = issuedItem("late", 80); // renewal was due 20 days ago
        overdue.lastRenewalStatus = RequestState::Error;
        overdue.renewalFailureMessage = QStringLiteral("The CA refused the order");
        model.upsert({issued, fresh, manual, overdue});

        const auto cell = [&](const char* id, int column, int role = Qt::DisplayRole) {
            return model.index(model.rowOfId(id), column).data(role);
        };
        QCOMPARE(cell("ok", CertificateListModel::HealthColumn).toString(), QStringLiteral("OK"));
        QVERIFY(!cell("ok", CertificateListModel::HealthColumn, Qt::DecorationRole)
                     .value<QIcon>()
                     .isNull());
        QCOMPARE(cell("new", CertificateListModel::HealthColumn).toString(),
                 QStringLiteral("Not yet issued"));
        QCOMPARE(cell("late", CertificateListModel::HealthColumn).toString(),
                 QStringLiteral("Warning"));
        QCOMPARE(cell("late", CertificateListModel::HealthColumn, Qt::ToolTipRole).toString(),
                 QStringLiteral("The CA refused the order"));
        QCOMPARE(cell("new", CertificateListModel::ExpiryColumn).toString(),
                 QStringLiteral("not issued"));
        QCOMPARE(cell("ok", CertificateListModel::ExpiryColumn).toString(),
                 issued.dateExpiry.toLocalTime().date().toString(Qt::ISODate));
        QVERIFY(cell("ok", CertificateListModel::ExpiryColumn, Qt::ToolTipRole)
                    .toString()
                    .contains("in 80 days"));
        QCOMPARE(cell("ok", CertificateListModel::NextRenewalColumn).toString(),
                 issued.dateNextScheduledRenewalAttempt.toLocalTime().date().toString(Qt::ISODate));
        QCOMPARE(cell("manual", CertificateListModel::NextRenewalColumn).toString(),
                 QStringLiteral("manual only"));
        QCOMPARE(cell("late", CertificateListModel::NextRenewalColumn).toString(),
                 QStringLiteral("due now"));
        QCOMPARE(cell("new", CertificateListModel::NextRenewalColumn).toString(),
                 QStringLiteral("not scheduled"));

        // Sorting: the soonest expiry first and the never issued last; the worst health first.
        const auto sortKey = [&](const char* id, int column) {
            return cell(id, column, CertificateListModel::SortRole);
        };
        QVERIFY(sortKey("late", CertificateListModel::ExpiryColumn).toDateTime() <
                sortKey("ok", CertificateListModel::ExpiryColumn).toDateTime());
        QVERIFY(sortKey("ok", CertificateListModel::ExpiryColumn).toDateTime() <
                sortKey("new", CertificateListModel::ExpiryColumn).toDateTime());
        QVERIFY(sortKey("late", CertificateListModel::HealthColumn).toInt() <
                sortKey("ok", CertificateListModel::HealthColumn).toInt());
        QVERIFY(sortKey("ok", CertificateListModel::NextRenewalColumn).toDateTime() <
                sortKey("manual", CertificateListModel::NextRenewalColumn).toDateTime());

        // Health follows the clock: 70 days on, the first certificate is due for a warning.
        model.setNow(kNow.addDays(70));
        QCOMPARE(cell("ok", CertificateListModel::HealthColumn).toString(),
                 QStringLiteral("Warning"));
    }

    void aRunningRequestShowsItsStepUntilTheItemSaysItIsDone() {
        CertificateListModel model;
        model.setNow(kNow);
        QAbstractItemModelTester tester(&model, kReport);
        model.upsert({issuedItem("a", 70)});
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        const auto health = [&] {
            return model.index(0, CertificateListModel::HealthColumn).data().toString();
        };
        model.setProgress({"a", "Queued", {}, {}});
        QCOMPARE(health(), QStringLiteral("Queued"));
        model.setProgress({"a", "Running", "validate", "Validating a.example.com"});
        QCOMPARE(health(), QStringLiteral("Requesting: Validating a.example.com"));
        QVERIFY(model.index(0, 0).data(CertificateListModel::ActiveRole).toBool());
        QCOMPARE(changed.size(), 2);

        // The same item again, still running: the step stays.
        auto running = issuedItem("a", 70);
        running.lastRenewalStatus = RequestState::Running;
        model.upsert({running});
        QCOMPARE(health(), QStringLiteral("Requesting: Validating a.example.com"));
        // Done: the item says so, and the row shows its health again.
        auto done = issuedItem("a", 0);
        done.version = 2;
        model.upsert({done});
        QCOMPARE(health(), QStringLiteral("OK"));
        QVERIFY(!model.index(0, 0).data(CertificateListModel::ActiveRole).toBool());
        // A late step of the finished request (its last log line) does not bring it back.
        model.setProgress({"a", {}, "done", "Request completed in 900 ms"});
        QCOMPARE(health(), QStringLiteral("OK"));
        // Without live events, a running item still says it is running; a step without a state
        // (as the service sends them) shows while it runs.
        model.upsert({running});
        QCOMPARE(health(), QStringLiteral("Requesting…"));
        model.setProgress({"a", {}, "finalize", "Finalizing the order"});
        QCOMPARE(health(), QStringLiteral("Requesting: Finalizing the order"));
    }

    void headers() {
        CertificateListModel model;
        QStringList headers;
        for (int c = 0; c < model.columnCount(); ++c)
            headers.append(model.headerData(c, Qt::Horizontal).toString());
        QCOMPARE(headers, (QStringList{"Name", "Domains", "Health", "Expiry", "Next renewal"}));
    }

    void filterProxySearchesHealthsAndTimeWindows() {
        FilteredList list;
        auto& [model, proxy] = list;
        QAbstractItemModelTester tester(&proxy, kReport);
        QSignalSpy filtersChanged(&proxy, &CertificateFilterProxy::filtersChanged);

        auto shop = issuedItem("shop", 10);
        shop.name = QStringLiteral("Web Shop");
        shop.requestConfig.subjectAlternativeNames = {"shop.example.com", "CHECKOUT.Example.org"};
        auto blog = issuedItem("blog", 85); // expires in 5 days: warning
        auto fresh = makeItem("fresh", "Fresh", {"fresh.example.net"});
        model.upsert({shop, blog, fresh});
        QVERIFY(!proxy.isFiltering());

        proxy.setSearchText(QStringLiteral("  checkout.EXAMPLE "));
        QCOMPARE(idsInOrder(proxy), QStringList{"shop"}); // any domain, any case
        proxy.setSearchText(QStringLiteral("example"));
        QCOMPARE(proxy.rowCount(), 3);
        proxy.setHealths({Health::Warning, Health::NotYetIssued});
        QCOMPARE(idsInOrder(proxy), (QStringList{"blog", "fresh"}));
        QVERIFY(proxy.isFiltering());

        // Expiring or renewing in the window.
        proxy.setHealths({});
        proxy.setSearchText({});
        proxy.setWindow(kNow.addDays(4), kNow.addDays(6)); // the blog expires in 5 days
        QCOMPARE(idsInOrder(proxy), QStringList{"blog"});
        proxy.setWindow(kNow.addDays(49), kNow.addDays(51)); // the shop renews in 50
        QCOMPARE(idsInOrder(proxy), QStringList{"shop"});
        proxy.setWindow({}, kNow); // open start: everything overdue (the blog's renewal)
        QCOMPARE(idsInOrder(proxy), QStringList{"blog"});
        proxy.setWindow(kNow.addDays(79), {}); // open end
        QCOMPARE(idsInOrder(proxy), QStringList{"shop"});

        // Rows come and go as items change under a filter.
        auto renewed = blog;
        renewed.dateStart = kNow;
        renewed.dateExpiry = kNow.addDays(90);
        renewed.dateNextScheduledRenewalAttempt = kNow.addDays(60);
        renewed.version = 2;
        model.upsert({renewed});
        QCOMPARE(proxy.rowCount(), 2);

        const int before = int(filtersChanged.size());
        proxy.clearFilters();
        QCOMPARE(filtersChanged.size(), before + 1);
        QVERIFY(!proxy.isFiltering());
        QCOMPARE(proxy.rowCount(), 3);
        proxy.clearFilters(); // nothing to clear: no signal
        QCOMPARE(filtersChanged.size(), before + 1);
    }

    void healthSummaryCountsEveryHealthAsItemsChange() {
        CertificateListModel model;
        model.setNow(kNow);
        HealthSummaryModel summary(&model);
        QAbstractItemModelTester tester(&summary, kReport);
        QCOMPARE(summary.rowCount(), 5);
        QCOMPARE(summary.index(0).data(HealthSummaryModel::HealthRole).toInt(),
                 int(Health::Error)); // worst first

        auto expired = issuedItem("x", 100);
        model.upsert({issuedItem("a", 10), issuedItem("b", 20), issuedItem("w", 80), expired,
                      makeItem("n", "n", {"n.example.com"})});
        QCOMPARE(summary.count(Health::Ok), 2);
        QCOMPARE(summary.count(Health::Warning), 1);
        QCOMPARE(summary.count(Health::Error), 1);
        QCOMPARE(summary.count(Health::NotYetIssued), 1);
        QCOMPARE(summary.count(Health::AwaitingUser), 0);
        QCOMPARE(summary.total(), 5);
        QCOMPARE(summary.index(0).data().toString(), QStringLiteral("1 Error"));

        QSignalSpy changed(&summary, &QAbstractItemModel::dataChanged);
        auto paused = issuedItem("a", 10);
        paused.lastRenewalStatus = RequestState::Paused;
        paused.version = 2;
        model.upsert({paused});
        QCOMPARE(summary.count(Health::AwaitingUser), 1);
        QCOMPARE(summary.count(Health::Ok), 1);
        QCOMPARE(changed.size(), 2); // the two rows that moved, nothing else

        model.removeId("x");
        QCOMPARE(summary.count(Health::Error), 0);
        model.clear();
        QCOMPARE(summary.total(), 0);
        QCOMPARE(summary.count(Health::Ok), 0);
    }

    void timelinePutsExpiriesAndRenewalsOnTheirDays() {
        CertificateListModel model;
        model.setNow(kNow);
        ExpiryTimelineModel timeline(&model);
        QAbstractItemModelTester tester(&timeline, kReport);
        QCOMPARE(timeline.rowCount(), ExpiryTimelineModel::kDays + 2);
        const int later = timeline.rowCount() - 1;
        const QDate today = kNow.toLocalTime().date();
        QCOMPARE(timeline.firstDay(), today);

        model.upsert({issuedItem("soon", 80),     // expires in 10 days, renewal overdue
                      issuedItem("fresh", 0),     // expires in 90 days, renews in 60
                      issuedItem("expired", 100), // expired 10 days ago
                      makeItem("none", "none", {"none.example.com"})});
        auto yearLong = issuedItem("year", 0);
        yearLong.dateExpiry = kNow.addDays(365);
        yearLong.dateNextScheduledRenewalAttempt = kNow.addDays(300);
        model.upsert({yearLong});

        const auto rowOfDay = [&](const QDateTime& when) {
            return int(today.daysTo(when.toLocalTime().date())) + 1;
        };
        QCOMPARE(timeline.expiring(0), 1); // the expired one
        QCOMPARE(timeline.renewing(0), 2); // overdue: soon and expired
        QCOMPARE(timeline.expiring(rowOfDay(kNow.addDays(10))), 1);
        QCOMPARE(timeline.expiring(rowOfDay(kNow.addDays(90))), 1);
        QCOMPARE(timeline.renewing(rowOfDay(kNow.addDays(60))), 1);
        QCOMPARE(timeline.expiring(later), 1);
        QCOMPARE(timeline.renewing(later), 1);
        int expiring = 0;
        for (int row = 0; row < timeline.rowCount(); ++row)
            expiring += timeline.expiring(row);
        QCOMPARE(expiring, 4); // the one never issued expires nowhere

        // The expiring count of a day is split by health; the soon one is a warning.
        const QVariantList byHealth = timeline.index(rowOfDay(kNow.addDays(10)), 0)
                                          .data(ExpiryTimelineModel::ExpiringByHealthRole)
                                          .toList();
        QCOMPARE(byHealth.value(int(Health::Warning)).toInt(), 1);
        // The rows' periods touch: each day ends where the next begins; the ends are open.
        QVERIFY(!timeline.from(0).isValid());
        QCOMPARE(timeline.to(0), today.startOfDay().toUTC());
        for (int row = 1; row < later; ++row)
            QCOMPARE(timeline.from(row), timeline.to(row - 1));
        QVERIFY(!timeline.to(later).isValid());
        QVERIFY(timeline.description().startsWith("3 expired or overdue"));
        QCOMPARE(timeline.index(0, ExpiryTimelineModel::PeriodColumn).data().toString(),
                 QStringLiteral("Expired or overdue"));

        // A new day moves every row.
        QSignalSpy changed(&timeline, &QAbstractItemModel::dataChanged);
        model.setNow(kNow.addDays(1));
        QCOMPARE(timeline.firstDay(), today.addDays(1));
        QVERIFY(!changed.isEmpty());
        QCOMPARE(timeline.expiring(rowOfDay(kNow.addDays(10)) - 1), 1);
    }

    // What a click on a day shows is what its bar counts, for every day of a realistic fleet.
    void timelineAndFilterAgreeOnEveryDay() {
        CertificateListModel model;
        model.setNow(kNow);
        model.upsert(withIds(test::sampleItems(1500, kNow, 7)));
        ExpiryTimelineModel timeline(&model);
        CertificateFilterProxy proxy;
        proxy.setSourceModel(&model);
        for (int row = 0; row < timeline.rowCount(); ++row) {
            proxy.setWindow(timeline.from(row), timeline.to(row));
            int expected = 0;
            for (int r = 0; r < model.rowCount(); ++r) {
                const auto in = [&](const QDateTime& when) {
                    return when.isValid() &&
                           (!timeline.from(row).isValid() || when >= timeline.from(row)) &&
                           (!timeline.to(row).isValid() || when < timeline.to(row));
                };
                expected += in(model.item(r).dateExpiry) ||
                            in(CertificateListModel::nextRenewal(model.item(r)));
            }
            QCOMPARE(proxy.rowCount(), expected);
            QVERIFY(proxy.rowCount() <= timeline.expiring(row) + timeline.renewing(row));
            QVERIFY(proxy.rowCount() >= std::max(timeline.expiring(row), timeline.renewing(row)));
        }
    }

    // 10,000 items in pages of 500, as the window loads them, through every model at once.
    void tenThousandItemsInPages() {
        FilteredList list(CertificateListModel::ExpiryColumn);
        auto& [model, proxy] = list;
        HealthSummaryModel summary(&model);
        ExpiryTimelineModel timeline(&model);
        const auto items = withIds(test::sampleItems(10000, kNow, 3));

        QElapsedTimer timer;
        timer.start();
        qint64 slowestPage = 0;
        for (qsizetype at = 0; at < items.size(); at += 500) {
            QElapsedTimer page;
            page.start();
            model.upsert(items.mid(at, 500));
            slowestPage = std::max(slowestPage, page.elapsed());
        }
        qInfo("10,000 items in pages of 500 through the list, the sorted proxy, the summary and "
              "the timeline: %lld ms, slowest page %lld ms",
              timer.elapsed(), slowestPage);
        QCOMPARE(model.rowCount(), 10000);
        QCOMPARE(proxy.rowCount(), 10000);
        int counted = 0;
        for (const Health health : {Health::Ok, Health::Warning, Health::Error,
                                    Health::AwaitingUser, Health::NotYetIssued}) {
            QVERIFY(summary.count(health) > 0); // the sample has every health
            counted += summary.count(health);
        }
        QCOMPARE(counted, 10000);
        // Sorted by expiry: never decreasing.
        for (int row = 1; row < proxy.rowCount(); row += 97)
            QVERIFY(proxy.index(row - 1, CertificateListModel::ExpiryColumn)
                        .data(CertificateListModel::SortRole)
                        .toDateTime() <= proxy.index(row, CertificateListModel::ExpiryColumn)
                                             .data(CertificateListModel::SortRole)
                                             .toDateTime());

        timer.restart();
        proxy.setHealths({Health::Error});
        QCOMPARE(proxy.rowCount(), summary.count(Health::Error));
        proxy.setSearchText(QStringLiteral("northwind"));
        QVERIFY(proxy.rowCount() > 0);
        QVERIFY(proxy.rowCount() < summary.count(Health::Error));
        qInfo("filtering 10,000 items twice: %lld ms", timer.elapsed());

        // A second full load of the same items changes nothing and signals nothing.
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        for (qsizetype at = 0; at < items.size(); at += 500)
            model.upsert(items.mid(at, 500));
        QCOMPARE(changed.size(), 0);
    }
};

QTEST_MAIN(ListModelsTest)
#include "test_certificate_list_model.moc"
