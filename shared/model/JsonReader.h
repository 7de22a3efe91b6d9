#pragma once
// Strict reading of JSON objects: every field that is present must have the expected type, and
// each mismatch is recorded as a FieldError naming the field's path. Absent fields keep their
// defaults, so partial documents (from older versions) still load.

#include "ApiError.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>
#include <QVarLengthArray>

#include <initializer_list>

namespace ck {

class JsonReader {
public:
    JsonReader(const QJsonObject& object, QList<FieldError>* errors, QString path = {})
        : m_object(object), m_errors(errors), m_path(std::move(path)) {}

    void read(const char* key, QString& out);
    void read(const char* key, bool& out);
    void read(const char* key, int& out);
    void read(const char* key, qint64& out);
    void read(const char* key, QStringList& out);
    void read(const char* key, QDateTime& out);
    void read(const char* key, QJsonObject& out);

    // An enum by name: `parse(QString) -> std::optional<E>`; an unknown name is a field error and
    // leaves `out` unchanged.
    template <typename E, typename Parse> void readEnum(const char* key, E& out, Parse parse) {
        QString name;
        read(key, name);
        if (name.isEmpty())
            return;
        if (auto value = parse(name))
            out = *value;
        else
            fail(key, QStringLiteral("\"%1\" is not a known value").arg(name));
    }

    // Nested object: calls `decode(JsonReader&)` with the sub-path when present.
    template <typename F> void readObject(const char* key, F&& decode) {
        const auto v = lookUp(key);
        if (v.isUndefined() || v.isNull())
            return;
        if (!v.isObject())
            return fail(key, QStringLiteral("must be an object"));
        JsonReader sub(v.toObject(), m_errors, pathOf(key));
        decode(sub);
    }

    // Array of objects: calls `decode(JsonReader&)` for each element.
    template <typename F> void readObjectArray(const char* key, F&& decode) {
        const auto v = lookUp(key);
        if (v.isUndefined() || v.isNull())
            return;
        if (!v.isArray())
            return fail(key, QStringLiteral("must be an array"));
        const auto arr = v.toArray();
        for (qsizetype i = 0; i < arr.size(); ++i) {
            const QString elementPath = QStringLiteral("%1[%2]").arg(pathOf(key)).arg(i);
            if (!arr[i].isObject()) {
                m_errors->append({elementPath, QStringLiteral("must be an object")});
                continue;
            }
            JsonReader sub(arr[i].toObject(), m_errors, elementPath);
            decode(sub);
        }
    }

    // Fields the object must have: each one absent is an error ("is missing"), never a default.
    void require(std::initializer_list<const char*> keys);

    QString pathOf(const char* key) const;
    const QJsonObject& object() const { return m_object; }

    // The fields of the object that nothing asked for (this version does not know them): kept,
    // so that what a newer version sent goes back to it as it was. Noting what was read is much
    // cheaper than writing the object out again to compare, which a page of 500 items felt.
    QJsonObject unreadFields() const;

private:
    void fail(const char* key, const QString& detail);
    QJsonValue present(const char* key);
    QJsonValue lookUp(const char* key); // the value, noting that `key` was read

    QJsonObject m_object;
    QList<FieldError>* m_errors;
    QString m_path;
    QVarLengthArray<const char*, 48> m_read;
};
// `known` over `extra`: a field this version knows is always its own.
QJsonObject withExtra(const QJsonObject& known, const QJsonObject& extra);

// ISO 8601 with milliseconds and offset, UTC; empty for an invalid date.
QJsonValue dateToJson(const QDateTime& dt);

} // namespace ck
