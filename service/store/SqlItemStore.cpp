// Reading and writing one item at a time, on either engine.

#include "store/StoreInternal.h"

#include <QUuid>

namespace ck::store {

using namespace detail;

namespace {
NotFoundError notFound(const QString& id) {
    return NotFoundError(QStringLiteral("No managed certificate has the id '%1'").arg(id));
}

// The row of `id`; `lockForWrite` (inside a write transaction) keeps another service from
// changing it until the transaction ends.
std::optional<StoredRow> findRow(const QSqlDatabase& db, const QString& id,
                                 bool lockForWrite = false) {
    auto query = exec(db,
                      QStringLiteral("SELECT id, json, version FROM manageditem WHERE id = ?") +
                          (lockForWrite ? rowLockSuffix(engineOf(db)) : QString()),
                      {id});
    if (!query.next()) {
        if (query.lastError().isValid())
            throwSqlError(QStringLiteral("read %1").arg(id), query.lastError(), db);
        return std::nullopt;
    }
    return StoredRow{query.value(0).toString(), query.value(1).toString(),
                     query.value(2).toLongLong()};
}

ManagedCertificate decodeOrThrow(const StoredRow& row) {
    auto item = decodeRow(row);
    if (!item)
        throw InternalError(QStringLiteral("The stored copy of managed certificate '%1' cannot be "
                                           "read (its JSON is damaged)")
                                .arg(row.id));
    return *item;
}
} // namespace

ManagedCertificate SqlItemStore::get(const QString& id) const {
    const auto row = findRow(d->db(), id);
    if (!row)
        throw notFound(id);
    return decodeOrThrow(*row);
}

ManagedCertificate SqlItemStore::create(ManagedCertificate item, const QDateTime& now) {
    item.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    item.version = 1;
    item.dateCreated = now;
    WriteTransaction transaction(d->db());
    insertItem(d->db(), item, d->clock->now());
    transaction.commit();
    // What a later get() returns: the item as its JSON reads back.
    auto stored = decodeOrThrow({item.id, encodeItem(item), item.version});
    d->changed(&stored, stored.id);
    return stored;
}

ManagedCertificate SqlItemStore::update(ManagedCertificate item) {
    WriteTransaction transaction(d->db());
    const auto row = findRow(d->db(), item.id, true);
    if (!row)
        throw notFound(item.id);
    if (row->version != item.version)
        throw ConflictError(
            QStringLiteral("This certificate was changed by someone else (your copy is "
                           "version %1, the saved one is version %2). Reload it and "
                           "apply your changes again.")
                .arg(item.version)
                .arg(row->version),
            QStringLiteral("version"));
    const auto stored = decodeOrThrow(*row);
    item.dateCreated = stored.dateCreated;
    item.version = row->version + 1;
    updateItem(d->db(), item, row->version, d->clock->now());
    transaction.commit();
    auto saved = decodeOrThrow({item.id, encodeItem(item), item.version});
    d->changed(&saved, saved.id);
    return saved;
}

QList<ManagedCertificate> SqlItemStore::updateMany(QList<ManagedCertificate> items) {
    WriteTransaction transaction(d->db());
    const QDateTime now = d->clock->now();
    QList<ManagedCertificate> saved;
    for (ManagedCertificate& item : items) {
        const auto row = findRow(d->db(), item.id, true);
        if (!row || row->version != item.version)
            continue;
        item.version = row->version + 1;
        updateItem(d->db(), item, row->version, now);
        saved.append(item);
    }
    transaction.commit();
    for (const ManagedCertificate& item : saved)
        d->changed(&item, item.id);
    return saved;
}

void SqlItemStore::remove(const QString& id) {
    WriteTransaction transaction(d->db());
    // The item's names in manageditem_domain go with it (ON DELETE CASCADE).
    auto query = exec(d->db(), QStringLiteral("DELETE FROM manageditem WHERE id = ?"), {id});
    if (query.numRowsAffected() < 1)
        throw notFound(id);
    transaction.commit();
    d->changed(nullptr, id);
}

SqlItemStore::SqlItemStore(std::unique_ptr<Impl> impl) : d(std::move(impl)) {}

SqlItemStore::~SqlItemStore() = default;

const QSqlDatabase& SqlItemStore::Impl::db() const {
    if (connectionLost(connection->db()) && !connection->reopen())
        throw UnavailableError(
            QStringLiteral("The database server at %1 cannot be reached: %2. Nothing was "
                           "changed; the service goes on trying.")
                .arg(location, connection->openError().databaseText().trimmed()));
    return connection->db();
}

void SqlItemStore::setChangeObserver(ChangeObserver observer) {
    d->observer = std::move(observer);
}

int SqlItemStore::count() const {
    auto query = exec(d->db(), QStringLiteral("SELECT count(*) FROM manageditem"));
    return query.next() ? query.value(0).toInt() : 0;
}

} // namespace ck::store
