// Opening the SQLite store, and what only SQLite does: its change tag, its checks.

#include "store/SqliteItemStore.h"
#include "store/StoreInternal.h"

#include "config/DataPaths.h"

#include <QDir>
#include <QFileInfo>
#include <QRandomGenerator>

namespace ck::store {

using namespace detail;

std::unique_ptr<SqliteItemStore>
SqliteItemStore::open(const QString& dataDir, QList<RecoveryEvent>* events, const Clock& clock) {
    const QString dir = QDir(dataDir).absolutePath();
    if (!QDir().mkpath(dir))
        throw InternalError(QStringLiteral("Cannot create the data directory %1").arg(dir));
    const QString dbPath = paths::file(dir, paths::kDatabase);
    // Left by a backup or a rebuild that was interrupted: never complete, never used.
    removeWithCompanions(backupTempPath(dbPath));
    removeWithCompanions(rebuildPath(dbPath));

    if (auto event = checkAndRecover(dbPath, clock); event && events)
        events->append(*event);

    auto impl = std::make_unique<Impl>();
    impl->engine = SqlEngine::Sqlite;
    impl->location = dbPath;
    impl->clock = &clock;
    impl->connection = openLiveDatabase(dbPath);
    impl->openingNonce = QByteArray::number(QRandomGenerator::system()->generate64(), 36);
    return std::unique_ptr<SqliteItemStore>(new SqliteItemStore(std::move(impl)));
}

SqliteItemStore::SqliteItemStore(std::unique_ptr<Impl> impl) : SqlItemStore(std::move(impl)) {}

SqliteItemStore::~SqliteItemStore() = default;

QByteArray SqliteItemStore::stateTag() const {
    // total_changes(): the rows this connection, the only writer, inserted, updated or deleted
    // since it opened (health refreshes included). data_version moves when another connection
    // commits (the file changed under us). Neither reads a page of the database.
    auto changes = exec(d->db(), QStringLiteral("SELECT total_changes()"));
    auto version = exec(d->db(), QStringLiteral("PRAGMA data_version"));
    if (!changes.next() || !version.next())
        throwSqlError(QStringLiteral("read the store's change count"), changes.lastError());
    return d->openingNonce + ':' + QByteArray::number(changes.value(0).toLongLong()) + ':' +
           QByteArray::number(version.value(0).toLongLong());
}

QString SqliteItemStore::integrityCheck() const {
    QSqlError error;
    const QString report = detail::integrityCheck(d->db(), &error);
    return report.isEmpty() ? QStringLiteral("the check could not run: %1").arg(error.text())
                            : report;
}

QString SqliteItemStore::location() const {
    return d->location;
}

} // namespace ck::store
