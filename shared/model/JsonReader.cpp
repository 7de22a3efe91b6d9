#include "model/JsonReader.h"

#include <algorithm>
#include <limits>

namespace ck {

QString JsonReader::pathOf(const char* key) const {
    return m_path.isEmpty() ? QString::fromLatin1(key)
                            : m_path + QLatin1Char('.') + QString::fromLatin1(key);
}

void JsonReader::require(std::initializer_list<const char*> keys) {
    for (const char* key : keys)
        if (!m_object.contains(QLatin1String(key)))
            fail(key, QStringLiteral("is missing"));
}

void JsonReader::fail(const char* key, const QString& detail) {
    m_errors->append({pathOf(key), detail});
}

QJsonValue JsonReader::lookUp(const char* key) {
    m_read.append(key);
    return m_object.value(QLatin1String(key));
}

QJsonValue JsonReader::present(const char* key) {
    const auto v = lookUp(key);
    return v.isNull() ? QJsonValue(QJsonValue::Undefined) : v;
}

QJsonObject JsonReader::unreadFields() const {
    QJsonObject extra;
    for (auto it = m_object.begin(); it != m_object.end(); ++it) {
        const QString key = it.key();
        const bool read = std::any_of(m_read.cbegin(), m_read.cend(),
                                      [&](const char* name) { return key == QLatin1String(name); });
        if (!read)
            extra.insert(key, it.value());
    }
    return extra;
}

void JsonReader::read(const char* key, QString& out) {
    const auto v = present(key);
    if (v.isUndefined())
        return;
    if (!v.isString())
        return fail(key, QStringLiteral("must be a string"));
    out = v.toString();
}

void JsonReader::read(const char* key, bool& out) {
    const auto v = present(key);
    if (v.isUndefined())
        return;
    if (!v.isBool())
        return fail(key, QStringLiteral("must be true or false"));
    out = v.toBool();
}

void JsonReader::read(const char* key, qint64& out) {
    const auto v = present(key);
    if (v.isUndefined())
        return;
    const double d = v.toDouble();
    // Range first: converting an out-of-range double to an integer is undefined. 2^53 is the
    // largest whole number a JSON double carries exactly.
    constexpr double kMaxExact = 9007199254740992.0;
    if (!v.isDouble() || d < -kMaxExact || d > kMaxExact ||
        d != static_cast<double>(static_cast<qint64>(d)))
        return fail(key, QStringLiteral("must be a whole number"));
    out = static_cast<qint64>(d);
}

void JsonReader::read(const char* key, int& out) {
    qint64 wide = out;
    const auto before = m_errors->size();
    read(key, wide);
    if (m_errors->size() != before)
        return;
    if (wide < std::numeric_limits<int>::min() || wide > std::numeric_limits<int>::max())
        return fail(key, QStringLiteral("is out of range"));
    out = static_cast<int>(wide);
}

void JsonReader::read(const char* key, QStringList& out) {
    const auto v = present(key);
    if (v.isUndefined())
        return;
    if (!v.isArray())
        return fail(key, QStringLiteral("must be an array of strings"));
    QStringList list;
    const auto arr = v.toArray();
    for (qsizetype i = 0; i < arr.size(); ++i) {
        if (!arr[i].isString()) {
            m_errors->append({QStringLiteral("%1[%2]").arg(pathOf(key)).arg(i),
                              QStringLiteral("must be a string")});
            continue;
        }
        list.append(arr[i].toString());
    }
    out = list;
}

void JsonReader::read(const char* key, QDateTime& out) {
    const auto v = present(key);
    if (v.isUndefined())
        return;
    const auto dt = QDateTime::fromString(v.toString(), Qt::ISODateWithMs);
    if (!v.isString() || !dt.isValid())
        return fail(key, QStringLiteral("must be a date and time in ISO 8601 form"));
    out = dt.toUTC();
}

void JsonReader::read(const char* key, QJsonObject& out) {
    const auto v = present(key);
    if (v.isUndefined())
        return;
    if (!v.isObject())
        return fail(key, QStringLiteral("must be an object"));
    out = v.toObject();
}

QJsonValue dateToJson(const QDateTime& dt) {
    if (!dt.isValid())
        return QJsonValue(QJsonValue::Null);
    return dt.toUTC().toString(Qt::ISODateWithMs);
}

QJsonObject withExtra(const QJsonObject& known, const QJsonObject& extra) {
    QJsonObject all = extra;
    for (auto it = known.begin(); it != known.end(); ++it)
        all.insert(it.key(), it.value());
    return all;
}

} // namespace ck
