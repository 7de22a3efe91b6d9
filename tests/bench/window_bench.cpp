// Benchmark: the manager window on a large install. A real service is filled with N realistic
// certificates (default 10,000, written into its database before it starts) and the window is
// opened RUNS times; for each launch it prints
//   - first rows: from the window's construction to the first row in the list;
//   - all rows: to the whole list loaded;
//   - the longest stall of the UI thread while loading (a 5 ms timer's worst lateness, the delay
//     a click or a key press would have felt), and how many stalls were over 50 ms;
//   - a search typed while the list loads: from the first key press to the list showing only
//     the matches.
// Then the median of the runs. Not a test: it prints numbers and never fails on them.
//
//   build/release/tests/bench/bench_window [--items N] [--runs R]
//
// Runs on Qt's offscreen platform unless QT_QPA_PLATFORM says otherwise (xcb under Xvfb draws
// for real and is closer to a desktop). The list route alone, with and without If-None-Match,
// is measured by tests/bench/api.sh.

#include "DevLicense.h"
#include "SampleItems.h"
#include "ServiceProcess.h"
#include "gui/CertificateListModel.h"
#include "gui/MainWindow.h"
#include "store/SqliteItemStore.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QSettings>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

using namespace ck;

namespace {

constexpr int kProbeMs = 5;
constexpr int kStallMs = 50;
constexpr int kGiveUpMs = 120000;

struct Launch {
    double firstRowsMs = -1;
    double allRowsMs = -1;
    double longestStallMs = 0;
    int stallsOver50 = 0;
    double searchMs = -1;
};

// Measures how late a 5 ms timer fires: the UI thread was busy for that long.
class LatencyProbe : public QObject {
public:
    LatencyProbe() {
        m_timer.setInterval(kProbeMs);
        m_timer.setTimerType(Qt::PreciseTimer);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            const double late = double(m_clock.nsecsElapsed()) / 1e6 - kProbeMs;
            m_longest = std::max(m_longest, late);
            m_over += late > kStallMs ? 1 : 0;
            m_clock.restart();
        });
        m_clock.start();
        m_timer.start();
    }
    double longest() const { return m_longest; }
    int over() const { return m_over; }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    double m_longest = 0;
    int m_over = 0;
};

Launch openWindow(const QString& dataDir, int items, const QString& search, int expectedMatches) {
    Launch launch;
    QElapsedTimer clock;
    LatencyProbe probe;
    clock.start();
    gui::MainWindow window(dataDir);
    window.resize(1280, 800);
    window.show();
    auto* table = window.findChild<QTableView*>(QStringLiteral("certificateTable"));
    auto* searchEdit = window.findChild<QLineEdit*>(QStringLiteral("searchEdit"));
    qint64 typedAt = -1;
    while (clock.elapsed() < kGiveUpMs) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        const int loaded = window.listModel()->rowCount();
        if (launch.firstRowsMs < 0 && table->model()->rowCount() > 0) {
            launch.firstRowsMs = double(clock.nsecsElapsed()) / 1e6;
            // Typed while the rest loads, as an impatient user would.
            typedAt = clock.nsecsElapsed();
            QTest::keyClicks(searchEdit, search);
        }
        if (launch.allRowsMs < 0 && loaded == items)
            launch.allRowsMs = double(clock.nsecsElapsed()) / 1e6;
        if (launch.searchMs < 0 && typedAt >= 0 && loaded == items &&
            table->model()->rowCount() == expectedMatches)
            launch.searchMs = double(clock.nsecsElapsed() - typedAt) / 1e6;
        if (launch.allRowsMs >= 0 && launch.searchMs >= 0)
            break;
    }
    launch.longestStallMs = probe.longest();
    launch.stallsOver50 = probe.over();
    return launch;
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values.empty() ? -1 : values[values.size() / 2];
}

} // namespace

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("items"), QStringLiteral("Certificates (10000)."),
                      QStringLiteral("N"), QStringLiteral("10000")});
    parser.addOption({QStringLiteral("runs"), QStringLiteral("Launches (5)."), QStringLiteral("R"),
                      QStringLiteral("5")});
    parser.addHelpOption();
    parser.process(app);
    const int items = parser.value(QStringLiteral("items")).toInt();
    const int runs = std::max(1, parser.value(QStringLiteral("runs")).toInt());

    QTemporaryDir settings; // the window's remembered state stays out of the user's settings
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settings.path());
    test::ServiceProcess service;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const auto sample = test::sampleItems(items, now, 2026);
    {
        auto store = store::SqliteItemStore::open(service.dataDir(), nullptr);
        store->createMany(sample, now);
    }
    // A search for one name's first word, as a user looking for one site would type it.
    const QString search = sample.value(items / 2).name.section(QLatin1Char(' '), 0, 0);
    const QString folded = search.toCaseFolded();
    const int expectedMatches =
        int(std::count_if(sample.cbegin(), sample.cend(), [&](const auto& item) {
            return item.name.toCaseFolded().contains(folded) ||
                   item.domains().join(QLatin1Char('\n')).toCaseFolded().contains(folded);
        }));

    if (!service.pauseAutomaticRenewal() || !service.start()) {
        std::fprintf(stderr, "the service did not start:\n%s\n", qPrintable(service.output()));
        return 1;
    }
    if (!test::activateDevLicense(service))
        return 1;
    std::printf("Window with %d certificates, %d launches, platform %s; search \"%s\" matches "
                "%d\n",
                items, runs, qPrintable(QGuiApplication::platformName()), qPrintable(search),
                expectedMatches);
    std::printf("%-6s %12s %12s %16s %12s %12s\n", "run", "first rows", "all rows", "longest stall",
                "stalls>50ms", "search");
    std::vector<double> first, whole, stall, searchTimes;
    for (int run = 1; run <= runs; ++run) {
        const Launch launch = openWindow(service.dataDir(), items, search, expectedMatches);
        std::printf("%-6d %9.0f ms %9.0f ms %13.0f ms %12d %9.0f ms\n", run, launch.firstRowsMs,
                    launch.allRowsMs, launch.longestStallMs, launch.stallsOver50, launch.searchMs);
        first.push_back(launch.firstRowsMs);
        whole.push_back(launch.allRowsMs);
        stall.push_back(launch.longestStallMs);
        searchTimes.push_back(launch.searchMs);
    }
    std::printf("%-6s %9.0f ms %9.0f ms %13.0f ms %12s %9.0f ms\n", "median", median(first),
                median(whole), median(stall), "", median(searchTimes));
    return 0;
}
