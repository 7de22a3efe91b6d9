// Reading many items: the paged, searchable list, the summary and the health refresh.

#include "store/StoreInternal.h"

#include <QJsonDocument>

#include <algorithm>

namespace ck::store {

using namespace detail;

namespace {
InternalError damagedItem(const QString& id) {
    return InternalError(
        QStringLiteral("The stored copy of managed certificate '%1' cannot be read "
                       "(its JSON is damaged)")
            .arg(id));
}

// A LIKE pattern matching `text` anywhere, with LIKE's own wildcards taken literally.
QString containsPattern(const QString& text) {
    QString escaped;
    escaped.reserve(text.size() + 2);
    for (const QChar c : text) {
        if (c == QLatin1Char('\\') || c == QLatin1Char('%') || c == QLatin1Char('_'))
            escaped.append(QLatin1Char('\\'));
        escaped.append(c);
    }
    return QLatin1Char('%') + escaped + QLatin1Char('%');
}

// The items a list query selects, as SQL: which rows (FROM and WHERE) and in which order, the
// matching item's id being `id`. Only fixed SQL text, every value bound.
struct Selection {
    QString rows;  // " FROM ... WHERE ..."
    QString id;    // the column holding the item's id
    QString order; // " ORDER BY ..."
    QVariantList binds;
};

Selection selectionFor(const ListQuery& query) {
    Selection selection;
    QStringList conditions;
    if (query.search.isEmpty()) {
        selection.rows = QStringLiteral(" FROM manageditem m");
        selection.id = QStringLiteral("m.id");
        selection.order = QStringLiteral(" ORDER BY m.name_key, m.id");
    } else {
        // One narrow row per item holds its folded name and domains, and its name key: the
        // search and its order need nothing else (on PostgreSQL a trigram index finds the
        // rows; SQLite scans the narrow table rather than every item's JSON).
        selection.rows = QStringLiteral(" FROM manageditem_search s");
        if (query.health)
            selection.rows += QStringLiteral(" JOIN manageditem m ON m.id = s.item_id");
        selection.id = QStringLiteral("s.item_id");
        selection.order = QStringLiteral(" ORDER BY s.name_key, s.item_id");
        conditions.append(QStringLiteral("s.text LIKE ? ESCAPE '\\'"));
        selection.binds << containsPattern(searchKey(query.search));
    }
    if (query.health) {
        conditions.append(QStringLiteral("m.status = ?"));
        selection.binds << toString(*query.health);
    }
    if (!conditions.isEmpty())
        selection.rows += QStringLiteral(" WHERE ") + conditions.join(QStringLiteral(" AND "));
    return selection;
}
} // namespace

ItemPage SqlItemStore::list(const ListQuery& query) const {
    const RawItemPage raw = listRaw(query);
    ItemPage page;
    page.total = raw.total;
    page.offset = raw.offset;
    page.limit = raw.limit;
    page.items.reserve(raw.items.size());
    for (const QByteArray& json : raw.items) {
        QList<FieldError> errors;
        const QJsonObject object = QJsonDocument::fromJson(json).object();
        page.items.append(managedCertificateFromJson(object, &errors));
        if (!errors.isEmpty() || page.items.last().id.isEmpty())
            throw damagedItem(object.value("id").toString());
    }
    return page;
}

RawItemPage SqlItemStore::listRaw(const ListQuery& query) const {
    RawItemPage page;
    page.offset = std::max(0, query.offset);
    page.limit = std::clamp(query.limit, 0, ListQuery::kMaxLimit);
    const Selection selection = selectionFor(query);

    // One read transaction, so the total and the page agree.
    exec(d->db(), beginReadSql(d->engine));
    try {
        {
            auto total =
                exec(d->db(), QStringLiteral("SELECT count(*)") + selection.rows, selection.binds);
            page.total = total.next() ? total.value(0).toInt() : 0;
        }
        // The page's ids first, in order; then the JSON of those only, so a search that matches
        // thousands never sorts their JSON. A damaged row fails the page with its id instead of
        // breaking the client's parse.
        auto rows = exec(d->db(),
                         QStringLiteral("SELECT o.id, ") + jsonForPageColumns(d->engine) +
                             QStringLiteral(" FROM manageditem o WHERE o.id IN (SELECT ") +
                             selection.id + selection.rows + selection.order +
                             QStringLiteral(" LIMIT ? OFFSET ?) ORDER BY o.name_key, o.id"),
                         selection.binds + QVariantList{page.limit, page.offset});
        while (rows.next()) {
            if (rows.value(1).toInt() != 1)
                throw damagedItem(rows.value(0).toString());
            page.items.append(rows.value(2).toByteArray());
        }
        if (rows.lastError().isValid())
            throwSqlError(QStringLiteral("list"), rows.lastError(), d->db());
    } catch (...) {
        QSqlQuery(d->db()).exec(QStringLiteral("ROLLBACK"));
        throw;
    }
    exec(d->db(), QStringLiteral("COMMIT"));
    return page;
}

QByteArray RawItemPage::toJsonBytes() const {
    qsizetype size = 64;
    for (const QByteArray& item : items)
        size += item.size() + 1;
    QByteArray out;
    out.reserve(size);
    out.append("{\"items\":[");
    for (qsizetype i = 0; i < items.size(); ++i) {
        if (i > 0)
            out.append(',');
        out.append(items[i]);
    }
    out.append("],\"total\":").append(QByteArray::number(total));
    out.append(",\"offset\":").append(QByteArray::number(offset));
    out.append(",\"limit\":").append(QByteArray::number(limit)).append('}');
    return out;
}

ItemSummary SqlItemStore::summary() const {
    ItemSummary summary;
    exec(d->db(), beginReadSql(d->engine));
    try {
        {
            auto domains = exec(d->db(), QStringLiteral("SELECT count(*) FROM manageditem_domain"));
            summary.totalDomains = domains.next() ? domains.value(0).toInt() : 0;
        }
        auto byStatus = exec(
            d->db(), QStringLiteral("SELECT status, count(*) FROM manageditem GROUP BY status"));
        // The total is the sum of the groups: one scan of the table instead of two.
        while (byStatus.next()) {
            summary.total += byStatus.value(1).toInt();
            if (const auto health = healthFromString(byStatus.value(0).toString()))
                summary.byHealth[*health] += byStatus.value(1).toInt();
        }
    } catch (...) {
        QSqlQuery(d->db()).exec(QStringLiteral("ROLLBACK"));
        throw;
    }
    exec(d->db(), QStringLiteral("COMMIT"));
    return summary;
}

QList<ManagedCertificate> SqlItemStore::all() const {
    QList<ManagedCertificate> items;
    auto rows = exec(d->db(), QStringLiteral("SELECT id, json, version FROM manageditem"));
    while (rows.next())
        if (const auto item = decodeRow(
                {rows.value(0).toString(), rows.value(1).toString(), rows.value(2).toLongLong()}))
            items.append(*item);
    if (rows.lastError().isValid())
        throwSqlError(QStringLiteral("read every item"), rows.lastError(), d->db());
    return items;
}

int SqlItemStore::refreshHealth(const QDateTime& now) {
    WriteTransaction transaction(d->db());
    QList<std::pair<QString, QString>> changes; // id, new status
    {
        auto rows =
            exec(d->db(), QStringLiteral("SELECT id, json, version, status FROM manageditem"));
        while (rows.next()) {
            const auto item = decodeRow(
                {rows.value(0).toString(), rows.value(1).toString(), rows.value(2).toLongLong()});
            if (!item)
                continue; // get() reports it; a damaged row must not stop the others
            const QString status = toString(item->health(now));
            if (status != rows.value(3).toString())
                changes.append({item->id, status});
        }
        if (rows.lastError().isValid())
            throwSqlError(QStringLiteral("read for the health refresh"), rows.lastError(), d->db());
    }
    for (const auto& [id, status] : changes)
        exec(d->db(), QStringLiteral("UPDATE manageditem SET status = ? WHERE id = ?"),
             {status, id});
    transaction.commit();
    return int(changes.size());
}

} // namespace ck::store
