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

void migrate(const QSqlDatabase& db, const QString& where) {
    const SqlEngine engine = engineOf(db);
    for (;;) {
        WriteTransaction transaction(db);
        // Services sharing a PostgreSQL database start together: one migrates, the others wait
        // here and then find the work done.
        if (engine == SqlEngine::Postgres)
            exec(db, QStringLiteral("SELECT pg_advisory_xact_lock(7286712)"));
        const int version = storedSchemaVersion(db);
        if (version > latestSchemaVersion())
            throw InternalError(
                QStringLiteral("%1 was written by a newer version of Certkeeper (schema "
                               "%2; this version knows %3). Install that version again, "
                               "or restore a backup made by this one.")
                    .arg(where)
                    .arg(version)
                    .arg(latestSchemaVersion()));
        if (version == latestSchemaVersion())
            return; // the transaction only read; it rolls back
        for (const QString& statement : migrationStatements(engine, version + 1))
            exec(db, statement);
        exec(db, setSchemaVersionSql(engine, version + 1));
        transaction.commit();
    }
}

bool hasSchema(const QSqlDatabase& db, QSqlError* error) {
    QSqlQuery query(db);
    // Preparing a statement over every column the store reads fails when any is missing.
    return tryExec(query,
                   QStringLiteral("SELECT id, json, version, name, primary_domain, date_expiry,"
                                  " next_renewal_due, status FROM manageditem LIMIT 0"),
                   {}, error);
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
    migrate(db, dbPath);
    if (!hasSchema(db))
        throw InternalError(QStringLiteral("%1 does not have the managed-items table").arg(dbPath));
    setPrivate(dbPath);
    return connection;
}

} // namespace ck::store::detail
