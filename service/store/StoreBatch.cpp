// Many items in one transaction: a CSV import (new items) and a restored backup (items with
// their own ids). Either every item is written or, on an error, none is.

#include "store/StoreInternal.h"

#include <QUuid>

namespace ck::store {

using namespace detail;

namespace {
std::optional<qint64> storedVersion(const QSqlDatabase& db, const QString& id) {
    auto query = exec(db, QStringLiteral("SELECT version FROM manageditem WHERE id = ?"), {id});
    if (!query.next())
        return std::nullopt;
    return query.value(0).toLongLong();
}
} // namespace

bool SqlItemStore::contains(const QString& id) const {
    return storedVersion(d->db(), id).has_value();
}

QList<ManagedCertificate> SqlItemStore::createMany(QList<ManagedCertificate> items,
                                                   const QDateTime& now) {
    WriteTransaction transaction(d->db());
    for (auto& item : items) {
        item.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        item.version = 1;
        item.dateCreated = now;
        insertItem(d->db(), item, now);
    }
    transaction.commit();
    for (const auto& item : items)
        d->changed(&item, item.id);
    return items;
}

QStringList SqlItemStore::restore(const QList<ManagedCertificate>& items, bool replaceExisting,
                                  const QDateTime& now) {
    QList<ManagedCertificate> written;
    WriteTransaction transaction(d->db());
    for (ManagedCertificate item : items) {
        if (item.id.isEmpty())
            throw InvalidInputError(QStringLiteral("A restored managed certificate has no id"));
        const auto existing = storedVersion(d->db(), item.id);
        if (existing && !replaceExisting)
            continue;
        if (existing) {
            item.version = *existing + 1;
            updateItem(d->db(), item, *existing, now);
        } else {
            item.version = 1;
            insertItem(d->db(), item, now);
        }
        written << item;
    }
    transaction.commit();
    QStringList ids;
    for (const auto& item : written) {
        d->changed(&item, item.id);
        ids << item.id;
    }
    return ids;
}

} // namespace ck::store
