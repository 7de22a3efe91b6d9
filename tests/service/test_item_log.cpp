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
    logging::Logger service;
    logging::ItemLog log(dir.path(), QStringLiteral("abc"), service);
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
    // A line break in a message is written escaped: the entry stays one line.
    CHECK(entries[1].message == QStringLiteral("The CA refused: rate limited\\nretry after 1 h"));
}

TEST_CASE("a message cannot forge a log entry: line breaks, controls and direction overrides are "
          "escaped",
          "[logs]") {
    QTemporaryDir dir;
    logging::Logger service;
    QString openError;
    REQUIRE(service.open(dir.path(), &openError));
    QList<logging::Logger::ItemLine> heard;
    service.setItemLineListener([&](const logging::Logger::ItemLine& l) { heard.append(l); });
    logging::ItemLog log(dir.path(), QStringLiteral("forged"), service);
    // As a certificate named this way would be quoted by every step of its request.
    const QString name = QStringLiteral("shop\n2026-01-01 00:00:00.000 +00:00 [ERR] forged\r\n"
                                        "x\u202Etxt.exe\u2066\x1b[31m\u0085");
    log.error(QStringLiteral("Ordering '%1' failed").arg(name));

    const QString itemText = readAll(log.path());
    CHECK(itemText.count(u'\n') == 1); // one call, one line
    CHECK(itemText.endsWith(QStringLiteral(
        "[ERR] Ordering 'shop\\n2026-01-01 00:00:00.000 +00:00 [ERR] forged\\r\\nx\\u202Etxt.exe"
        "\\u2066\\u001B[31m\\u0085' failed\n")));
    const auto entries = log.tail(10);
    REQUIRE(entries.size() == 1);
    CHECK(entries[0].level == QStringLiteral("ERR"));
    REQUIRE(heard.size() == 1); // the live event says what the file says
    CHECK(heard[0].message == entries[0].message);

    // The service log (an error of an item is also written there) and the fault log too.
    for (const char* file : {"service.log", "service.exceptions.log"}) {
        const QString text = readAll(dir.filePath(QLatin1String(file)));
        INFO(file << ": " << text.toStdString());
        CHECK(text.count(u'\n') == 1);
        CHECK(text.contains(QStringLiteral("[forged] Ordering 'shop\\n2026-01-01")));
        CHECK_FALSE(text.contains(QChar(0x202E)));
    }
    service.warning(QStringLiteral("plain\n2026-01-01 ERROR forged"));
    CHECK(readAll(dir.filePath(QStringLiteral("service.log"))).count(u'\n') == 2);
    CHECK(readAll(dir.filePath(QStringLiteral("service.log")))
              .endsWith(QStringLiteral("[WRN] plain\\n2026-01-01 ERROR forged\n")));
}

TEST_CASE("a link planted at a log's path is replaced, its target left alone", "[logs]") {
    QTemporaryDir dir;
    const QString victim = dir.filePath(QStringLiteral("victim.txt"));
    {
        QFile f(victim);
        REQUIRE(f.open(QIODevice::WriteOnly));
        f.write("precious\n");
    }
    REQUIRE(QFile::setPermissions(victim, QFileDevice::ReadOwner | QFileDevice::WriteOwner));
    REQUIRE(QFile::link(victim, dir.filePath(QStringLiteral("log_abc.txt"))));
    REQUIRE(QDir().mkpath(dir.filePath(QStringLiteral("logs"))));
    REQUIRE(QFile::link(victim, dir.filePath(QStringLiteral("logs/service.log"))));

    logging::Logger service;
    QString error;
    REQUIRE(service.open(dir.filePath(QStringLiteral("logs")), &error));
    service.info(QStringLiteral("Service line"));
    logging::ItemLog log(dir.path(), QStringLiteral("abc"), service);
    log.info(QStringLiteral("Item line"));

    CHECK(readAll(victim) == QStringLiteral("precious\n"));
    CHECK(QFileInfo(victim).permissions() == (QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                              QFileDevice::ReadUser | QFileDevice::WriteUser));
    CHECK_FALSE(QFileInfo(log.path()).isSymLink());
    CHECK(readAll(log.path()).contains(QStringLiteral("Item line")));
    const QString serviceLog = dir.filePath(QStringLiteral("logs/service.log"));
    CHECK_FALSE(QFileInfo(serviceLog).isSymLink());
    CHECK(readAll(serviceLog).contains(QStringLiteral("Service line")));
}

TEST_CASE("a full item log rotates once and the newest lines are never lost", "[logs]") {
    QTemporaryDir dir;
    logging::Logger service;
    service.setCaps(1024 * 1024, 8192);
    logging::ItemLog log(dir.path(), QStringLiteral("big"), service);
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
    logging::Logger service;
    QList<logging::Logger::ItemLine> heard;
    service.setItemLineListener([&](const logging::Logger::ItemLine& l) { heard.append(l); });
    logging::ItemLog log(dir.path(), QStringLiteral("req"), service);
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
    CHECK(heard[2].level == logging::Logger::Level::Warning);
}
