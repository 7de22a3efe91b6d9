// The disk holding the data directory fills up (a small tmpfs as the data directory, filled to
// the last byte by the test): every write is refused with 507 in words that say the disk is full,
// the service keeps serving, nothing it acknowledged is lost, the database passes its integrity
// check, the logs hold only whole lines, and writes succeed again as soon as there is space,
// without a restart. A start on a full disk refuses in the same words and leaves the database
// alone; a start with room to open the database but not to back it up serves anyway.

#include "RawHttp.h"
#include "SampleItems.h"
#include "ServiceProcess.h"
#include "TmpfsMount.h"
#include "store/SqliteItemStore.h"

#include <catch2/catch.hpp>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QUuid>

using namespace ck::test;

namespace {
constexpr const char* kFullProblem = "urn:certkeeper:problem:insufficient-storage";
constexpr const char* kFullWords = "The disk holding the data directory is full";

std::string itemPath(const QString& id) {
    return "/api/managedcertificates/" + id.toStdString();
}

QJsonObject newItem(const QString& name) {
    return QJsonObject{
        {"name", name},
        {"requestConfig", QJsonObject{{"subjectAlternativeNames",
                                       QJsonArray{name + QStringLiteral(".example.com")}}}}};
}

// A tmpfs of `bytes` with an empty data directory on it; fails the test when it cannot be had.
std::unique_ptr<TmpfsMount> mountedDisk(qint64 bytes) {
    auto disk = std::make_unique<TmpfsMount>(bytes);
    if (!disk->ok())
        FAIL("this test needs a small file system to fill: " << disk->error().toStdString());
    REQUIRE(QDir().mkpath(disk->path() + "/data"));
    return disk;
}

// What a write refused for want of space must look like to a client.
void checkRefusedForSpace(const RawResponse& answer, const std::string& what) {
    INFO(what << ": HTTP " << answer.status << " " << answer.body);
    CHECK(answer.status == 507);
    CHECK(answer.json().value("type").toString().toStdString() == kFullProblem);
    CHECK(answer.detail().startsWith(kFullWords));
    CHECK(answer.detail().contains("Nothing was changed"));
}

// PRAGMA integrity_check and the rows of a database file, through a read-only connection of the
// test's own (the service is stopped).
struct DatabaseCheck {
    QString integrity;
    QStringList names;
};
DatabaseCheck checkDatabase(const QString& path) {
    DatabaseCheck result;
    const QString connection = QUuid::createUuid().toString();
    {
        auto db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        if (db.open()) {
            QSqlQuery query(db);
            if (query.exec(QStringLiteral("PRAGMA integrity_check")) && query.next())
                result.integrity = query.value(0).toString();
            if (query.exec(QStringLiteral("SELECT json FROM manageditem")))
                while (query.next())
                    result.names << QJsonDocument::fromJson(query.value(0).toString().toUtf8())
                                        .object()
                                        .value("name")
                                        .toString();
        } else {
            result.integrity = db.lastError().text();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(connection);
    result.names.sort();
    return result;
}

// Every line of every log in `logsDir` is a whole entry: none cut off, none run into the next.
void checkWholeLines(const QString& logsDir) {
    static const QRegularExpression entry(QStringLiteral(
        R"(^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} [+-]\d\d:\d\d \[(DBG|INF|WRN|ERR)\] \S.*$)"));
    for (const QString& name : QDir(logsDir).entryList(QDir::Files)) {
        QFile file(logsDir + '/' + name);
        REQUIRE(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        INFO(name.toStdString());
        CHECK((text.isEmpty() || text.endsWith('\n')));
        for (const QByteArray& line : text.split('\n')) {
            if (line.isEmpty())
                continue;
            INFO(line.toStdString());
            CHECK(entry.match(QString::fromUtf8(line)).hasMatch());
        }
    }
}

QString fileText(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}
} // namespace

TEST_CASE("A full disk refuses writes in words of their own, keeps every answered write, and "
          "takes writes again once there is space, without a restart",
          "[api][faults][diskfull]") {
    const auto disk = mountedDisk(8 * 1024 * 1024);
    ServiceProcess service(disk->path() + "/data");
    REQUIRE(service.pauseAutomaticRenewal()); // no renewal of its own changes the items meanwhile
    REQUIRE(service.start());
    RawHttp http(service.port(), service.token().toStdString());

    // Acknowledged before the disk fills: three items, a setting, a credential, a request's log.
    QMap<QString, QString> acknowledged; // id -> name
    for (const QString& name : QStringList{"alpha", "bravo", "charlie"}) {
        const auto created = http.post("/api/managedcertificates", newItem(name));
        REQUIRE(created.status == 201);
        acknowledged.insert(created.json().value("id").toString(), name);
    }
    const QString alpha = acknowledged.key("alpha");
    REQUIRE(http.put("/api/settings", QJsonObject{{"maxParallelRenewals", 3}}).status == 200);
    REQUIRE(http.post("/api/credentials",
                      QJsonObject{{"type", "smtp-password"},
                                  {"title", "Mail"},
                                  {"values", QJsonObject{{"password", "hunter2-mail"}}}})
                .status == 201);
    // A request that fails at once (no ACME account): the item's log has lines in it.
    REQUIRE(http.post(itemPath(alpha) + "/request", QJsonObject{}).status == 202);
    const QString logsDir = service.dataDir() + "/logs";
    for (int i = 0; i < 100 && !fileText(logsDir + "/log_" + alpha + ".txt").contains("[ERR]"); ++i)
        QThread::msleep(50);
    REQUIRE(fileText(logsDir + "/log_" + alpha + ".txt").contains("[ERR]"));
    const QJsonObject alphaBefore = http.get(itemPath(alpha)).json();

    REQUIRE(disk->fill("filler"));
    REQUIRE(disk->freeBytes() == 0);

    {
        checkRefusedForSpace(http.post("/api/managedcertificates", newItem("delta")), "create");
        QJsonObject renamed = alphaBefore;
        renamed["name"] = "alpha (renamed)";
        checkRefusedForSpace(http.put(itemPath(alpha), renamed), "update");
        checkRefusedForSpace(http.del(itemPath(acknowledged.key("bravo"))), "delete");
        checkRefusedForSpace(http.post(itemPath(alpha) + "/request", QJsonObject{}), "request");
        checkRefusedForSpace(http.put("/api/settings", QJsonObject{{"maxParallelRenewals", 5}}),
                             "settings");
        checkRefusedForSpace(
            http.post("/api/credentials", QJsonObject{{"type", "smtp-password"},
                                                      {"title", "Other mail"},
                                                      {"values", QJsonObject{{"password", "x"}}}}),
            "credential");
        const QJsonObject privateCa{{"id", "private"},
                                    {"title", "Private"},
                                    {"directoryUrl", "https://ca.example.com/dir"}};
        checkRefusedForSpace(http.post("/api/certificateauthorities", privateCa), "custom CA");
        // Enough refusals that their log lines outgrow what room the log files had left.
        for (int i = 0; i < 40; ++i)
            REQUIRE(http.post("/api/managedcertificates", newItem("echo")).status == 507);

        // Still serving, and serving what it had acknowledged.
        REQUIRE(service.isRunning());
        const auto list = http.get("/api/managedcertificates");
        REQUIRE(list.status == 200);
        CHECK(list.json().value("items").toArray().size() == 3);
        CHECK(http.get(itemPath(alpha)).json() == alphaBefore);
        CHECK(http.get("/api/settings").json().value("maxParallelRenewals").toInt() == 3);
        CHECK(http.get("/api/credentials").json().value("items").toArray().size() == 1);
        CHECK(http.get("/api/certificateauthorities").body.find("\"private\"") ==
              std::string::npos);
        CHECK(http.get("/api/system/diagnostics").json()["database"]["integrity"].toString() ==
              "ok");
    }

    // Space returns: the same writes go through at once, with no restart.
    REQUIRE(QFile::remove(disk->path() + "/filler"));
    const auto delta = http.post("/api/managedcertificates", newItem("delta"));
    REQUIRE(delta.status == 201);
    acknowledged.insert(delta.json().value("id").toString(), "delta");
    QJsonObject renamed = http.get(itemPath(alpha)).json();
    renamed["name"] = "alpha (renamed)";
    REQUIRE(http.put(itemPath(alpha), renamed).status == 200);
    acknowledged[alpha] = "alpha (renamed)";
    REQUIRE(http.put("/api/settings", QJsonObject{{"maxParallelRenewals", 6}}).status == 200);
    REQUIRE(http.post(itemPath(alpha) + "/request", QJsonObject{}).status == 202);

    // The logs hold whole lines only; the service log says that lines were lost, if any were.
    checkWholeLines(logsDir);
    const QString serviceLog = fileText(logsDir + "/service.log");
    CHECK(serviceLog.contains("Created managed certificate 'delta'"));
    // Forty-odd refusals, each an error line, outgrew the room the log had left (its last page):
    // some were lost, and the first line written once there was space says so.
    const QString refused = QStringLiteral("[ERR] POST /api/managedcertificates failed");
    CHECK(serviceLog.count(refused) < service.output().count(refused));
    CHECK(serviceLog.contains(QRegularExpression(
        QStringLiteral("\\[WRN\\] \\d+ log lines .* could not be written since"))));

    // Stopped: the file itself is intact and holds every acknowledged item.
    REQUIRE(service.stop());
    const auto stored = checkDatabase(service.dataDir() + "/manageditems.db");
    CHECK(stored.integrity == "ok");
    QStringList names = acknowledged.values();
    names.sort();
    CHECK(stored.names == names);

    // And a new start serves all of it.
    REQUIRE(service.start());
    RawHttp again(service.port(), service.token().toStdString());
    for (auto it = acknowledged.cbegin(); it != acknowledged.cend(); ++it) {
        INFO(it.value().toStdString());
        CHECK(again.get(itemPath(it.key())).json().value("name").toString() == it.value());
    }
    CHECK(again.get("/api/settings").json().value("maxParallelRenewals").toInt() == 6);
    const auto diagnostics = again.get("/api/system/diagnostics").json();
    CHECK(diagnostics["database"]["integrity"].toString() == "ok");
    CHECK(diagnostics["database"]["recovery"].toArray().isEmpty());
}

TEST_CASE("A start on a full disk refuses in words naming the full disk and leaves the database "
          "as it was",
          "[api][faults][diskfull][startup]") {
    const auto disk = mountedDisk(8 * 1024 * 1024);
    ServiceProcess service(disk->path() + "/data");
    REQUIRE(service.pauseAutomaticRenewal());
    REQUIRE(service.start());
    QStringList ids;
    {
        RawHttp http(service.port(), service.token().toStdString());
        for (const QString& name : QStringList{"alpha", "bravo"}) {
            const auto created = http.post("/api/managedcertificates", newItem(name));
            REQUIRE(created.status == 201);
            ids << created.json().value("id").toString();
        }
    }
    REQUIRE(service.stop());
    REQUIRE(disk->fill("filler"));

    CHECK(service.runToExit({}, 15000) == 1);
    const QString output = service.output();
    INFO(output.toStdString());
    CHECK(output.contains(QStringLiteral("The managed-items database cannot be used: ") +
                          kFullWords));
    CHECK(output.contains("The database itself is left as it is"));
    // Not taken for a damaged file: nothing quarantined, nothing rebuilt.
    const QStringList left =
        QDir(service.dataDir()).entryList({"manageditems.db.damaged*", "*.rebuild"}, QDir::Files);
    CHECK(left.isEmpty());

    REQUIRE(QFile::remove(disk->path() + "/filler"));
    REQUIRE(service.start());
    RawHttp http(service.port(), service.token().toStdString());
    for (const QString& id : ids)
        CHECK(http.get(itemPath(id)).status == 200);
    const auto diagnostics = http.get("/api/system/diagnostics").json();
    CHECK(diagnostics["database"]["recovery"].toArray().isEmpty());
    CHECK(diagnostics["database"]["lastBackup"]["ok"].toBool());
}

TEST_CASE("A start with room for the database but not for its backup serves, and says why there "
          "is no new backup",
          "[api][faults][diskfull][startup]") {
    const auto disk = mountedDisk(24 * 1024 * 1024);
    const QString dataDir = disk->path() + "/data";
    // Enough items that a copy of the database cannot fit in what is left free.
    constexpr int kItems = 3000;
    {
        auto store = ck::store::SqliteItemStore::open(dataDir, nullptr);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        store->createMany(sampleItems(kItems, now), now);
    }
    const qint64 databaseBytes = QFileInfo(dataDir + "/manageditems.db").size();
    constexpr qint64 kLeft = 1536 * 1024; // room for SQLite's journal files, not for a copy
    INFO("database: " << databaseBytes << " bytes");
    REQUIRE(databaseBytes > 2 * kLeft);
    REQUIRE(disk->fill("filler", kLeft));

    ServiceProcess service(dataDir);
    REQUIRE(service.pauseAutomaticRenewal());
    REQUIRE(service.start());
    const QString output = service.output();
    INFO(output.toStdString());
    CHECK(output.contains(QStringLiteral("[WRN] Backup failed, the previous backup is kept: ") +
                          kFullWords));
    RawHttp http(service.port(), service.token().toStdString());
    const auto diagnostics = http.get("/api/system/diagnostics").json();
    CHECK(diagnostics["database"]["itemCount"].toInt() == kItems);
    CHECK_FALSE(diagnostics["database"]["lastBackup"]["ok"].toBool());
    CHECK(diagnostics["database"]["lastBackup"]["error"].toString().startsWith(kFullWords));
    CHECK(http.get("/api/managedcertificates?limit=10").status == 200);
    CHECK_FALSE(QFile::exists(dataDir + "/manageditems.db.bak.tmp")); // no half copy left
}
