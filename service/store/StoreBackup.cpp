// Online backup: VACUUM INTO a temp file, verify it, then rotate .bak -> .bak.old and put the
// new one in place. A backup that fails anywhere leaves the previous ones untouched.

#include "store/SqliteItemStore.h"
#include "store/StoreInternal.h"

#include <QFileInfo>

#include <algorithm>

namespace ck::store {

using namespace detail;

namespace detail {

VerifiedFile verifyDatabaseFile(const QString& path) {
    VerifiedFile result;
    if (!QFileInfo::exists(path)) {
        result.error = QStringLiteral("%1 does not exist").arg(path);
        return result;
    }
    Connection connection(path, Connection::Mode::ReadOnly);
    if (!connection.isOpen()) {
        result.error = QStringLiteral("cannot open it: %1").arg(connection.openError().text());
        return result;
    }
    QSqlError error;
    const QString report = integrityCheck(connection.db(), &error);
    if (report != QLatin1String("ok")) {
        result.error = report.isEmpty()
                           ? QStringLiteral("cannot check it: %1").arg(error.text())
                           : QStringLiteral("integrity check: %1").arg(report.section('\n', 0, 0));
        return result;
    }
    if (!hasSchema(connection.db(), &error)) {
        result.error = QStringLiteral("it has no managed-items table: %1").arg(error.text());
        return result;
    }
    QSqlQuery query(connection.db());
    if (!tryExec(query, QStringLiteral("SELECT count(*) FROM manageditem"), {}, &error) ||
        !query.next()) {
        result.error = QStringLiteral("cannot count its rows: %1").arg(error.text());
        return result;
    }
    result.rows = query.value(0).toInt();
    result.ok = true;
    return result;
}

} // namespace detail

namespace {
QString mebibytes(qint64 bytes) {
    return QString::number(double(std::max<qint64>(bytes, 0)) / (1024.0 * 1024.0), 'f', 1);
}

// Why the copy did not fit, in the words the API uses for a full disk, with the sizes that let
// the user judge how much to free. Call once the partial copy is removed.
QString noRoomForCopy(const QString& dbPath) {
    return QStringLiteral("The disk holding the data directory is full: %1 MiB free, and a copy "
                          "of the database needs about %2 MiB")
        .arg(mebibytes(freeBytesOn(QFileInfo(dbPath).absolutePath())),
             mebibytes(QFileInfo(dbPath).size()));
}

// Marks the copy with when it was taken (shown when it is ever restored), sets it to a plain
// rollback journal so it is one self-contained file, and checks it. Throws StorageFullError when
// the disk fills up meanwhile.
QString finishCopy(const QString& path, const QDateTime& now, int expectedRows) {
    {
        Connection connection(path, Connection::Mode::ReadWrite);
        if (!connection.isOpen())
            return QStringLiteral("cannot open the copy: %1").arg(connection.openError().text());
        try {
            const auto& db = connection.db();
            exec(db, QStringLiteral("PRAGMA journal_mode=DELETE"));
            exec(db, QStringLiteral("PRAGMA synchronous=FULL"));
            WriteTransaction transaction(db);
            exec(db, QStringLiteral("CREATE TABLE IF NOT EXISTS backup_info(taken_at TEXT NOT "
                                    "NULL, row_count INTEGER NOT NULL)"));
            exec(db, QStringLiteral("DELETE FROM backup_info"));
            exec(db, QStringLiteral("INSERT INTO backup_info(taken_at, row_count) VALUES (?, ?)"),
                 {now.toUTC().toString(Qt::ISODateWithMs), expectedRows});
            transaction.commit();
        } catch (const StorageFullError&) {
            throw;
        } catch (const DomainError& e) {
            return e.message();
        }
    }
    const auto verified = verifyDatabaseFile(path);
    if (!verified.ok)
        return QStringLiteral("the copy failed its check (%1)").arg(verified.error);
    if (verified.rows != expectedRows)
        return QStringLiteral("the copy has %1 items, the database %2")
            .arg(verified.rows)
            .arg(expectedRows);
    return {};
}
} // namespace

BackupResult SqliteItemStore::backup(const QDateTime& now) {
    BackupResult result;
    result.time = now;
    result.path = backupPath(d->location);
    const QString tmp = backupTempPath(d->location);
    auto fail = [&](const QString& why) {
        removeWithCompanions(tmp);
        result.error = why;
        return result;
    };

    removeWithCompanions(tmp);
    QString error;
    // VACUUM INTO accepts an empty file, so the copy has the right mode from the start.
    if (!createPrivateFile(tmp, &error))
        return fail(QStringLiteral("cannot create %1: %2").arg(tmp, error));
    int rows = 0;
    try {
        rows = count(); // no write can come between: the store is used from one thread
        exec(d->db(), QStringLiteral("VACUUM INTO ?"), {tmp});
        if (const QString why = finishCopy(tmp, now, rows); !why.isEmpty())
            return fail(why);
    } catch (const StorageFullError&) {
        removeWithCompanions(tmp);
        return fail(noRoomForCopy(d->location));
    } catch (const DomainError& e) {
        return fail(e.message());
    }
    if (!fsyncFile(tmp, &error))
        return fail(error);

    // The previous backup becomes .bak.old only if it is itself good; a damaged .bak must not
    // push out a good .bak.old.
    const QString bak = backupPath(d->location);
    if (QFileInfo::exists(bak)) {
        if (verifyDatabaseFile(bak).ok) {
            if (!renameFile(bak, oldBackupPath(d->location), &error))
                return fail(error);
        } else {
            removeWithCompanions(bak);
        }
    }
    if (!renameFile(tmp, bak, &error))
        return fail(error);
    if (!fsyncDirOf(bak, &error))
        return fail(error);
    setPrivate(bak);
    result.ok = true;
    result.rows = rows;
    return result;
}

} // namespace ck::store
