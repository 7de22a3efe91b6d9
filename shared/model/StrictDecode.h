#pragma once
// The one way to read JSON that came from the other side: strictly. A decoder gives the value
// and every field it could not read, by its JSON path; a caller that got errors treats the
// whole answer (or request) as unreadable. Qt Core only, for the clients and the service alike.

#include "ApiError.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>

#include <type_traits>

namespace ck {

template <typename T> struct Decoded {
    T value{};
    QList<FieldError> errors; // empty: `value` is what was sent
    bool ok() const { return errors.isEmpty(); }
};

// `decode` is `T(const QJsonObject&, QList<FieldError>*)`, or `T(const QJsonObject&)` for a
// type whose reading cannot fail (every field has a default).
template <typename Decode> auto decodeStrict(const QJsonObject& json, const Decode& decode) {
    if constexpr (std::is_invocable_v<Decode, const QJsonObject&, QList<FieldError>*>) {
        Decoded<std::decay_t<std::invoke_result_t<Decode, const QJsonObject&, QList<FieldError>*>>>
            d;
        d.value = decode(json, &d.errors);
        return d;
    } else {
        Decoded<std::decay_t<std::invoke_result_t<Decode, const QJsonObject&>>> d;
        d.value = decode(json);
        return d;
    }
}

// The objects of the array at `key` (absent: none), each decoded as decodeStrict does; the
// errors name their element, as "items[2].name".
template <typename Decode>
auto decodeArray(const QJsonObject& json, const QString& key, const Decode& decode,
                 QList<FieldError>* errors) {
    using T = decltype(decodeStrict(QJsonObject{}, decode).value);
    QList<T> list;
    const QJsonValue value = json.value(key);
    if (value.isUndefined() || value.isNull())
        return list;
    if (!value.isArray()) {
        errors->append({key, QStringLiteral("must be an array")});
        return list;
    }
    const QJsonArray array = value.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString path = QStringLiteral("%1[%2]").arg(key).arg(i);
        if (!array[i].isObject()) {
            errors->append({path, QStringLiteral("must be an object")});
            continue;
        }
        auto element = decodeStrict(array[i].toObject(), decode);
        for (const FieldError& e : element.errors)
            errors->append({path + QLatin1Char('.') + e.field, e.detail});
        list.append(std::move(element.value));
    }
    return list;
}

// "field: what is wrong; other: …", for a sentence that names what could not be read.
inline QString describeFieldErrors(const QList<FieldError>& errors) {
    QStringList parts;
    for (const auto& e : errors)
        parts.append(QStringLiteral("%1: %2").arg(e.field, e.detail));
    return parts.join(QStringLiteral("; "));
}

} // namespace ck
