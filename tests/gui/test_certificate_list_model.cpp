// CertificateListModel: the Qt model contract (QAbstractItemModelTester) through every kind of
// update the window makes, and what each column shows.

#include "CertificateListModel.h"

#include <QAbstractItemModelTester>
#include <QSortFilterProxyModel>
#include <QTest>

using namespace ck;
using ck::gui::CertificateListModel;

namespace {
ManagedCertificate makeItem(const QString& id, const QString& name, const QStringList& domains) {
    ManagedCertificate item;
    item.id = id;
    item.name = name;
    item.version = 1;
    item.requestConfig.primaryDomain = domains.value(0);
    item.requestConfig.subjectAlternativeNames = domains;
    return item;
}

QStringList idsInOrder(const CertificateListModel& model) {
    QStringList ids;
    for (int row = 0; row < model.rowCount(); ++row)
        ids.append(model.index(row, 0).data(CertificateListModel::IdRole).toString());
    return ids;
}
} // namespace

class CertificateListModelTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void honoursTheModelContractThroughUpdates() {
        CertificateListModel model;
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.setSortRole(CertificateListModel::SortRole);
        proxy.sort(CertificateListModel::NameColumn);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(
            &proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);

        model.upsert({makeItem("a", "Alpha", {"a.example.com"}),
                      makeItem("b", "Beta", {"b.example.com"}),
                      makeItem("c", "Gamma", {"c.example.com"})});
        QCOMPARE(model.rowCount(), 3);

        // A refreshed page: one changed, one new, a repeated id in the same page.
        auto changed = makeItem("b", "Beta (renamed)", {"b.example.com"});
        changed.version = 2;
        model.upsert({changed, makeItem("d", "Delta", {"d.example.com"}),
                      makeItem("d", "Delta 2", {"d.example.com"})});
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.index(model.rowOfId("b"), 0).data().toString(),
                 QStringLiteral("Beta (renamed)"));
        QCOMPARE(model.index(model.rowOfId("d"), 0).data().toString(), QStringLiteral("Delta 2"));

        // The end of a refresh drops what the service no longer lists: runs and single rows.
        model.upsert({makeItem("e", "Epsilon", {"e.example.com"})});
        model.removeAllExcept({"a", "d"});
        QCOMPARE(idsInOrder(model), (QStringList{"a", "d"}));
        QCOMPARE(model.rowOfId("d"), 1);

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

    void statusAndExpiryColumns() {
        CertificateListModel model;
        const QDateTime now(QDate(2026, 6, 1), QTime(12, 0), Qt::UTC);
        model.setNow(now);
        auto issued = makeItem("ok", "Issued", {"ok.example.com"});
        issued.dateStart = now.addDays(-10);
        issued.dateExpiry = now.addDays(80);
        auto fresh = makeItem("new", "New", {"new.example.com"});
        model.upsert({issued, fresh});

        const int issuedRow = model.rowOfId("ok");
        const int freshRow = model.rowOfId("new");
        QCOMPARE(model.index(issuedRow, CertificateListModel::StatusColumn).data().toString(),
                 QStringLiteral("OK"));
        QCOMPARE(model.index(freshRow, CertificateListModel::StatusColumn).data().toString(),
                 QStringLiteral("Not yet issued"));
        QCOMPARE(model.index(freshRow, CertificateListModel::ExpiryColumn).data().toString(),
                 QStringLiteral("not issued"));
        QCOMPARE(model.index(issuedRow, CertificateListModel::ExpiryColumn).data().toString(),
                 issued.dateExpiry.toLocalTime().date().toString(Qt::ISODate));
        // Sorting by expiry puts the soonest first and the never-issued last.
        QVERIFY(model.index(issuedRow, CertificateListModel::ExpiryColumn)
                    .data(CertificateListModel::SortRole)
                    .toDateTime() < model.index(freshRow, CertificateListModel::ExpiryColumn)
                                        .data(CertificateListModel::SortRole)
                                        .toDateTime());
    }

    void headers() {
        CertificateListModel model;
        QStringList headers;
        for (int c = 0; c < model.columnCount(); ++c)
            headers.append(model.headerData(c, Qt::Horizontal).toString());
        QCOMPARE(headers, (QStringList{"Name", "Domains", "Status", "Expiry"}));
    }
};

QTEST_MAIN(CertificateListModelTest)
#include "test_certificate_list_model.moc"
