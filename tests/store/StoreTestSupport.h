#pragma once
// Helpers for the store tests: items to store, stores in temporary directories, and ways to damage
// the files underneath. No QCoreApplication is needed: Qt 6.4 loads the QSQLITE plugin and runs
// the store without one (checked: no warning, every test passes).

#include "store/SqliteItemStore.h"

#include "config/StoreSettings.h"

#include <QDateTime>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QVariantList>

#include <memory>

namespace ck::storetest {

// An item named `name` for the given names (the first is the primary domain).
ManagedCertificate makeItem(const QString& name, const QStringList& domains);
// Certificate dates that give the item `health` at the current time.
void setHealth(ManagedCertificate& item, Health health);

// List queries: a search, a health filter.
ListQuery searchFor(const QString& text);
ListQuery withHealth(Health health);

// The engine these tests run against: SQLite, or PostgreSQL when CERTKEEPER_TEST_STORE_ENGINE
// is "postgresql" (ctest's store_tests_postgresql, against a server the tests start).
bool onPostgres();
// The store of `dir` on the engine under test: the SQLite file in `dir`, or a PostgreSQL
// database of its own for `dir` (created empty on the first open of that dir).
std::unique_ptr<store::ItemStore> openStore(const QString& dir);
// The settings of the PostgreSQL database of `dir` (onPostgres() only).
StoreSettings postgresSettingsFor(const QString& dir);
// The SQLite store in `dir`, for what only it does (backups, recovery).
std::unique_ptr<store::SqliteItemStore>
openSqliteStore(const QString& dir, QList<store::RecoveryEvent>* events = nullptr);
// Runs `sql` on the database of `dir` through a connection of its own, as another process
// (or another service sharing the database) would. False with `error` when it is refused.
bool writeBehindTheStore(const QString& dir, const QString& sql, const QVariantList& binds,
                         QString& error);
QString dbPath(const QString& dir);

// Overwrites `size` bytes at `offset` of a file with `fill`.
void overwrite(const QString& path, qint64 offset, qint64 size, char fill);
// Rows in a database file's manageditem table, through a connection of its own; -1 if unreadable.
int rowsIn(const QString& path);
// PRAGMA integrity_check of a file, through a connection of its own.
QString integrityOf(const QString& path);
// Files in `dir` whose names start with `prefix`.
QStringList filesStartingWith(const QString& dir, const QString& prefix);

// A b-tree page of a database file, from SQLite's dbstat table.
struct Page {
    qint64 number = 0; // 1-based
    QString type;      // "leaf", "internal", "overflow"
    int cells = 0;
};
QList<Page> pagesOf(const QString& path, const QString& btree);
int pageSize(const QString& path);
// The rowids stored on a table b-tree leaf page (read from the file itself).
QList<qint64> rowidsOnLeaf(const QString& path, qint64 pageNumber);
// rowid -> id of every row of manageditem.
QMap<qint64, QString> idsByRowid(const QString& path);

} // namespace ck::storetest
