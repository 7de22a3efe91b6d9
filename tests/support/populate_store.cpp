// certkeeper-populate: fills a data directory's managed-item database with realistic sample items
// (tests/support/SampleItems), straight through the store and in one transaction, for the
// benchmarks, the screenshots and the GUI tests that need thousands of items. Run it while the
// service is stopped; the service then serves the items like any others.
//
//   certkeeper-populate --data-dir DIR --count N [--seed S]

#include "SampleItems.h"
#include "store/SqliteItemStore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>

#include <cstdio>

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Adds realistic sample managed certificates to a Certkeeper data "
                       "directory's database (the service must be stopped)."));
    parser.addHelpOption();
    const QCommandLineOption dataDir(QStringLiteral("data-dir"), QStringLiteral("Data directory."),
                                     QStringLiteral("dir"));
    const QCommandLineOption count(QStringLiteral("count"), QStringLiteral("Items to add."),
                                   QStringLiteral("n"), QStringLiteral("100"));
    const QCommandLineOption seed(QStringLiteral("seed"),
                                  QStringLiteral("Random seed; the same seed adds the same items."),
                                  QStringLiteral("s"), QStringLiteral("1"));
    parser.addOptions({dataDir, count, seed});
    parser.process(app);
    bool countOk = false;
    bool seedOk = false;
    const int n = parser.value(count).toInt(&countOk);
    const uint s = parser.value(seed).toUInt(&seedOk);
    if (parser.value(dataDir).isEmpty() || !countOk || n < 0 || !seedOk) {
        std::fprintf(stderr, "certkeeper-populate: give --data-dir DIR and a --count of 0 or "
                             "more (see --help)\n");
        return 2;
    }
    try {
        QElapsedTimer timer;
        timer.start();
        auto store = ck::store::SqliteItemStore::open(parser.value(dataDir), nullptr);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        store->createMany(ck::test::sampleItems(n, now, s), now);
        std::printf("Added %d items to %s in %lld ms (%d in total)\n", n,
                    qPrintable(store->location()), timer.elapsed(), store->count());
        return 0;
    } catch (const ck::DomainError& error) {
        std::fprintf(stderr, "certkeeper-populate: %s\n", qPrintable(error.message()));
        return 1;
    }
}
