// Online backups: verified before they replace the previous one, rotated to .bak.old.

#include "StoreTestSupport.h"

#include <catch2/catch.hpp>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

using namespace ck;
using namespace ck::storetest;

namespace {
QByteArray contents(const QString& path) {
    QFile file(path);
    REQUIRE(file.open(QIODevice::ReadOnly));
    return file.readAll();
}

// A store with one item backed up, then a second one backed up: .bak holds two rows, .bak.old one.
struct BackedUpTwice {
    QTemporaryDir dir;
    std::unique_ptr<store::SqliteItemStore> store = openSqliteStore(dir.path());
    QString db = dbPath(dir.path());
    QDateTime now = QDateTime::currentDateTimeUtc();
    BackedUpTwice() {
        store->create(makeItem("One", {"one.example.com"}), now);
        REQUIRE(store->backup(now).ok);
        store->create(makeItem("Two", {"two.example.com"}), now);
        REQUIRE(store->backup(now).ok);
    }
};

constexpr auto kPrivate = QFile::ReadOwner | QFile::WriteOwner | QFile::ReadUser | QFile::WriteUser;
} // namespace

TEST_CASE("backup writes a verified .bak and moves the previous one to .bak.old",
          "[store][backup][sqlite]") {
    QTemporaryDir dir;
    auto store = openSqliteStore(dir.path());
    const QString db = dbPath(dir.path());
    const auto now = QDateTime::currentDateTimeUtc();
    store->create(makeItem("One", {"one.example.com"}), now);
    store->create(makeItem("Two", {"two.example.com"}), now);

    const auto first = store->backup(now);
    REQUIRE(first.ok);
    CHECK(first.error.isEmpty());
    CHECK(first.path == db + ".bak");
    CHECK(first.rows == 2);
    CHECK(first.time == now);
    CHECK(integrityOf(db + ".bak") == "ok");
    CHECK(rowsIn(db + ".bak") == 2);
    CHECK(QFileInfo(db + ".bak").permissions() == kPrivate);
    CHECK_FALSE(QFileInfo::exists(db + ".bak.old"));
    CHECK_FALSE(QFileInfo::exists(db + ".bak.tmp"));

    store->create(makeItem("Three", {"three.example.com"}), now);
    const auto second = store->backup(now.addSecs(60));
    REQUIRE(second.ok);
    CHECK(second.rows == 3);
    CHECK(rowsIn(db + ".bak") == 3);
    CHECK(rowsIn(db + ".bak.old") == 2);
    CHECK(integrityOf(db + ".bak.old") == "ok");
    CHECK(QFileInfo(db + ".bak.old").permissions() == kPrivate);
    CHECK_FALSE(QFileInfo::exists(db + ".bak.tmp"));
    // The live database is untouched by its backup.
    CHECK(store->count() == 3);
    CHECK(store->integrityCheck() == "ok");
}

TEST_CASE("a failed backup keeps the previous backups", "[store][backup][sqlite]") {
    BackedUpTwice f;
    auto& store = f.store;
    const QString& db = f.db;
    const QDateTime& now = f.now;
    const QByteArray bak = contents(db + ".bak");
    const QByteArray old = contents(db + ".bak.old");

    // Something in the way of the temp file: the copy cannot be written.
    REQUIRE(QDir().mkdir(db + ".bak.tmp"));
    store->create(makeItem("Three", {"three.example.com"}), now);
    const auto result = store->backup(now);
    CHECK_FALSE(result.ok);
    CHECK(result.error.contains("manageditems.db.bak.tmp"));
    CHECK(contents(db + ".bak") == bak);
    CHECK(contents(db + ".bak.old") == old);
    CHECK(rowsIn(db + ".bak") == 2);
}

TEST_CASE("a damaged .bak is not rotated over a good .bak.old", "[store][backup][sqlite]") {
    BackedUpTwice f;
    auto& store = f.store;
    const QString& db = f.db;
    const QDateTime& now = f.now;
    REQUIRE(rowsIn(db + ".bak.old") == 1);

    overwrite(db + ".bak", 0, 100, '\x5a');
    store->create(makeItem("Three", {"three.example.com"}), now);
    REQUIRE(store->backup(now).ok);
    CHECK(rowsIn(db + ".bak") == 3);
    CHECK(rowsIn(db + ".bak.old") == 1); // the good one stayed
}

TEST_CASE("open removes a leftover temp backup", "[store][backup][sqlite]") {
    QTemporaryDir dir;
    const QString db = dbPath(dir.path());
    {
        auto store = openSqliteStore(dir.path());
        store->create(makeItem("One", {"one.example.com"}), QDateTime::currentDateTimeUtc());
    }
    QFile tmp(db + ".bak.tmp");
    REQUIRE(tmp.open(QIODevice::WriteOnly));
    tmp.write("half a backup");
    tmp.close();

    QList<store::RecoveryEvent> events;
    auto store = openSqliteStore(dir.path(), &events);
    CHECK_FALSE(QFileInfo::exists(db + ".bak.tmp"));
    CHECK(events.isEmpty());
    CHECK(store->count() == 1);
    CHECK(store->backup(QDateTime::currentDateTimeUtc()).ok);
}
