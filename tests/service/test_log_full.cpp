// The service log and the per-certificate logs when a file cannot grow (a full disk; here the
// process's file size limit, which fails a write part way the same way, without root): a line is
// in the file whole or not at all, the service goes on, and the first line written once there is
// room says how many were lost. And the service log rotates past its cap like the item logs.

#include "logging/ItemLog.h"
#include "logging/Logger.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <catch2/catch.hpp>

#include <algorithm>
#include <csignal>
#include <sys/resource.h>

using namespace ck;

namespace {
QStringList linesOf(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QString text = QString::fromUtf8(f.readAll());
    CHECK((text.isEmpty() || text.endsWith(u'\n'))); // never ends in half a line
    return text.split(u'\n', Qt::SkipEmptyParts);
}

bool isWholeEntry(const QString& line) {
    static const QRegularExpression entry(QStringLiteral(
        R"(^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} [+-]\d\d:\d\d \[(DBG|INF|WRN|ERR)\] \S.*$)"));
    return entry.match(line).hasMatch();
}

// Files may not grow past `bytes` while this lives: a write that crosses the limit writes what
// fits and then fails (EFBIG), as one on a full disk does (ENOSPC).
class FileSizeLimit {
public:
    explicit FileSizeLimit(qint64 bytes) {
        m_previousHandler = std::signal(SIGXFSZ, SIG_IGN); // else the process is killed
        REQUIRE(::getrlimit(RLIMIT_FSIZE, &m_previous) == 0);
        rlimit limit = m_previous;
        limit.rlim_cur = rlim_t(bytes);
        REQUIRE(::setrlimit(RLIMIT_FSIZE, &limit) == 0);
    }
    ~FileSizeLimit() {
        ::setrlimit(RLIMIT_FSIZE, &m_previous);
        std::signal(SIGXFSZ, m_previousHandler);
    }
    FileSizeLimit(const FileSizeLimit&) = delete;
    FileSizeLimit& operator=(const FileSizeLimit&) = delete;

private:
    rlimit m_previous{};
    void (*m_previousHandler)(int) = nullptr;
};
} // namespace

TEST_CASE("a log line that does not fit is left out whole, and the first one that fits again says "
          "how many were lost",
          "[logs]") {
    QTemporaryDir dir;
    logging::Logger service;
    QString error;
    REQUIRE(service.open(dir.filePath(QStringLiteral("logs")), &error));
    logging::ItemLog item(dir.filePath(QStringLiteral("logs")), QStringLiteral("abc"), service);
    service.info(QStringLiteral("Before the disk filled up"));
    item.info(QStringLiteral("Ordering shop.example.com"));
    const QString serviceLog = dir.filePath(QStringLiteral("logs/service.log"));
    const QString faultLog = dir.filePath(QStringLiteral("logs/service.exceptions.log"));
    service.warning(QStringLiteral("A warning that fits"));

    {
        // A few bytes more than the largest file holds, and lines longer than any file: every
        // line below is cut part way, or refused outright.
        const qint64 largest =
            std::max({QFileInfo(serviceLog).size(), QFileInfo(item.path()).size(),
                      QFileInfo(faultLog).size()});
        REQUIRE(largest < 300);
        const QString padding(300, QLatin1Char('.'));
        const FileSizeLimit full(largest + 10);
        service.warning(QStringLiteral("Lost: a warning of the service ") + padding);
        item.info(QStringLiteral("Lost: a step of a request ") + padding);
        service.info(QStringLiteral("Lost: a line of the service ") + padding);
    }
    service.info(QStringLiteral("After space returned"));
    item.info(QStringLiteral("Issued"));

    const QStringList lines = linesOf(serviceLog);
    INFO(lines.join(u'\n').toStdString());
    REQUIRE(lines.size() == 4);
    for (const QString& line : lines)
        CHECK(isWholeEntry(line));
    CHECK(lines[0].endsWith(QStringLiteral("[INF] Before the disk filled up")));
    CHECK(lines[1].endsWith(QStringLiteral("[WRN] A warning that fits")));
    // Four lost: the warning in the service log and in the fault log, the step, the line.
    CHECK(lines[2].contains(QStringLiteral("[WRN] 4 log lines (of this log, the fault log or "
                                           "certificates' logs) could not be written since")));
    CHECK(lines[3].endsWith(QStringLiteral("[INF] After space returned")));

    const QStringList itemLines = linesOf(item.path());
    INFO(itemLines.join(u'\n').toStdString());
    REQUIRE(itemLines.size() == 2);
    CHECK(itemLines[0].endsWith(QStringLiteral("[INF] Ordering shop.example.com")));
    CHECK(itemLines[1].endsWith(QStringLiteral("[INF] Issued")));

    const QStringList faults = linesOf(faultLog);
    REQUIRE(faults.size() == 1);
    CHECK(faults[0].endsWith(QStringLiteral("[WRN] A warning that fits")));
}

TEST_CASE("the service log rotates past its cap, once, and goes on in a new file", "[logs]") {
    QTemporaryDir dir;
    logging::Logger service;
    service.setCaps(4096, 1024 * 1024);
    QString error;
    REQUIRE(service.open(dir.filePath(QStringLiteral("logs")), &error));
    for (int i = 0; i < 200; ++i)
        service.info(QStringLiteral("line %1 %2").arg(i).arg(QString(40, QLatin1Char('x'))));

    const QString current = dir.filePath(QStringLiteral("logs/service.log"));
    CHECK(QFileInfo(current).size() <= 4096 + 100);
    CHECK(QFileInfo(current + QStringLiteral(".1")).size() <= 4096 + 100);
    const QStringList newest = linesOf(current);
    REQUIRE_FALSE(newest.isEmpty());
    CHECK(newest.last().contains(QStringLiteral("line 199 ")));
    CHECK(QDir(dir.filePath(QStringLiteral("logs"))).entryList(QDir::Files).size() == 3);
}
