// Opening the PostgreSQL store, and what only PostgreSQL does: its change tag, its checks, and
// leaving backups to the database's administrator.

#include "store/PostgresItemStore.h"

#include "store/StoreInternal.h"

#include <QRandomGenerator>

namespace ck::store {

using namespace detail;

std::unique_ptr<PostgresItemStore> PostgresItemStore::open(const StoreSettings& settings,
                                                           const QString& password,
                                                           const Clock& clock) {
    auto impl = std::make_unique<Impl>();
    impl->engine = SqlEngine::Postgres;
    impl->location = settings.describe();
    impl->clock = &clock;
    impl->connection = std::make_unique<Connection>(settings, password);
    if (!impl->connection->isOpen())
        throw UnavailableError(
            QStringLiteral("Cannot connect to the database %1: %2")
                .arg(impl->location, impl->connection->openError().databaseText().trimmed()));
    const QSqlDatabase& db = impl->connection->db();
    // Names and JSON are UTF-8 whatever the server's default; times are stored as ISO text.
    exec(db, QStringLiteral("SET client_encoding TO 'UTF8'"));
    migrate(db, impl->location);
    if (!hasSchema(db))
        throw InternalError(
            QStringLiteral("%1 does not have the managed-items table").arg(impl->location));
    impl->openingNonce = QByteArray::number(QRandomGenerator::system()->generate64(), 36);
    return std::unique_ptr<PostgresItemStore>(new PostgresItemStore(std::move(impl)));
}

PostgresItemStore::PostgresItemStore(std::unique_ptr<Impl> impl) : SqlItemStore(std::move(impl)) {}

PostgresItemStore::~PostgresItemStore() = default;

QByteArray PostgresItemStore::stateTag() const {
    // Moved by a trigger on every row any service writes, in the writer's transaction.
    auto query =
        exec(d->db(), QStringLiteral("SELECT revision FROM certkeeper_revision WHERE id = 1"));
    if (!query.next())
        throwSqlError(QStringLiteral("read the store's change count"), query.lastError(), d->db());
    return d->openingNonce + ':' + QByteArray::number(query.value(0).toLongLong());
}

BackupResult PostgresItemStore::backup(const QDateTime& now) {
    BackupResult result;
    result.time = now;
    result.path = d->location;
    result.error = QStringLiteral("The PostgreSQL database is backed up by its administrator "
                                  "(pg_dump, or the server's own backups and replicas); "
                                  "Certkeeper makes no copy of it");
    return result;
}

QString PostgresItemStore::integrityCheck() const {
    // PostgreSQL keeps its own pages whole; what can be wrong here is a table the store needs.
    QSqlError error;
    try {
        if (!hasSchema(d->db(), &error))
            return QStringLiteral("the managed-items table cannot be read: %1")
                .arg(error.databaseText().trimmed());
    } catch (const DomainError& e) {
        return QStringLiteral("the check could not run: %1").arg(e.message());
    }
    return QStringLiteral("ok");
}

QString PostgresItemStore::location() const {
    return d->location;
}

} // namespace ck::store
