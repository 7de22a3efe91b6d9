#pragma once
// Internals of the managed-item store shared by its source files; not part of its interface.

#include "base/Clock.h"
#include "config/StoreSettings.h"
#include "store/SqlItemStore.h"
#include "store/StoreDialect.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariantList>

#include <optional>

namespace ck::store::detail {

inline constexpr int kBusyTimeoutMs = 5000;

// The files beside manageditems.db.
inline QString backupPath(const QString& dbPath) {
    return dbPath + QStringLiteral(".bak");
}
inline QString oldBackupPath(const QString& dbPath) {
    return dbPath + QStringLiteral(".bak.old");
}
inline QString backupTempPath(const QString& dbPath) {
    return dbPath + QStringLiteral(".bak.tmp");
}
inline QString rebuildPath(const QString& dbPath) {
    return dbPath + QStringLiteral(".rebuild");
}
// SQLite's companion files of a database, moved and removed with it.
inline const QStringList& companionSuffixes() {
    static const QStringList suffixes{QStringLiteral("-wal"), QStringLiteral("-shm"),
                                      QStringLiteral("-journal")};
    return suffixes;
}

// One Qt SQL connection under a name of its own, closed and removed when this goes away.
class Connection {
public:
    enum class Mode { ReadWrite, ReadOnly };
    // A SQLite database file.
    Connection(const QString& path, Mode mode);
    // A PostgreSQL database.
    Connection(const StoreSettings& settings, const QString& password);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    bool isOpen() const { return m_db.isOpen(); }
    QSqlError openError() const { return m_openError; }
    QSqlDatabase& db() { return m_db; }
    // Opens the connection again after the server was lost (PostgreSQL); false with
    // openError() when it is still unreachable.
    bool reopen();

private:
    QString m_name;
    QSqlDatabase m_db;
    QSqlError m_openError;
};

// Runs one statement with positional bindings. Returns false (and the error) on failure.
bool tryExec(QSqlQuery& query, const QString& sql, const QVariantList& binds = {},
             QSqlError* error = nullptr);
// SQLite's primary result codes the store tells apart.
inline constexpr int kSqliteIoErr = 10;
inline constexpr int kSqliteFull = 13;

// Runs one statement with positional bindings; throws InternalError with the engine's words
// (StorageFullError when the disk is full, UnavailableError when the server is unreachable).
QSqlQuery exec(const QSqlDatabase& db, const QString& sql, const QVariantList& binds = {});
[[noreturn]] void throwSqlError(const QString& what, const QSqlError& error,
                                SqlEngine engine = SqlEngine::Sqlite);
// The same for a failure on `db`, noting a lost server (connectionLost).
[[noreturn]] void throwSqlError(const QString& what, const QSqlError& error,
                                const QSqlDatabase& db);
// The primary SQLite result code of an error (SQLITE_CORRUPT = 11, ...), or -1.
int sqliteCode(const QSqlError& error);
// Whether a connection's last failure was losing its server (set by exec and the checks of
// query results), so the store opens it again before its next statement.
bool connectionLost(const QSqlDatabase& db);

// BEGIN (IMMEDIATE on SQLite) ... COMMIT; rolls back unless committed.
class WriteTransaction {
public:
    explicit WriteTransaction(const QSqlDatabase& db);
    ~WriteTransaction();
    WriteTransaction(const WriteTransaction&) = delete;
    WriteTransaction& operator=(const WriteTransaction&) = delete;
    void commit();

private:
    QSqlDatabase m_db;
    bool m_done = false;
};

// "ok", or SQLite's report (its first lines). Empty with `error` set when the check could not
// run at all.
QString integrityCheck(const QSqlDatabase& db, QSqlError* error = nullptr);

// --- schema (StoreSchema.cpp) ---
// WAL, synchronous=FULL, foreign_keys, busy_timeout.
void applyPragmas(const QSqlDatabase& db, bool wal);
// Brings the schema from the stored version up to the latest, each step in the transaction of
// its version; `where` names the database in the error about a newer schema.
void migrate(const QSqlDatabase& db, const QString& where);
// Whether the manageditem table exists with the columns the store reads.
bool hasSchema(const QSqlDatabase& db, QSqlError* error = nullptr);
// Opens (creating if absent, mode 0600) the live database with its pragmas and schema.
std::unique_ptr<Connection> openLiveDatabase(const QString& dbPath);

// --- rows (StoreRows.cpp) ---
struct StoredRow {
    QString id;
    QString json;
    qint64 version = 0;
};
// The item a row holds, or nothing when its JSON does not parse into an item.
std::optional<ManagedCertificate> decodeRow(const StoredRow& row);
QString encodeItem(const ManagedCertificate& item);
void insertItem(const QSqlDatabase& db, const ManagedCertificate& item, const QDateTime& now);
void updateItem(const QSqlDatabase& db, const ManagedCertificate& item, qint64 expectedVersion,
                const QDateTime& now);
// Case-folded text the search compares against.
QString searchKey(const QString& text);

// --- files (StoreFiles.cpp) ---
// Creates an empty file with mode 0600 (replacing nothing); false with `error` on failure.
bool createPrivateFile(const QString& path, QString* error);
bool fsyncFile(const QString& path, QString* error);
bool fsyncDirOf(const QString& path, QString* error);
bool renameFile(const QString& from, const QString& to, QString* error);
void setPrivate(const QString& path);
// Bytes an unprivileged writer may still use on the file system holding `path`; -1 if unknown.
qint64 freeBytesOn(const QString& path);
// Removes a file and SQLite's companion files of it.
void removeWithCompanions(const QString& path);

// --- backup (StoreBackup.cpp) ---
struct VerifiedFile {
    bool ok = false;
    QString error; // why it is not good
    int rows = 0;
};
// Opens a database file read-only and checks it: integrity_check "ok", the schema present.
VerifiedFile verifyDatabaseFile(const QString& path);

// --- recovery (StoreRecovery.cpp, RecoveryReport.cpp) ---
struct RecoveryFacts {
    enum class Cause { Damaged, Missing };
    Cause cause = Cause::Damaged;
    QString reason;              // why the file was judged damaged
    QString quarantinedFile;     // where it was moved
    QString backupUsed;          // the backup restored from
    QDateTime backupTime;        // when that backup was taken
    QStringList rejectedBackups; // "manageditems.db.bak: why", for backups that were not good
    int rowsRecovered = 0;       // rows read back from the damaged file
    int rowsFromBackup = 0;      // rows of the new database that came from the backup
    bool readComplete = false;   // every row slot of the damaged file was read without error
};
// The event the diagnostics and the app show, in words.
RecoveryEvent describeRecovery(const RecoveryFacts& facts, const QDateTime& now);

// Checks the database at dbPath before it is opened for use: a damaged file is quarantined and
// a new one built from what can be recovered and the newest good backup; a missing file with a
// good backup beside it is restored from that backup. Returns what was done, if anything.
// Throws InternalError when the file cannot be used and must not be touched (in use,
// permissions, newer schema) or no database can be made.
std::optional<RecoveryEvent> checkAndRecover(const QString& dbPath, const Clock& clock);

} // namespace ck::store::detail

namespace ck::store {
struct SqlItemStore::Impl {
    detail::SqlEngine engine = detail::SqlEngine::Sqlite;
    QString location; // the database file, or the PostgreSQL URL without secrets
    const Clock* clock = nullptr;
    std::unique_ptr<detail::Connection> connection;
    QByteArray openingNonce; // tells this opening's stateTag() from the next one's
    ItemStore::ChangeObserver observer;
    // The connection, opened again first when its server was lost.
    const QSqlDatabase& db() const;
    void changed(const ManagedCertificate* saved, const QString& id) const {
        if (observer)
            observer(saved, id);
    }
};
} // namespace ck::store
