#include "ApiResults.h"

#include "JsonReader.h"

#include <QJsonArray>

namespace ck {

namespace {
// A field the answer must have: its absence is an error, not a default.
void require(const QJsonObject& o, const JsonReader& r, const char* key,
             QList<FieldError>* errors) {
    if (!o.contains(QLatin1String(key)))
        errors->append({r.pathOf(key), QStringLiteral("is missing")});
}
} // namespace

QJsonObject RequestStarted::toJson() const {
    return {{"id", id}, {"status", ck::toString(status)}};
}

RequestStarted RequestStarted::fromJson(const QJsonObject& o, QList<FieldError>* errors) {
    RequestStarted started;
    JsonReader r(o, errors);
    require(o, r, "id", errors);
    require(o, r, "status", errors);
    r.read("id", started.id);
    r.readEnum("status", started.status, requestStateFromString);
    return started;
}

QJsonObject RenewalsStarted::toJson() const {
    QJsonArray skippedJson;
    for (const Skipped& s : skipped)
        skippedJson.append(QJsonObject{{"id", s.id}, {"reason", s.reason}});
    return {{"queued", QJsonArray::fromStringList(queued)}, {"skipped", skippedJson}};
}

RenewalsStarted RenewalsStarted::fromJson(const QJsonObject& o, QList<FieldError>* errors) {
    RenewalsStarted started;
    JsonReader r(o, errors);
    require(o, r, "queued", errors);
    require(o, r, "skipped", errors);
    r.read("queued", started.queued);
    r.readObjectArray("skipped", [&](JsonReader& sub) {
        Skipped s;
        require(sub.object(), sub, "id", errors);
        sub.read("id", s.id);
        sub.read("reason", s.reason);
        started.skipped.append(s);
    });
    return started;
}

StoredCredential storedCredentialFromJson(const QJsonObject& o, QList<FieldError>* errors) {
    StoredCredential c;
    JsonReader r(o, errors);
    for (const char* key : {"id", "type"})
        require(o, r, key, errors);
    r.read("id", c.id);
    r.read("title", c.title);
    r.read("type", c.type);
    r.read("fields", c.fields);
    r.read("secretFields", c.secretFields);
    r.read("dateCreated", c.dateCreated);
    return c;
}

QJsonObject credentialListToJson(const QList<StoredCredential>& list) {
    QJsonArray items;
    for (const StoredCredential& c : list)
        items.append(c.toJson());
    return {{"items", items}};
}

QJsonObject CredentialTest::toJson() const {
    return {{"ok", ok ? QJsonValue(*ok) : QJsonValue(QJsonValue::Null)},
            {"message", message},
            {"advice", advice}};
}

CredentialTest CredentialTest::fromJson(const QJsonObject& o, QList<FieldError>* errors) {
    CredentialTest test;
    JsonReader r(o, errors);
    require(o, r, "ok", errors);
    const QJsonValue ok = o.value(QLatin1String("ok"));
    if (ok.isBool())
        test.ok = ok.toBool();
    else if (!ok.isNull() && !ok.isUndefined())
        errors->append({QStringLiteral("ok"), QStringLiteral("must be true, false or null")});
    r.read("message", test.message);
    r.read("advice", test.advice);
    return test;
}

QJsonObject BackupExport::countsJson() const {
    return {{"items", counts.items},
            {"credentials", counts.credentials},
            {"certificateAuthorities", counts.certificateAuthorities},
            {"accounts", counts.accounts}};
}

BackupExport BackupExport::fromJson(const QJsonObject& o, QList<FieldError>* errors) {
    BackupExport exported;
    JsonReader r(o, errors);
    require(o, r, "package", errors);
    r.read("package", exported.package);
    if (o.contains(QLatin1String("package")) && exported.package.isEmpty())
        errors->append({QStringLiteral("package"), QStringLiteral("is empty")});
    r.read("fileName", exported.fileName);
    r.readObject("counts", [&](JsonReader& sub) {
        sub.read("items", exported.counts.items);
        sub.read("credentials", exported.counts.credentials);
        sub.read("certificateAuthorities", exported.counts.certificateAuthorities);
        sub.read("accounts", exported.counts.accounts);
    });
    r.read("warnings", exported.warnings);
    return exported;
}

} // namespace ck
