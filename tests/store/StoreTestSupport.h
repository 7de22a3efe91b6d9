#pragma once
// Helpers for the store tests: items to store, stores in temporary directories, and ways to damage
// the files underneath. No QCoreApplication is needed: Qt 6.4 loads the QSQLITE plugin and runs
// the store without one (checked: no warning, every test passes).

#include "store/SqliteItemStore.h"

#include <QDateTime>
#include <QMap>
#include <QString>
#include <QStringList>

#include <memory>

namespace ck::storetest {

// An item named `name` for the given names (the first is the primary domain).
ManagedCertificate makeItem(const QString& name, const QStringList& domains);
// Certificate dates that give the item `health` at the current time.
void setHealth(ManagedCertificate& item, Health health);

// List queries: a search, a health filter.
ListQuery searchFor(const QString& text);
ListQuery withHealth(Health health);

std::unique_ptr<store::SqliteItemStore> openStore(const QString& dir,
                                                  QList<store::RecoveryEvent>* events = nullptr);
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
