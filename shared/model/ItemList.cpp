#include "model/ItemList.h"

#include <QJsonArray>

namespace ck {

QUrlQuery ListQuery::toUrlQuery() const {
    QUrlQuery q;
    if (!search.isEmpty())
        q.addQueryItem(QStringLiteral("search"), search);
    if (health)
        q.addQueryItem(QStringLiteral("status"), toString(*health));
    if (offset != 0)
        q.addQueryItem(QStringLiteral("offset"), QString::number(offset));
    if (limit != kDefaultLimit)
        q.addQueryItem(QStringLiteral("limit"), QString::number(limit));
    return q;
}

ListQuery ListQuery::fromUrlQuery(const QUrlQuery& q, QList<FieldError>* errors) {
    ListQuery lq;
    lq.search = q.queryItemValue(QStringLiteral("search"), QUrl::FullyDecoded).trimmed();
    const QString status = q.queryItemValue(QStringLiteral("status"));
    if (!status.isEmpty()) {
        lq.health = healthFromString(status);
        if (!lq.health)
            errors->append({QStringLiteral("status"),
                            QStringLiteral("'%1' is not a status; use one of %2")
                                .arg(status, allHealthNames().join(QStringLiteral(", ")))});
    }
    auto readNumber = [&](const char* key, int& out, int min, int max) {
        const QString text = q.queryItemValue(QLatin1String(key));
        if (text.isEmpty())
            return;
        bool ok = false;
        const int v = text.toInt(&ok);
        if (!ok || v < min || v > max)
            errors->append(
                {QLatin1String(key),
                 QStringLiteral("must be a whole number from %1 to %2").arg(min).arg(max)});
        else
            out = v;
    };
    readNumber("offset", lq.offset, 0, std::numeric_limits<int>::max());
    readNumber("limit", lq.limit, 1, kMaxLimit);
    return lq;
}

QJsonObject ItemPage::toJson() const {
    QJsonArray arr;
    for (const auto& item : items)
        arr.append(ck::toJson(item));
    return {{"items", arr}, {"total", total}, {"offset", offset}, {"limit", limit}};
}

ItemPage ItemPage::fromJson(const QJsonObject& o, QList<FieldError>* errors) {
    ItemPage p;
    for (const auto& v : o.value("items").toArray())
        p.items.append(managedCertificateFromJson(v.toObject(), errors));
    p.total = o.value("total").toInt();
    p.offset = o.value("offset").toInt();
    p.limit = o.value("limit").toInt();
    return p;
}

QJsonObject ItemSummary::toJson() const {
    QJsonObject health;
    for (const auto& name : allHealthNames())
        health.insert(name, byHealth.value(*healthFromString(name), 0));
    return {{"total", total}, {"totalDomains", totalDomains}, {"byHealth", health}};
}

ItemSummary ItemSummary::fromJson(const QJsonObject& o) {
    ItemSummary s;
    s.total = o.value("total").toInt();
    s.totalDomains = o.value("totalDomains").toInt();
    const auto health = o.value("byHealth").toObject();
    for (auto it = health.begin(); it != health.end(); ++it)
        if (auto h = healthFromString(it.key()))
            s.byHealth.insert(*h, it.value().toInt());
    return s;
}

} // namespace ck
