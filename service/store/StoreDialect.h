#pragma once
// The SQL that differs between the store's two engines, SQLite (one machine, the default) and
// PostgreSQL (several services sharing one database), in one place: the schema and its
// versioned migrations, how a transaction begins, how a row is locked, how the stored JSON is
// read back, where the schema version is kept, and what an engine's error means. Everything
// else the store says is the same SQL on both.

#include <QSqlDatabase>
#include <QSqlError>
#include <QString>
#include <QStringList>

namespace ck::store::detail {

enum class SqlEngine { Sqlite, Postgres };

// The engine behind a connection (by its Qt SQL driver).
SqlEngine engineOf(const QSqlDatabase& db);
QString engineName(SqlEngine engine); // "SQLite", "PostgreSQL"

// The newest schema version; each migration moves the schema one version up.
int latestSchemaVersion();
// The statements that take the schema from version `to - 1` to `to` on `engine`.
QStringList migrationStatements(SqlEngine engine, int to);
// The schema version stored in the database (0 for an empty database).
int storedSchemaVersion(const QSqlDatabase& db);
// The statement that records `version` as the database's schema version.
QString setSchemaVersionSql(SqlEngine engine, int version);

// BEGIN for a transaction that writes: it takes the write lock at once on SQLite (so two
// writers never deadlock on the upgrade), and is a plain transaction on PostgreSQL, where rows
// are locked as they are read (rowLockSuffix).
QString beginWriteSql(SqlEngine engine);
// BEGIN for reads that must agree with each other (a page and its total).
QString beginReadSql(SqlEngine engine);
// Appended to a SELECT of one item inside a write transaction: another service writing the
// same row waits instead of both deciding from the same version.
QString rowLockSuffix(SqlEngine engine);
// The select list that reads an item's stored JSON (table alias `o`) for a list page: whether
// it is valid JSON and its text as bytes.
QString jsonForPageColumns(SqlEngine engine);

// What an engine's error means for the user.
enum class SqlFailure {
    Other,
    DiskFull,    // the transaction was rolled back; the user must free space
    Unreachable, // the database server cannot be reached (PostgreSQL)
    Conflict,    // another service changed the same rows at once; the work can be retried
};
SqlFailure classify(SqlEngine engine, const QSqlError& error);

} // namespace ck::store::detail
