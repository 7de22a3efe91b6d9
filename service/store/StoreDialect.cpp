// The SQL that differs between SQLite and PostgreSQL; see StoreDialect.h.

#include "store/StoreDialect.h"

#include "DomainError.h"

#include <QSqlQuery>

namespace ck::store::detail {

namespace {
// One step of the schema: the same tables on both engines, written in each one's words.
struct Migration {
    int version;
    QStringList sqlite;
    QStringList postgres;
};

// The item's JSON is `json` on PostgreSQL: checked when written, kept as the text written. The
// case-folded keys compare byte by byte ("C") on both engines, so the list's order is the same.
const QList<Migration>& migrations() {
    static const QList<Migration> all{
        {1,
         {
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
         },
         {
             "CREATE TABLE IF NOT EXISTS certkeeper_schema(version INTEGER NOT NULL)",
             "CREATE TABLE manageditem("
             " id TEXT PRIMARY KEY, json JSON NOT NULL, version BIGINT NOT NULL, name TEXT,"
             " primary_domain TEXT, date_expiry TEXT, next_renewal_due TEXT, status TEXT,"
             " name_key TEXT COLLATE \"C\")",
             "CREATE INDEX manageditem_primary_domain ON manageditem(primary_domain)",
             "CREATE INDEX manageditem_date_expiry ON manageditem(date_expiry)",
             "CREATE INDEX manageditem_next_renewal_due ON manageditem(next_renewal_due)",
             "CREATE INDEX manageditem_status ON manageditem(status)",
             "CREATE TABLE manageditem_domain("
             " item_id TEXT NOT NULL REFERENCES manageditem(id) ON DELETE CASCADE,"
             " domain TEXT COLLATE \"C\" NOT NULL)",
             "CREATE INDEX manageditem_domain_domain ON manageditem_domain(domain)",
             "CREATE INDEX manageditem_domain_item ON manageditem_domain(item_id)",
             // The change count behind stateTag(): every row written by any service moves it.
             "CREATE TABLE certkeeper_revision(id INTEGER PRIMARY KEY CHECK (id = 1),"
             " revision BIGINT NOT NULL)",
             "INSERT INTO certkeeper_revision(id, revision) VALUES (1, 0)",
             "CREATE FUNCTION certkeeper_count_change() RETURNS trigger LANGUAGE plpgsql AS $$"
             " BEGIN UPDATE certkeeper_revision SET revision = revision + 1 WHERE id = 1;"
             " RETURN NULL; END $$",
             "CREATE TRIGGER manageditem_changed AFTER INSERT OR UPDATE OR DELETE"
             " ON manageditem FOR EACH ROW EXECUTE FUNCTION certkeeper_count_change()",
         }},
        // The list is ordered by the case-folded name on both engines.
        {2,
         {"CREATE INDEX IF NOT EXISTS manageditem_name_key ON manageditem(name_key, id)",
          "DROP INDEX IF EXISTS manageditem_name"},
         {"CREATE INDEX manageditem_name_key ON manageditem(name_key, id)"}},
        // Search by any part of the name or a domain: one row per item with its case-folded
        // name and domains, a line each, and the name key the results are ordered by. PostgreSQL
        // finds the rows with a trigram index (pg_trgm, a trusted extension since PostgreSQL 13);
        // SQLite scans this narrow table, not the items' JSON.
        {3,
         {"CREATE TABLE manageditem_search("
          " item_id TEXT PRIMARY KEY REFERENCES manageditem(id) ON DELETE CASCADE,"
          " name_key TEXT, text TEXT NOT NULL) WITHOUT ROWID",
          "INSERT INTO manageditem_search(item_id, name_key, text)"
          " SELECT m.id, m.name_key, coalesce(m.name_key, '') || coalesce((SELECT char(10) ||"
          " group_concat(d.domain, char(10)) FROM manageditem_domain d WHERE d.item_id = m.id),"
          " '') FROM manageditem m"},
         {"CREATE EXTENSION IF NOT EXISTS pg_trgm",
          "CREATE TABLE manageditem_search("
          " item_id TEXT PRIMARY KEY REFERENCES manageditem(id) ON DELETE CASCADE,"
          " name_key TEXT COLLATE \"C\", text TEXT COLLATE \"C\" NOT NULL)",
          "CREATE INDEX manageditem_search_text ON manageditem_search"
          " USING gin (text gin_trgm_ops)",
          "INSERT INTO manageditem_search(item_id, name_key, text)"
          " SELECT m.id, m.name_key, coalesce(m.name_key, '') || coalesce((SELECT E'\\n' ||"
          " string_agg(d.domain, E'\\n') FROM manageditem_domain d WHERE d.item_id = m.id),"
          " '') FROM manageditem m"}},
    };
    return all;
}
} // namespace

SqlEngine engineOf(const QSqlDatabase& db) {
    return db.driverName() == QLatin1String("QPSQL") ? SqlEngine::Postgres : SqlEngine::Sqlite;
}

QString engineName(SqlEngine engine) {
    return engine == SqlEngine::Postgres ? QStringLiteral("PostgreSQL") : QStringLiteral("SQLite");
}

int latestSchemaVersion() {
    return migrations().last().version;
}

QStringList migrationStatements(SqlEngine engine, int to) {
    for (const Migration& migration : migrations())
        if (migration.version == to)
            return engine == SqlEngine::Postgres ? migration.postgres : migration.sqlite;
    throw InternalError(QStringLiteral("No migration of the store leads to version %1").arg(to));
}

int storedSchemaVersion(const QSqlDatabase& db) {
    QSqlQuery query(db);
    if (engineOf(db) == SqlEngine::Sqlite) {
        if (!query.exec(QStringLiteral("PRAGMA user_version")))
            throw InternalError(QStringLiteral("Cannot read the store's schema version: %1")
                                    .arg(query.lastError().text()));
        return query.next() ? query.value(0).toInt() : 0;
    }
    // to_regclass is NULL, not an error, while the table does not exist yet.
    if (!query.exec(QStringLiteral("SELECT to_regclass('certkeeper_schema') IS NOT NULL")) ||
        !query.next())
        throw InternalError(QStringLiteral("Cannot read the store's schema version: %1")
                                .arg(query.lastError().text()));
    if (!query.value(0).toBool())
        return 0;
    if (!query.exec(QStringLiteral("SELECT max(version) FROM certkeeper_schema")))
        throw InternalError(QStringLiteral("Cannot read the store's schema version: %1")
                                .arg(query.lastError().text()));
    return query.next() ? query.value(0).toInt() : 0;
}

QString setSchemaVersionSql(SqlEngine engine, int version) {
    if (engine == SqlEngine::Sqlite)
        return QStringLiteral("PRAGMA user_version=%1").arg(version);
    return QStringLiteral("INSERT INTO certkeeper_schema(version) VALUES (%1)").arg(version);
}

QString beginWriteSql(SqlEngine engine) {
    return engine == SqlEngine::Sqlite ? QStringLiteral("BEGIN IMMEDIATE")
                                       : QStringLiteral("BEGIN");
}

QString beginReadSql(SqlEngine engine) {
    return engine == SqlEngine::Sqlite
               ? QStringLiteral("BEGIN")
               : QStringLiteral("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
}

QString rowLockSuffix(SqlEngine engine) {
    return engine == SqlEngine::Postgres ? QStringLiteral(" FOR UPDATE") : QString();
}

QString jsonForPageColumns(SqlEngine engine) {
    // SQLite checks the text with its own JSON parser, and hands it over as bytes without a
    // detour through UTF-16; PostgreSQL checked it when it was written.
    return engine == SqlEngine::Sqlite ? QStringLiteral("json_valid(o.json), CAST(o.json AS BLOB)")
                                       : QStringLiteral("1, o.json::text");
}

SqlFailure classify(SqlEngine engine, const QSqlError& error) {
    const QString code = error.nativeErrorCode();
    if (engine == SqlEngine::Sqlite) {
        bool ok = false;
        const int primary = code.toInt(&ok) & 0xff;
        return ok && primary == 13 ? SqlFailure::DiskFull : SqlFailure::Other; // SQLITE_FULL
    }
    // SQLSTATE: class 08 is a connection exception, 57P0x the server shutting down; 53100 is
    // disk_full; 40001 and 40P01 are a serialization failure and a deadlock.
    if (code.startsWith(QLatin1String("08")) || code.startsWith(QLatin1String("57P0")))
        return SqlFailure::Unreachable;
    if (code == QLatin1String("53100"))
        return SqlFailure::DiskFull;
    if (code == QLatin1String("40001") || code == QLatin1String("40P01"))
        return SqlFailure::Conflict;
    // A lost connection often has no result, so no SQLSTATE: only libpq's words say so.
    if (code.isEmpty() && (error.type() == QSqlError::ConnectionError ||
                           error.databaseText().contains(QLatin1String("connection")) ||
                           error.databaseText().contains(QLatin1String("server closed"))))
        return SqlFailure::Unreachable;
    return SqlFailure::Other;
}

} // namespace ck::store::detail
