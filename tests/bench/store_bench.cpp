// The store's reads with 10,000 managed certificates, on SQLite and on PostgreSQL side by side:
// the list's first page, a search by part of a domain (few matches), a search by a word many
// names share, the summary, and the change tag. Each is the median of many runs, in
// milliseconds. PostgreSQL runs on a server this benchmark starts (tests/support/PostgresServer).
//
//   build/release/tests/bench/bench_store [--items N] [--runs N]

#include "PostgresServer.h"
#include "SampleItems.h"

#include "store/PostgresItemStore.h"
#include "store/SqliteItemStore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

using namespace ck;

namespace {
double medianMs(int runs, const std::function<void()>& work) {
    std::vector<double> times;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer timer;
        timer.start();
        work();
        times.push_back(double(timer.nsecsElapsed()) / 1e6);
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

struct Row {
    const char* what;
    std::function<void(store::ItemStore&)> work;
};

std::vector<double> measure(store::ItemStore& store, const std::vector<Row>& rows, int runs) {
    std::vector<double> result;
    for (const Row& row : rows)
        result.push_back(medianMs(runs, [&] { row.work(store); }));
    return result;
}
} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    const QCommandLineOption itemsOption("items", "items in the store", "N", "10000");
    const QCommandLineOption runsOption("runs", "runs of each read", "N", "25");
    parser.addOptions({itemsOption, runsOption});
    parser.addHelpOption();
    parser.process(app);
    const int items = parser.value(itemsOption).toInt();
    const int runs = parser.value(runsOption).toInt();

    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QList<ManagedCertificate> sample = test::sampleItems(items, now);
    // A part of one domain in the middle of the sample, as a user looking for one site types it.
    const QString domain = sample.at(items / 2).domains().value(0);
    const QString fewMatches = domain.mid(1, std::min<qsizetype>(8, domain.size() - 2));
    const QString manyMatches = QStringLiteral("shop");

    ListQuery firstPage;
    ListQuery searchFew;
    searchFew.search = fewMatches;
    ListQuery searchMany;
    searchMany.search = manyMatches;
    const std::vector<Row> rows{
        {"list, first page of 100", [&](store::ItemStore& s) { (void)s.listRaw(firstPage); }},
        {"search, part of one domain", [&](store::ItemStore& s) { (void)s.listRaw(searchFew); }},
        {"search, a common word", [&](store::ItemStore& s) { (void)s.listRaw(searchMany); }},
        {"summary", [&](store::ItemStore& s) { (void)s.summary(); }},
        {"change tag", [&](store::ItemStore& s) { (void)s.stateTag(); }},
    };

    QTemporaryDir sqliteDir;
    auto sqlite = store::SqliteItemStore::open(sqliteDir.path(), nullptr);
    sqlite->createMany(sample, now);

    QString error;
    test::PostgresServer server;
    if (!server.start(error)) {
        std::fprintf(stderr, "PostgreSQL did not start: %s\n", qPrintable(error));
        return 1;
    }
    const StoreSettings settings = server.createDatabase(QStringLiteral("bench_store"), error);
    auto postgres = store::PostgresItemStore::open(settings, server.password());
    postgres->createMany(sample, now);

    const auto onSqlite = measure(*sqlite, rows, runs);
    const auto onPostgres = measure(*postgres, rows, runs);
    std::printf("%d items; search \"%s\" matches %d, \"%s\" matches %d; median of %d runs\n\n",
                items, qPrintable(fewMatches), sqlite->listRaw(searchFew).total,
                qPrintable(manyMatches), sqlite->listRaw(searchMany).total, runs);
    std::printf("| read | SQLite ms | PostgreSQL ms |\n|---|---:|---:|\n");
    for (size_t i = 0; i < rows.size(); ++i)
        std::printf("| %s | %.2f | %.2f |\n", rows[i].what, onSqlite[i], onPostgres[i]);
    return 0;
}
