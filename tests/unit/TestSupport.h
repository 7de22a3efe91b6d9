#pragma once
// Helpers shared by the unit tests: Catch2 printing of Qt types (so a failed CHECK shows the
// values, not "{?}"), and small file helpers for QTemporaryDir.

#include "ApiError.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <catch2/catch.hpp>

namespace Catch {
template <> struct StringMaker<QString> {
    static std::string convert(const QString& s) { return '"' + s.toStdString() + '"'; }
};
template <> struct StringMaker<QStringList> {
    static std::string convert(const QStringList& l) {
        return "[" + l.join(QStringLiteral(", ")).toStdString() + "]";
    }
};
template <> struct StringMaker<QJsonObject> {
    static std::string convert(const QJsonObject& o) {
        return QJsonDocument(o).toJson(QJsonDocument::Compact).toStdString();
    }
};
template <> struct StringMaker<ck::FieldError> {
    static std::string convert(const ck::FieldError& e) {
        return "{" + e.field.toStdString() + ": " + e.detail.toStdString() + "}";
    }
};
} // namespace Catch

namespace cktest {

inline void writeFile(const QString& path, const QByteArray& content) {
    QFile f(path);
    REQUIRE(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    REQUIRE(f.write(content) == content.size());
}

inline QByteArray readFile(const QString& path) {
    QFile f(path);
    REQUIRE(f.open(QIODevice::ReadOnly));
    return f.readAll();
}

inline QJsonObject parseObject(const QByteArray& json) {
    QJsonParseError pe;
    const auto doc = QJsonDocument::fromJson(json, &pe);
    INFO(pe.errorString().toStdString());
    REQUIRE(doc.isObject());
    return doc.object();
}

// The fields of `errors`, in order: the part of an error callers rely on.
inline QStringList fieldsOf(const QList<ck::FieldError>& errors) {
    QStringList fields;
    for (const auto& e : errors)
        fields.append(e.field);
    return fields;
}

} // namespace cktest
