// Start-up check of manageditems.db. A damaged file is read back as far as it can be, the newest
// good backup fills in the rest, a new database is built beside it, and only then is the damaged
// file quarantined and the new one renamed into its place, so an interruption at any point
// leaves either the damaged file or the new one under the live name, never a half-built one.

#include "store/StoreInternal.h"

#include "config/DataFile.h"

#include <QDir>
#include <QFileInfo>
#include <QMap>

namespace ck::store::detail {

namespace {
constexpr qint64 kChunkRows = 100;
// SQLite result codes that say the file is fine but cannot be used now or by this user:
// quarantining it would not help and would hide a good database.
constexpr int kSqlitePerm = 3, kSqliteBusy = 5, kSqliteLocked = 6, kSqliteNoMem = 7,
              kSqliteReadOnly = 8, kSqliteAuth = 23;
// Below this much free space an I/O error is taken for the full disk it most likely is: SQLite
// cannot even make its shared-memory file (32 KiB) then, and fails with SQLITE_IOERR, which
// would otherwise read as a damaged file and have a good database quarantined and rebuilt.
constexpr qint64 kNearlyFullBytes = 1024 * 1024;

enum class Verdict { Healthy, Damaged, Unusable, DiskFull };
struct Check {
    Verdict verdict = Verdict::Healthy;
    QString reason;
};

Check classify(const QString& dbPath, const QSqlError& error, const QString& what) {
    const QString words = error.databaseText().trimmed().isEmpty() ? error.text().trimmed()
                                                                   : error.databaseText().trimmed();
    const QString text = QStringLiteral("%1: %2").arg(what, words);
    const int code = sqliteCode(error);
    const qint64 free = freeBytesOn(QFileInfo(dbPath).absolutePath());
    if (code == kSqliteFull || (code == kSqliteIoErr && free >= 0 && free < kNearlyFullBytes))
        return {Verdict::DiskFull,
                QStringLiteral("The disk holding the data directory is full (%1 KiB free), and the "
                               "managed-items database cannot be opened without room for its "
                               "journal - %2. The database itself is left as it is: free some "
                               "space there and start the service again.")
                    .arg(std::max<qint64>(free, 0) / 1024)
                    .arg(text)};
    switch (code) {
    case kSqliteBusy:
    case kSqliteLocked:
        return {Verdict::Unusable,
                QStringLiteral("The managed-items database is in use by another process (is "
                               "another Certkeeper service using this data directory?) - %1")
                    .arg(text)};
    case kSqlitePerm:
    case kSqliteReadOnly:
    case kSqliteNoMem:
    case kSqliteAuth:
        return {Verdict::Unusable,
                QStringLiteral("The managed-items database cannot be used - %1").arg(text)};
    default:
        return {Verdict::Damaged, text};
    }
}

bool anyBackupExists(const QString& dbPath) {
    return QFileInfo::exists(backupPath(dbPath)) || QFileInfo::exists(oldBackupPath(dbPath));
}

Check checkLiveFile(const QString& dbPath) {
    const QFileInfo file(dbPath);
    if (file.isDir())
        return {Verdict::Unusable, QStringLiteral("%1 is a directory, not a database").arg(dbPath)};
    if (!file.isReadable() || !file.isWritable() || !QFileInfo(file.absolutePath()).isWritable())
        return {Verdict::Unusable,
                QStringLiteral("%1 or its directory cannot be read and written by this user; "
                               "give them to the user the service runs as, or fix their modes")
                    .arg(dbPath)};
    if (file.size() == 0 && !QFileInfo::exists(dbPath + QStringLiteral("-wal")) &&
        !anyBackupExists(dbPath)) {
        // Created by a start that stopped before the schema was written: nothing to lose.
        QFile::remove(dbPath);
        return {};
    }
    Connection connection(dbPath, Connection::Mode::ReadWrite);
    if (!connection.isOpen())
        return classify(dbPath, connection.openError(), QStringLiteral("it cannot be opened"));
    QSqlError error;
    const QString report = integrityCheck(connection.db(), &error);
    if (report.isEmpty())
        return classify(dbPath, error, QStringLiteral("its integrity check could not finish"));
    if (report != QLatin1String("ok"))
        return {Verdict::Damaged,
                QStringLiteral("integrity check: %1").arg(report.section(QLatin1Char('\n'), 0, 0))};
    if (!hasSchema(connection.db(), &error))
        return classify(dbPath, error, QStringLiteral("the managed-items table is missing"));
    return {};
}

struct RowsRead {
    QList<ManagedCertificate> items;
    bool complete = false; // every row slot was read without an error
};

// Reads rows whose rowids lie in [low, high]; false when SQLite fails anywhere in the range. One
// rowid is read by an equality seek, which never steps onto a neighbouring (maybe damaged) page.
bool readRange(QSqlQuery& query, qint64 low, qint64 high, QList<StoredRow>* rows) {
    const bool ok = low == high ? tryExec(query,
                                          QStringLiteral("SELECT id, json, version FROM manageditem"
                                                         " WHERE rowid = ?"),
                                          {low})
                                : tryExec(query,
                                          QStringLiteral("SELECT id, json, version FROM manageditem"
                                                         " WHERE rowid BETWEEN ? AND ?"),
                                          {low, high});
    if (!ok)
        return false;
    QList<StoredRow> found;
    while (query.next())
        found.append(
            {query.value(0).toString(), query.value(1).toString(), query.value(2).toLongLong()});
    if (query.lastError().isValid())
        return false;
    *rows += found;
    return true;
}

// Reads every row it can from a damaged file, range by range and, where a range fails, row by
// row, so one bad page costs only the rows on it.
RowsRead readDamagedRows(const QString& path) {
    RowsRead result;
    Connection connection(path, Connection::Mode::ReadOnly);
    if (!connection.isOpen())
        return result;
    QSqlQuery query(connection.db());
    qint64 maxRowid = 0;
    bool complete = true;
    if (tryExec(query, QStringLiteral("SELECT max(rowid) FROM manageditem")) && query.next()) {
        maxRowid = query.value(0).toLongLong();
    } else {
        QSqlQuery table(connection.db());
        if (!tryExec(table, QStringLiteral("SELECT 1 FROM manageditem LIMIT 0")))
            return result; // no table (or no schema) to read from
        // The right edge of the table is damaged: bound the rowids by the file's size (a row
        // takes well over 16 bytes).
        maxRowid = std::max<qint64>(1000, QFileInfo(path).size() / 16);
        complete = false;
    }
    query.finish();

    QList<StoredRow> rows;
    for (qint64 low = 1; low <= maxRowid; low += kChunkRows) {
        const qint64 high = std::min(maxRowid, low + kChunkRows - 1);
        if (readRange(query, low, high, &rows))
            continue;
        for (qint64 rowid = low; rowid <= high; ++rowid)
            if (!readRange(query, rowid, rowid, &rows))
                complete = false;
    }
    for (const auto& row : rows) {
        if (auto item = decodeRow(row))
            result.items.append(*item);
        else
            complete = false;
    }
    result.complete = complete;
    return result;
}

struct BackupRows {
    QString path;
    QDateTime takenAt;
    QList<ManagedCertificate> items;
};

std::optional<BackupRows> loadBackup(const QString& path, QString* whyNot) {
    const auto verified = verifyDatabaseFile(path);
    if (!verified.ok) {
        *whyNot = verified.error;
        return std::nullopt;
    }
    Connection connection(path, Connection::Mode::ReadOnly);
    BackupRows backup{path, {}, {}};
    QSqlQuery query(connection.db());
    if (!tryExec(query, QStringLiteral("SELECT id, json, version FROM manageditem"))) {
        *whyNot = query.lastError().text();
        return std::nullopt;
    }
    while (query.next())
        if (auto item = decodeRow({query.value(0).toString(), query.value(1).toString(),
                                   query.value(2).toLongLong()}))
            backup.items.append(*item);
    if (query.lastError().isValid()) {
        *whyNot = query.lastError().text();
        return std::nullopt;
    }
    if (tryExec(query, QStringLiteral("SELECT taken_at FROM backup_info")) && query.next())
        backup.takenAt = QDateTime::fromString(query.value(0).toString(), Qt::ISODateWithMs);
    if (!backup.takenAt.isValid())
        backup.takenAt = QFileInfo(path).lastModified();
    backup.takenAt = backup.takenAt.toUTC();
    return backup;
}

// The newest backup that passes its check: .bak, then .bak.old.
std::optional<BackupRows> newestGoodBackup(const QString& dbPath, QStringList* rejected) {
    for (const auto& path : {backupPath(dbPath), oldBackupPath(dbPath)}) {
        if (!QFileInfo::exists(path))
            continue;
        QString whyNot;
        if (auto backup = loadBackup(path, &whyNot))
            return backup;
        rejected->append(QStringLiteral("%1: %2").arg(QFileInfo(path).fileName(), whyNot));
    }
    return std::nullopt;
}

// Builds a complete database at `target` in one transaction.
void buildDatabase(const QString& target, const QList<ManagedCertificate>& items,
                   const QDateTime& now) {
    removeWithCompanions(target);
    QString error;
    if (!createPrivateFile(target, &error))
        throw InternalError(QStringLiteral("Cannot create %1: %2").arg(target, error));
    {
        Connection connection(target, Connection::Mode::ReadWrite);
        if (!connection.isOpen())
            throwSqlError(QStringLiteral("open %1").arg(target), connection.openError());
        const auto& db = connection.db();
        applyPragmas(db, false);
        migrate(db, target);
        WriteTransaction transaction(db);
        for (const auto& item : items)
            insertItem(db, item, now);
        transaction.commit();
    }
    if (!fsyncFile(target, &error))
        throw InternalError(error);
}

// Moves the damaged file and its companions aside: the companions first, so a stale -wal is
// never left beside a new database.
QString quarantine(const QString& dbPath, const QDateTime& now) {
    const QString base = dbPath + QStringLiteral(".damaged-") +
                         now.toUTC().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    auto taken = [](const QString& candidate) {
        if (QFileInfo::exists(candidate))
            return true;
        for (const auto& suffix : companionSuffixes())
            if (QFileInfo::exists(candidate + suffix))
                return true;
        return false;
    };
    QString target = base;
    for (int n = 2; taken(target); ++n)
        target = QStringLiteral("%1-%2").arg(base).arg(n);
    QString error;
    for (const auto& suffix : companionSuffixes())
        if (QFileInfo::exists(dbPath + suffix) &&
            !renameFile(dbPath + suffix, target + suffix, &error))
            throw InternalError(error);
    if (!renameFile(dbPath, target, &error))
        throw InternalError(error);
    return target;
}

void install(const QString& built, const QString& dbPath) {
    QString error;
    if (!renameFile(built, dbPath, &error) || !fsyncDirOf(dbPath, &error))
        throw InternalError(error);
}

// Backup rows, overlaid by the rows read back from the damaged file (those are newer; for the
// same id the higher version wins).
QList<ManagedCertificate> merge(const QList<ManagedCertificate>& fromBackup,
                                const QList<ManagedCertificate>& recovered, int* rowsFromBackup) {
    QMap<QString, std::pair<ManagedCertificate, bool>> byId; // item, came from the backup
    for (const auto& item : fromBackup)
        byId.insert(item.id, {item, true});
    for (const auto& item : recovered) {
        const auto it = byId.constFind(item.id);
        if (it == byId.cend() || it->first.version <= item.version)
            byId.insert(item.id, {item, false});
    }
    QList<ManagedCertificate> items;
    *rowsFromBackup = 0;
    for (const auto& [item, backupRow] : byId) {
        items.append(item);
        *rowsFromBackup += backupRow ? 1 : 0;
    }
    return items;
}

RecoveryEvent recoverDamaged(const QString& dbPath, const QString& reason, const QDateTime& now) {
    RecoveryFacts facts;
    facts.cause = RecoveryFacts::Cause::Damaged;
    facts.reason = reason;

    const RowsRead read = readDamagedRows(dbPath);
    facts.rowsRecovered = int(read.items.size());
    facts.readComplete = read.complete;
    const auto backup = newestGoodBackup(dbPath, &facts.rejectedBackups);
    if (backup) {
        facts.backupUsed = backup->path;
        facts.backupTime = backup->takenAt;
    }
    const auto items = merge(backup ? backup->items : QList<ManagedCertificate>{}, read.items,
                             &facts.rowsFromBackup);

    const QString built = rebuildPath(dbPath);
    buildDatabase(built, items, now);
    facts.quarantinedFile = quarantine(dbPath, now);
    install(built, dbPath);
    return describeRecovery(facts, now);
}

std::optional<RecoveryEvent> restoreMissing(const QString& dbPath, const QDateTime& now) {
    if (!anyBackupExists(dbPath))
        return std::nullopt; // a first start
    RecoveryFacts facts;
    facts.cause = RecoveryFacts::Cause::Missing;
    const auto backup = newestGoodBackup(dbPath, &facts.rejectedBackups);
    if (backup) {
        facts.backupUsed = backup->path;
        facts.backupTime = backup->takenAt;
        facts.rowsFromBackup = int(backup->items.size());
    }
    const QString built = rebuildPath(dbPath);
    buildDatabase(built, backup ? backup->items : QList<ManagedCertificate>{}, now);
    install(built, dbPath);
    return describeRecovery(facts, now);
}
} // namespace

std::optional<RecoveryEvent> checkAndRecover(const QString& dbPath, const Clock& clock) {
    // Something other than a file under the database's name (a FIFO, a device, a dangling link)
    // is not a damaged database: replacing it with an empty one would hide where the data went.
    if (const QString problem = irregularFileProblem(dbPath); !problem.isEmpty())
        throw InternalError(QStringLiteral("%1 %2. The service does not replace it with a new "
                                           "database; move it away (or restore the database there) "
                                           "and start again.")
                                .arg(dbPath, problem));
    if (!QFileInfo::exists(dbPath)) {
        // A -wal or -journal without its database is useless, and SQLite would replay it into
        // the new, empty file.
        for (const auto& suffix : companionSuffixes())
            QFile::remove(dbPath + suffix);
        return restoreMissing(dbPath, clock.now());
    }
    const Check check = checkLiveFile(dbPath);
    switch (check.verdict) {
    case Verdict::Healthy:
        return std::nullopt;
    case Verdict::Unusable:
        throw InternalError(check.reason);
    case Verdict::DiskFull:
        throw StorageFullError(check.reason);
    case Verdict::Damaged:
        break;
    }
    return recoverDamaged(dbPath, check.reason, clock.now());
}

} // namespace ck::store::detail
