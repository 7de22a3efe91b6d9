// Per-certificate logs: the line format users read, size caps with one rotated file, tail
// reaching into the rotated file, and each line handed to the live-event listener.

#include "logging/ItemLog.h"
#include "logging/Logger.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <catch2/catch.hpp>

using namespace ck;

namespace {
QString readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}
} // namespace

TEST_CASE("item log lines carry the time to the millisecond, the offset and the level", "[logs]") {
    QTemporaryDir dir;
    Logger service;
    ItemLog log(dir.path(), QStringLiteral("abc"), service);
    log.info(QStringLiteral("Ordering shop.example.com"));
    log.error(QStringLiteral("The CA refused: rate limited\nretry after 1 h"));

    const QString text = readAll(dir.filePath(QStringLiteral("log_abc.txt")));
    static const QRegularExpression line(
        QStringLiteral(R"(^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} [+-]\d\d:\d\d \[INF\] Ordering )"
                       R"(shop\.example\.com$)"),
        QRegularExpression::MultilineOption);
    CHECK(line.match(text).hasMatch());
    CHECK((QFileInfo(log.path()).permissions() & QFileDevice::ReadOther) == 0);

    const auto entries = log.tail(10);
    REQUIRE(entries.size() == 2);
    CHECK(entries[1].level == QStringLiteral("ERR"));
    CHECK(entries[1].message == QStringLiteral("The CA refused: rate limited\nretry after 1 h"));
}

TEST_CASE("a full item log rotates once and the newest lines are never lost", "[logs]") {
    QTemporaryDir dir;
    Logger service;
    service.setCaps(1024 * 1024, 8192);
    ItemLog log(dir.path(), QStringLiteral("big"), service);
    for (int i = 0; i < 200; ++i)
        log.info(QStringLiteral("line %1 %2").arg(i).arg(QString(40, QLatin1Char('x'))));

    const QString current = log.path();
    const QString rotated = current + QStringLiteral(".1");
    CHECK(QFileInfo(current).size() <= 8192);
    CHECK(QFileInfo(rotated).size() <= 8192);
    CHECK(QDir(dir.path()).entryList(QDir::Files).size() == 2); // never a third file
    CHECK(readAll(current).contains(QStringLiteral("line 199 ")));

    // tail() reaches back into the rotated file for what the new one does not hold yet.
    const auto entries = log.tail(60);
    REQUIRE(entries.size() == 60);
    CHECK(entries.last().message.startsWith(QStringLiteral("line 199 ")));
    CHECK(entries.first().message.startsWith(QStringLiteral("line 140 ")));
    CHECK(log.tail(1000).size() < 200); // older lines went with the second rotation
}

TEST_CASE("each item line reaches the listener; request steps are numbered", "[logs]") {
    QTemporaryDir dir;
    Logger service;
    QList<Logger::ItemLine> heard;
    service.setItemLineListener([&](const Logger::ItemLine& l) { heard.append(l); });
    ItemLog log(dir.path(), QStringLiteral("req"), service);
    log.info(QStringLiteral("saved"));
    log.reportProgress(true);
    log.info(QStringLiteral("ordering"));
    log.warning(QStringLiteral("slow CA"));

    REQUIRE(heard.size() == 3);
    CHECK(heard[0].itemId == QStringLiteral("req"));
    CHECK_FALSE(heard[0].progress);
    CHECK(heard[1].progress);
    CHECK(heard[1].step == 1);
    CHECK(heard[2].step == 2);
    CHECK(heard[2].level == Logger::Level::Warning);
}
