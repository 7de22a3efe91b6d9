// Start-up check and recovery: damaged files are quarantined, what can be read is kept, the
// newest good backup fills in the rest, and the event says exactly what happened.

#include "StoreTestSupport.h"

#include <catch2/catch.hpp>

#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>

using namespace ck;
using namespace ck::storetest;

namespace {
const QDateTime kBackupTime =
    QDateTime::fromString(QStringLiteral("2026-11-20T10:00:00Z"), Qt::ISODate);

QList<ManagedCertificate> allItems(store::SqliteItemStore& store) {
    ListQuery query;
    query.limit = ListQuery::kMaxLimit;
    return store.list(query).items;
}

QByteArray head(const QString& path, int size) {
    QFile file(path);
    REQUIRE(file.open(QIODevice::ReadOnly));
    return file.read(size);
}

void copyFile(const QString& from, const QString& to) {
    QFile::remove(to);
    REQUIRE(QFile::copy(from, to));
}
} // namespace

TEST_CASE("a database with a clobbered header is restored from the backup",
          "[store][recovery][sqlite]") {
    QTemporaryDir dir;
    const QString db = dbPath(dir.path());
    QList<ManagedCertificate> backedUp;
    QString lateId;
    {
        auto store = openSqliteStore(dir.path());
        for (int i = 0; i < 5; ++i)
            backedUp.append(store->create(
                makeItem(QString("Item %1").arg(i), {QString("i%1.example.com").arg(i)}),
                kBackupTime));
        REQUIRE(store->backup(kBackupTime).ok);
        lateId = store->create(makeItem("Late", {"late.example.com"}), kBackupTime).id;
    }
    overwrite(db, 0, 100, '\x5a');

    QList<store::RecoveryEvent> events;
    auto store = openSqliteStore(dir.path(), &events);
    REQUIRE(events.size() == 1);
    const auto& event = events.front();
    CHECK(event.rowsFromBackup == 5);
    CHECK(event.rowsRecovered == 0);
    CHECK(event.backupUsed == db + ".bak");
    CHECK(event.time.isValid());
    INFO(event.summary.toStdString());
    CHECK(event.summary.contains("nothing could be read back"));
    CHECK(event.summary.contains("the 5 items of the backup of 2026-11-20 10:00 UTC"));
    CHECK(event.summary.contains(event.quarantinedFile));
    CHECK(event.possiblyMissing.contains("after the backup of 2026-11-20 10:00 UTC"));

    // The damaged file is kept, as it was, under the quarantine name.
    CHECK(event.quarantinedFile.startsWith(db + ".damaged-"));
    REQUIRE(QFileInfo::exists(event.quarantinedFile));
    CHECK(head(event.quarantinedFile, 100) == QByteArray(100, '\x5a'));

    // The store holds exactly the backup's items and works.
    CHECK(store->integrityCheck() == "ok");
    CHECK(store->count() == 5);
    for (const auto& item : backedUp)
        CHECK(store->get(item.id) == item);
    CHECK_THROWS_AS(store->get(lateId), NotFoundError);
    store->create(makeItem("After", {"after.example.com"}), QDateTime::currentDateTimeUtc());
    CHECK(store->count() == 6);

    const QJsonObject json = event.toJson();
    CHECK(json.value("rowsFromBackup").toInt() == 5);
    CHECK(json.value("rowsRecovered").toInt() == 0);
    CHECK(json.value("quarantinedFile").toString() == event.quarantinedFile);
    CHECK(json.value("backupUsed").toString() == event.backupUsed);
    CHECK(json.value("summary").toString() == event.summary);
    CHECK(json.value("possiblyMissing").toString() == event.possiblyMissing);
    CHECK(QDateTime::fromString(json.value("time").toString(), Qt::ISODateWithMs) == event.time);

    // The rebuilt database is healthy: the next start finds nothing to do.
    store.reset();
    events.clear();
    store = openSqliteStore(dir.path(), &events);
    CHECK(events.isEmpty());
    CHECK(store->count() == 6);
}

TEST_CASE("damaged pages in the middle lose only the rows on them", "[store][recovery][sqlite]") {
    QTemporaryDir dir;
    const QString db = dbPath(dir.path());
    QMap<QString, ManagedCertificate> atBackup; // the 300 items as the backup holds them
    QMap<QString, ManagedCertificate> latest;   // every item as last saved
    {
        auto store = openSqliteStore(dir.path());
        for (int i = 0; i < 300; ++i) {
            auto item = store->create(
                makeItem(QString("Old %1").arg(i), {QString("old%1.example.com").arg(i)}),
                kBackupTime);
            atBackup.insert(item.id, item);
        }
        REQUIRE(store->backup(kBackupTime).ok);
        for (auto item : atBackup) {
            item.comments = QStringLiteral("edited after the backup");
            const auto saved = store->update(item);
            latest.insert(saved.id, saved);
        }
        for (int i = 0; i < 100; ++i) {
            const auto item = store->create(
                makeItem(QString("New %1").arg(i), {QString("new%1.example.com").arg(i)}),
                QDateTime::currentDateTimeUtc());
            latest.insert(item.id, item);
        }
    }
    REQUIRE(latest.size() == 400);
    const auto ids = idsByRowid(db);
    REQUIRE(ids.size() == 400);
    const int size = pageSize(db);

    SECTION("table pages: their rows come from the backup or are lost") {
        // Three leaves of the table: two holding items from before the backup, one holding
        // items created after it.
        QList<qint64> damagedPages;
        QSet<QString> lost;
        for (const auto& page : pagesOf(db, "manageditem")) {
            if (page.type != "leaf")
                continue;
            const auto rowids = rowidsOnLeaf(db, page.number);
            for (const qint64 wanted : {100, 200, 350})
                if (rowids.contains(wanted) && !damagedPages.contains(page.number)) {
                    damagedPages.append(page.number);
                    for (const auto rowid : rowids)
                        lost.insert(ids.value(rowid));
                }
        }
        REQUIRE(damagedPages.size() == 3);
        for (const auto page : damagedPages)
            overwrite(db, (page - 1) * size, size, '\xa5');
        int lostOld = 0;
        for (const auto& id : lost)
            lostOld += atBackup.contains(id) ? 1 : 0;
        const int lostNew = int(lost.size()) - lostOld;
        REQUIRE(lostOld > 0);
        REQUIRE(lostNew > 0);

        QList<store::RecoveryEvent> events;
        auto store = openSqliteStore(dir.path(), &events);
        REQUIRE(events.size() == 1);
        const auto& event = events.front();
        INFO(event.summary.toStdString());
        CHECK(event.rowsRecovered == 400 - lost.size());
        CHECK(event.rowsFromBackup == lostOld);
        CHECK(event.backupUsed == db + ".bak");
        CHECK(QFileInfo::exists(event.quarantinedFile));
        CHECK(event.summary.contains("integrity check"));
        CHECK(event.summary.contains(QString("%1 items read back").arg(400 - lost.size())));
        CHECK(event.possiblyMissing.contains("could not be read back from the damaged file"));

        CHECK(store->integrityCheck() == "ok");
        CHECK(store->count() == 400 - lostNew);
        for (const auto& item : allItems(*store)) {
            INFO(item.name.toStdString());
            if (lost.contains(item.id))
                CHECK(item == atBackup.value(item.id)); // the backup's older copy
            else
                CHECK(item == latest.value(item.id));
        }
        // Search works on the rebuilt database: an item from the backup is found by its name
        // and its domain, an item lost with its page is not.
        auto found = [&](const QString& text, const QString& id) {
            auto query = searchFor(text);
            query.limit = ListQuery::kMaxLimit;
            for (const auto& item : store->list(query).items)
                if (item.id == id)
                    return true;
            return false;
        };
        for (const auto& id : lost) {
            const auto& item = latest[id];
            CHECK(found(item.name, id) == atBackup.contains(id));
            CHECK(found(item.requestConfig.primaryDomain, id) == atBackup.contains(id));
        }
    }

    SECTION("an index page only: every row is read back") {
        const auto pages = pagesOf(db, "manageditem_name_key");
        REQUIRE(pages.size() > 2);
        const auto page = pages.at(pages.size() / 2);
        overwrite(db, (page.number - 1) * size, size, '\xa5');

        QList<store::RecoveryEvent> events;
        auto store = openSqliteStore(dir.path(), &events);
        REQUIRE(events.size() == 1);
        const auto& event = events.front();
        INFO(event.summary.toStdString());
        CHECK(event.rowsRecovered == 400);
        CHECK(event.rowsFromBackup == 0);
        CHECK(event.possiblyMissing.startsWith("Nothing is known to be missing"));
        CHECK(store->count() == 400);
        for (const auto& item : allItems(*store))
            CHECK(item == latest.value(item.id));
    }
}

TEST_CASE("a damaged database without a backup keeps what it can read",
          "[store][recovery][sqlite]") {
    QTemporaryDir dir;
    const QString db = dbPath(dir.path());
    {
        auto store = openSqliteStore(dir.path());
        for (int i = 0; i < 200; ++i)
            store->create(makeItem(QString("Item %1").arg(i), {QString("i%1.example.com").arg(i)}),
                          QDateTime::currentDateTimeUtc());
    }
    const auto ids = idsByRowid(db);
    int lost = 0;
    for (const auto& page : pagesOf(db, "manageditem"))
        if (page.type == "leaf" && rowidsOnLeaf(db, page.number).contains(100)) {
            lost = int(rowidsOnLeaf(db, page.number).size());
            overwrite(db, (page.number - 1) * pageSize(db), pageSize(db), '\xa5');
        }
    REQUIRE(lost > 0);

    QList<store::RecoveryEvent> events;
    auto store = openSqliteStore(dir.path(), &events);
    REQUIRE(events.size() == 1);
    const auto& event = events.front();
    INFO(event.summary.toStdString());
    CHECK(event.rowsRecovered == 200 - lost);
    CHECK(event.rowsFromBackup == 0);
    CHECK(event.backupUsed.isEmpty());
    CHECK(event.summary.contains("no usable backup"));
    CHECK(event.possiblyMissing.contains(event.quarantinedFile));
    CHECK(store->count() == 200 - lost);
}

TEST_CASE("a garbage database and no backup: an empty store and an event",
          "[store][recovery][sqlite]") {
    QTemporaryDir dir;
    const QString db = dbPath(dir.path());
    QFile file(db);
    REQUIRE(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(64 * 1024, '\x37'));
    file.close();

    QList<store::RecoveryEvent> events;
    auto store = openSqliteStore(dir.path(), &events);
    REQUIRE(events.size() == 1);
    const auto& event = events.front();
    INFO(event.summary.toStdString());
    CHECK(event.rowsRecovered == 0);
    CHECK(event.rowsFromBackup == 0);
    CHECK(event.backupUsed.isEmpty());
    CHECK(event.summary.contains("no usable backup"));
    CHECK(event.summary.contains("no managed certificates"));
    CHECK(event.possiblyMissing.contains("All managed certificates may be lost"));
    CHECK(event.possiblyMissing.contains(event.quarantinedFile));
    REQUIRE(QFileInfo::exists(event.quarantinedFile));
    CHECK(QFileInfo(event.quarantinedFile).size() == 64 * 1024);
    CHECK(store->count() == 0);
    CHECK(store->integrityCheck() == "ok");
    store->create(makeItem("First", {"first.example.com"}), QDateTime::currentDateTimeUtc());
    CHECK(store->count() == 1);
}

TEST_CASE("a garbage -wal is ignored and the database opens", "[store][recovery][sqlite]") {
    QTemporaryDir dir;
    const QString db = dbPath(dir.path());
    QList<ManagedCertificate> items;
    {
        auto store = openSqliteStore(dir.path());
        for (int i = 0; i < 10; ++i)
            items.append(store->create(makeItem(QString("Item %1").arg(i), {"a.example.com"}),
                                       QDateTime::currentDateTimeUtc()));
    }
    QFile wal(db + "-wal");
    REQUIRE(wal.open(QIODevice::WriteOnly));
    wal.write(QByteArray(50000, '\x5a'));
    wal.close();

    QList<store::RecoveryEvent> events;
    auto store = openSqliteStore(dir.path(), &events);
    CHECK(events.isEmpty());
    CHECK(store->integrityCheck() == "ok");
    REQUIRE(store->count() == 10);
    for (const auto& item : items)
        CHECK(store->get(item.id) == item);
    store->create(makeItem("More", {"more.example.com"}), QDateTime::currentDateTimeUtc());
    CHECK(store->count() == 11);
}

TEST_CASE("a crash's -wal with a torn last transaction loses only that one",
          "[store][recovery][sqlite]") {
    QTemporaryDir live, crashed;
    const QString db = dbPath(live.path());
    auto store = openSqliteStore(live.path());
    QList<ManagedCertificate> items;
    for (int i = 0; i < 10; ++i)
        items.append(store->create(makeItem(QString("Item %1").arg(i), {"a.example.com"}),
                                   QDateTime::currentDateTimeUtc()));
    // What a power cut leaves: the files as they are while the store is open.
    const QString copy = dbPath(crashed.path());
    copyFile(db, copy);
    copyFile(db + "-wal", copy + "-wal");
    const qint64 walSize = QFileInfo(copy + "-wal").size();
    REQUIRE(walSize > 4096);
    overwrite(copy + "-wal", walSize - 100, 100, '\x5a'); // the last frame: the last commit

    QList<store::RecoveryEvent> events;
    auto recovered = openSqliteStore(crashed.path(), &events);
    CHECK(events.isEmpty());
    CHECK(recovered->integrityCheck() == "ok");
    REQUIRE(recovered->count() == 9);
    for (int i = 0; i < 9; ++i)
        CHECK(recovered->get(items[i].id) == items[i]);
}

TEST_CASE("a damaged .bak falls back to .bak.old", "[store][recovery][sqlite]") {
    QTemporaryDir dir;
    const QString db = dbPath(dir.path());
    {
        auto store = openSqliteStore(dir.path());
        for (int i = 0; i < 3; ++i)
            store->create(makeItem(QString("Item %1").arg(i), {"a.example.com"}), kBackupTime);
        REQUIRE(store->backup(kBackupTime).ok);
        store->create(makeItem("Item 3", {"a.example.com"}), kBackupTime);
        REQUIRE(store->backup(kBackupTime.addDays(1)).ok);
    }
    overwrite(db, 0, 100, '\x5a');
    overwrite(db + ".bak", 0, 100, '\x5a');

    QList<store::RecoveryEvent> events;
    auto store = openSqliteStore(dir.path(), &events);
    REQUIRE(events.size() == 1);
    const auto& event = events.front();
    INFO(event.summary.toStdString());
    CHECK(event.backupUsed == db + ".bak.old");
    CHECK(event.rowsFromBackup == 3);
    CHECK(event.summary.contains("backup of 2026-11-20 10:00 UTC"));
    CHECK(event.summary.contains("backups not used: manageditems.db.bak:"));
    CHECK(store->count() == 3);
}

TEST_CASE("a missing database is restored from its backup", "[store][recovery][sqlite]") {
    QTemporaryDir dir;
    const QString db = dbPath(dir.path());
    {
        auto store = openSqliteStore(dir.path());
        store->create(makeItem("One", {"one.example.com"}), kBackupTime);
        store->create(makeItem("Two", {"two.example.com"}), kBackupTime);
        REQUIRE(store->backup(kBackupTime).ok);
    }
    REQUIRE(QFile::remove(db));

    QList<store::RecoveryEvent> events;
    auto store = openSqliteStore(dir.path(), &events);
    REQUIRE(events.size() == 1);
    const auto& event = events.front();
    INFO(event.summary.toStdString());
    CHECK(event.summary.contains("missing"));
    CHECK(event.rowsFromBackup == 2);
    CHECK(event.quarantinedFile.isEmpty());
    CHECK(event.possiblyMissing.contains("after the backup of 2026-11-20 10:00 UTC"));
    CHECK(store->count() == 2);
}

TEST_CASE("a database locked by another process is not mistaken for a damaged one",
          "[store][recovery][sqlite]") {
    QTemporaryDir dir;
    const QString db = dbPath(dir.path());
    openSqliteStore(dir.path())
        ->create(makeItem("One", {"one.example.com"}), QDateTime::currentDateTimeUtc());
    {
        auto other = QSqlDatabase::addDatabase("QSQLITE", "other-process");
        other.setDatabaseName(db);
        REQUIRE(other.open());
        QSqlQuery query(other);
        REQUIRE(query.exec("PRAGMA locking_mode=EXCLUSIVE"));
        REQUIRE(query.exec("BEGIN EXCLUSIVE"));
        REQUIRE(query.exec("INSERT INTO manageditem_domain(item_id, domain) SELECT id, 'x' FROM "
                           "manageditem"));

        QList<store::RecoveryEvent> events;
        try {
            openSqliteStore(dir.path(), &events);
            FAIL("open should fail while another connection holds the database");
        } catch (const InternalError& e) {
            CHECK(e.message().contains("in use by another process"));
        }
        CHECK(events.isEmpty());
        CHECK(filesStartingWith(dir.path(), "manageditems.db.damaged").isEmpty());
        query.exec("ROLLBACK");
        query.finish();
        other.close();
    }
    QSqlDatabase::removeDatabase("other-process");
    QList<store::RecoveryEvent> events;
    auto store = openSqliteStore(dir.path(), &events);
    CHECK(events.isEmpty());
    CHECK(store->count() == 1);
}

TEST_CASE("a database from a newer version is refused, not quarantined",
          "[store][recovery][sqlite]") {
    QTemporaryDir dir;
    const QString db = dbPath(dir.path());
    openSqliteStore(dir.path())
        ->create(makeItem("One", {"one.example.com"}), QDateTime::currentDateTimeUtc());
    {
        auto newer = QSqlDatabase::addDatabase("QSQLITE", "newer-version");
        newer.setDatabaseName(db);
        REQUIRE(newer.open());
        REQUIRE(QSqlQuery(newer).exec("PRAGMA user_version=99"));
        newer.close();
    }
    QSqlDatabase::removeDatabase("newer-version");

    QList<store::RecoveryEvent> events;
    try {
        openSqliteStore(dir.path(), &events);
        FAIL("a newer schema must not be opened");
    } catch (const InternalError& e) {
        CHECK(e.message().contains("newer version of Certkeeper"));
    }
    CHECK(events.isEmpty());
    CHECK(filesStartingWith(dir.path(), "manageditems.db.damaged").isEmpty());
    CHECK(rowsIn(db) == 1);
}

TEST_CASE("a damaged file after a crash: rows still in its -wal are read back too",
          "[store][recovery][sqlite]") {
    QTemporaryDir live, crashed;
    const QString db = dbPath(live.path());
    auto store = openSqliteStore(live.path());
    for (int i = 0; i < 200; ++i)
        store->create(makeItem(QString("Item %1").arg(i), {QString("i%1.example.com").arg(i)}),
                      QDateTime::currentDateTimeUtc());
    REQUIRE(store->backup(kBackupTime).ok); // VACUUM INTO leaves the WAL as it is
    QList<ManagedCertificate> late;
    for (int i = 0; i < 5; ++i)
        late.append(store->create(makeItem(QString("Late %1").arg(i), {"late.example.com"}),
                                  QDateTime::currentDateTimeUtc()));
    // The files as a power cut leaves them, with the main file's table pages damaged.
    const QString copy = dbPath(crashed.path());
    copyFile(db, copy);
    copyFile(db + "-wal", copy + "-wal");
    copyFile(db + ".bak", copy + ".bak");
    REQUIRE(QFileInfo(copy + "-wal").size() > 0);
    const int size = pageSize(db);
    int damaged = 0;
    for (const auto& page : pagesOf(db, "manageditem"))
        if (page.type == "leaf" && damaged++ == 3)
            overwrite(copy, (page.number - 1) * size, size, '\xa5');

    QList<store::RecoveryEvent> events;
    auto recovered = openSqliteStore(crashed.path(), &events);
    REQUIRE(events.size() == 1);
    INFO(events.front().summary.toStdString());
    CHECK(events.front().rowsRecovered > 0);
    CHECK(recovered->integrityCheck() == "ok");
    for (const auto& item : late)
        CHECK(recovered->get(item.id) == item);
    CHECK(recovered->count() == 205);
}
