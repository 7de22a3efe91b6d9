// One item as one row: the JSON, the version and the columns derived from the item for search,
// paging, the due-scan and the health filter; its names in manageditem_domain.

#include "store/StoreInternal.h"

#include <QJsonDocument>

namespace ck::store::detail {

namespace {
QVariant dateColumn(const QDateTime& dt) {
    if (!dt.isValid())
        return QVariant(QMetaType(QMetaType::QString));
    return dt.toUTC().toString(Qt::ISODateWithMs);
}

QVariant textOrNull(const QString& text) {
    return text.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(text);
}

// name, primary_domain, date_expiry, next_renewal_due, status, name_key
QVariantList derivedColumns(const ManagedCertificate& item, const QDateTime& now) {
    return {item.name,
            textOrNull(item.domains().value(0)),
            dateColumn(item.dateExpiry),
            dateColumn(item.dateNextScheduledRenewalAttempt),
            toString(item.health(now)),
            searchKey(item.name)};
}

// What a search looks in: the case-folded name and every domain, a line each, in one row per
// item that an index made for substrings finds (see StoreDialect's migration 3).
QString searchText(const ManagedCertificate& item) {
    QStringList lines{searchKey(item.name)};
    for (const auto& domain : item.domains())
        lines.append(searchKey(domain));
    return lines.join(QLatin1Char('\n'));
}

void insertDomains(const QSqlDatabase& db, const ManagedCertificate& item) {
    QSqlQuery query(db);
    const QString sql =
        QStringLiteral("INSERT INTO manageditem_domain(item_id, domain) VALUES (?, ?)");
    for (const auto& domain : item.domains()) {
        QSqlError error;
        if (!tryExec(query, sql, {item.id, searchKey(domain)}, &error))
            throwSqlError(QStringLiteral("store the domains of %1").arg(item.id), error, db);
    }
    exec(db,
         QStringLiteral("INSERT INTO manageditem_search(item_id, name_key, text) VALUES (?, ?, ?)"),
         {item.id, searchKey(item.name), searchText(item)});
}
} // namespace

QString searchKey(const QString& text) {
    return text.toCaseFolded();
}

std::optional<ManagedCertificate> decodeRow(const StoredRow& row) {
    QJsonParseError parseError;
    const auto doc = QJsonDocument::fromJson(row.json.toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject() || row.id.isEmpty())
        return std::nullopt;
    QList<FieldError> errors;
    auto item = managedCertificateFromJson(doc.object(), &errors);
    if (!errors.isEmpty())
        return std::nullopt;
    item.id = row.id;
    item.version = row.version;
    return item;
}

QString encodeItem(const ManagedCertificate& item) {
    return QString::fromUtf8(QJsonDocument(toJson(item)).toJson(QJsonDocument::Compact));
}

void insertItem(const QSqlDatabase& db, const ManagedCertificate& item, const QDateTime& now) {
    QVariantList binds{item.id, encodeItem(item), item.version};
    binds += derivedColumns(item, now);
    exec(db,
         QStringLiteral("INSERT INTO manageditem(id, json, version, name, primary_domain,"
                        " date_expiry, next_renewal_due, status, name_key)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
         binds);
    insertDomains(db, item);
}

void updateItem(const QSqlDatabase& db, const ManagedCertificate& item, qint64 expectedVersion,
                const QDateTime& now) {
    QVariantList binds{encodeItem(item), item.version};
    binds += derivedColumns(item, now);
    binds += QVariantList{item.id, expectedVersion};
    auto query = exec(db,
                      QStringLiteral("UPDATE manageditem SET json = ?, version = ?, name = ?,"
                                     " primary_domain = ?, date_expiry = ?, next_renewal_due = ?,"
                                     " status = ?, name_key = ? WHERE id = ? AND version = ?"),
                      binds);
    if (query.numRowsAffected() != 1)
        throw InternalError(QStringLiteral("The managed-items database did not update %1 (%2 rows "
                                           "changed)")
                                .arg(item.id)
                                .arg(query.numRowsAffected()));
    exec(db, QStringLiteral("DELETE FROM manageditem_domain WHERE item_id = ?"), {item.id});
    exec(db, QStringLiteral("DELETE FROM manageditem_search WHERE item_id = ?"), {item.id});
    insertDomains(db, item);
}

} // namespace ck::store::detail
