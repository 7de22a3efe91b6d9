// The store's schema and connection settings, and opening the live database.

#include "store/StoreInternal.h"

#include <QFileInfo>

namespace ck::store::detail {

void applyPragmas(const QSqlDatabase& db, bool wal) {
    if (wal) {
        auto query = exec(db, QStringLiteral("PRAGMA journal_mode=WAL"));
        const QString mode = query.next() ? query.value(0).toString() : QString();
        if (mode.compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0)
            throw InternalError(QStringLiteral("The managed-items database cannot use write-ahead "
                                               "logging (journal mode is '%1')")
                                    .arg(mode));
    }
    exec(db, QStringLiteral("PRAGMA synchronous=FULL"));
    exec(db, QStringLiteral("PRAGMA foreign_keys=ON"));
    exec(db, QStringLiteral("PRAGMA busy_timeout=%1").arg(kBusyTimeoutMs));
}

void createSchema(const QSqlDatabase& db) {
    static const char* const statements[] = {
        "CREATE TABLE IF NOT EXISTS manageditem("
        " id TEXT PRIMARY KEY, json TEXT NOT NULL, version INTEGER NOT NULL, name TEXT,"
        " primary_domain TEXT, date_expiry TEXT, next_renewal_due TEXT, status TEXT,"
        " name_key TEXT)",
        "CREATE INDEX IF NOT EXISTS manageditem_name ON manageditem(name COLLATE NOCASE, id)",
        "CREATE INDEX IF NOT EXISTS manageditem_primary_domain ON manageditem(primary_domain)",
        "CREATE INDEX IF NOT EXISTS manageditem_date_expiry ON manageditem(date_expiry)",
        "CREATE INDEX IF NOT EXISTS manageditem_next_renewal_due"
        " ON manageditem(next_renewal_due)",
        "CREATE INDEX IF NOT EXISTS manageditem_status ON manageditem(status)",
        "CREATE TABLE IF NOT EXISTS manageditem_domain("
        " item_id TEXT NOT NULL REFERENCES manageditem(id) ON DELETE CASCADE,"
        " domain TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS manageditem_domain_domain ON manageditem_domain(domain)",
        "CREATE INDEX IF NOT EXISTS manageditem_domain_item ON manageditem_domain(item_id)",
    };
    for (const char* sql : statements)
        exec(db, QString::fromLatin1(sql));
    exec(db, QStringLiteral("PRAGMA user_version=%1").arg(kSchemaVersion));
}

bool hasSchema(const QSqlDatabase& db, QSqlError* error) {
    QSqlQuery query(db);
    // Preparing a statement over every column the store reads fails when any is missing.
    return tryExec(query,
                   QStringLiteral("SELECT id, json, version, name, primary_domain, date_expiry,"
                                  " next_renewal_due, status FROM manageditem LIMIT 0"),
                   {}, error);
}

int userVersion(const QSqlDatabase& db) {
    auto query = exec(db, QStringLiteral("PRAGMA user_version"));
    return query.next() ? query.value(0).toInt() : 0;
}

std::unique_ptr<Connection> openLiveDatabase(const QString& dbPath) {
    if (!QFileInfo::exists(dbPath)) {
        QString error;
        if (!createPrivateFile(dbPath, &error))
            throw InternalError(QStringLiteral("Cannot create %1: %2").arg(dbPath, error));
    }
    auto connection = std::make_unique<Connection>(dbPath, Connection::Mode::ReadWrite);
    if (!connection->isOpen())
        throwSqlError(QStringLiteral("open %1").arg(dbPath), connection->openError());
    const auto& db = connection->db();
    applyPragmas(db, true);
    const int version = userVersion(db);
    if (version > kSchemaVersion)
        throw InternalError(
            QStringLiteral("%1 was written by a newer version of Certkeeper (schema "
                           "%2; this version knows %3). Install that version again, "
                           "or restore a backup made by this one.")
                .arg(dbPath)
                .arg(version)
                .arg(kSchemaVersion));
    if (version < kSchemaVersion) {
        WriteTransaction transaction(db);
        createSchema(db);
        transaction.commit();
    }
    // Columns added after the first release of a schema version would be added here.
    if (!hasSchema(db))
        throw InternalError(QStringLiteral("%1 does not have the managed-items table").arg(dbPath));
    setPrivate(dbPath);
    return connection;
}

} // namespace ck::store::detail
