#include "model/ApiResults.h"

#include "model/EnumNames.h"
#include "model/JsonReader.h"

#include <QJsonArray>

namespace ck {

namespace {
// In the order of the enums.
const char* const kImportActions[] = {"add", "replace", "skip"};
const char* const kBatchStatuses[] = {"created", "valid", "refused"};

void readCounts(JsonReader& r, BackupExport::Counts& counts) {
    r.read("items", counts.items);
    r.read("credentials", counts.credentials);
    r.read("certificateAuthorities", counts.certificateAuthorities);
    r.read("accounts", counts.accounts);
}
} // namespace

QJsonObject RequestStarted::toJson() const {
    return {{"id", id}, {"status", ck::toString(status)}};
}

RequestStarted RequestStarted::fromJson(const QJsonObject& o, QList<FieldError>* errors) {
    RequestStarted started;
    JsonReader r(o, errors);
    r.require({"id", "status"});
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
    r.require({"queued", "skipped"});
    r.read("queued", started.queued);
    r.readObjectArray("skipped", [&](JsonReader& sub) {
        Skipped s;
        sub.require({"id"});
        sub.read("id", s.id);
        sub.read("reason", s.reason);
        started.skipped.append(s);
    });
    return started;
}

StoredCredential storedCredentialFromJson(const QJsonObject& o, QList<FieldError>* errors) {
    StoredCredential c;
    JsonReader r(o, errors);
    r.require({"id", "type"});
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
    QJsonObject o{{"ok", ok ? QJsonValue(*ok) : QJsonValue(QJsonValue::Null)},
                  {"message", message}};
    if (!advice.isEmpty())
        o.insert("advice", advice);
    if (!zones.isEmpty())
        o.insert("zones", QJsonArray::fromStringList(zones));
    if (!cname.isEmpty())
        o.insert("cname", cname);
    return o;
}

CredentialTest CredentialTest::fromJson(const QJsonObject& o, QList<FieldError>* errors) {
    CredentialTest test;
    JsonReader r(o, errors);
    r.require({"ok"});
    const QJsonValue ok = o.value(QLatin1String("ok"));
    if (ok.isBool())
        test.ok = ok.toBool();
    else if (!ok.isNull() && !ok.isUndefined())
        errors->append({QStringLiteral("ok"), QStringLiteral("must be true, false or null")});
    r.read("message", test.message);
    r.read("advice", test.advice);
    r.read("zones", test.zones);
    r.read("cname", test.cname);
    return test;
}

BackupExport BackupExport::fromJson(const QJsonObject& o, QList<FieldError>* errors) {
    BackupExport exported;
    JsonReader r(o, errors);
    r.require({"package"});
    r.read("package", exported.package);
    if (o.contains(QLatin1String("package")) && exported.package.isEmpty())
        errors->append({QStringLiteral("package"), QStringLiteral("is empty")});
    r.read("fileName", exported.fileName);
    r.readObject("counts", [&](JsonReader& sub) { readCounts(sub, exported.counts); });
    r.read("warnings", exported.warnings);
    return exported;
}

QJsonObject BackupExport::Counts::toJson() const {
    return {{"items", items},
            {"credentials", credentials},
            {"certificateAuthorities", certificateAuthorities},
            {"accounts", accounts}};
}

QJsonObject BackupExport::toJson() const {
    return {{"package", package},
            {"fileName", fileName},
            {"counts", counts.toJson()},
            {"warnings", QJsonArray::fromStringList(warnings)}};
}

QJsonObject BackupImport::toJson() const {
    QJsonArray list;
    for (const Entry& e : entries)
        list.append(QJsonObject{{"kind", e.kind},
                                {"id", e.id},
                                {"title", e.title},
                                {"action", enumName(kImportActions, e.action)}});
    QJsonObject o{
        {"preview", preview},
        {"existing", replaceExisting ? "replace" : "skip"},
        {"entries", list},
        {"counts",
         QJsonObject{{"add", counts.add}, {"replace", counts.replace}, {"skip", counts.skip}}},
        {"itemsAdded", itemsAdded},
        {"package", QJsonObject{{"createdAt", dateToJson(package.createdAt)},
                                {"productVersion", package.productVersion},
                                {"counts", package.counts.toJson()}}}};
    if (!limitProblem.isEmpty())
        o.insert("limitProblem", limitProblem);
    return o;
}

BackupImport BackupImport::fromJson(const QJsonObject& o, QList<FieldError>* errors) {
    BackupImport plan;
    JsonReader r(o, errors);
    r.require({"preview", "entries", "counts"});
    r.read("preview", plan.preview);
    QString existing = QStringLiteral("skip");
    r.read("existing", existing);
    if (existing != QLatin1String("skip") && existing != QLatin1String("replace"))
        errors->append({QStringLiteral("existing"), QStringLiteral("must be skip or replace")});
    plan.replaceExisting = existing == QLatin1String("replace");
    r.readObjectArray("entries", [&](JsonReader& sub) {
        Entry e;
        sub.require({"kind", "id", "action"});
        sub.read("kind", e.kind);
        sub.read("id", e.id);
        sub.read("title", e.title);
        sub.readEnum("action", e.action, [](const QString& name) {
            return enumFromName<Action>(kImportActions, name);
        });
        plan.entries.append(e);
    });
    r.readObject("counts", [&](JsonReader& sub) {
        sub.read("add", plan.counts.add);
        sub.read("replace", plan.counts.replace);
        sub.read("skip", plan.counts.skip);
    });
    r.read("itemsAdded", plan.itemsAdded);
    r.read("limitProblem", plan.limitProblem);
    r.readObject("package", [&](JsonReader& sub) {
        sub.read("createdAt", plan.package.createdAt);
        sub.read("productVersion", plan.package.productVersion);
        sub.readObject("counts", [&](JsonReader& c) { readCounts(c, plan.package.counts); });
    });
    return plan;
}

QJsonObject BatchCreateResult::toJson() const {
    QJsonArray list;
    for (const Item& item : results) {
        QJsonObject o{{"index", item.index}, {"status", enumName(kBatchStatuses, item.status)}};
        if (!item.id.isEmpty())
            o.insert("id", item.id);
        if (item.status == Status::Refused) {
            o.insert("reason", item.reason);
            o.insert("errors", ck::toJson(item.errors));
        }
        if (item.limitReached)
            o.insert("limitReached", true);
        list.append(o);
    }
    return {{"dryRun", dryRun}, {"accepted", accepted}, {"refused", refused}, {"results", list}};
}

BatchCreateResult BatchCreateResult::fromJson(const QJsonObject& o, QList<FieldError>* errors) {
    BatchCreateResult batch;
    JsonReader r(o, errors);
    r.require({"dryRun", "accepted", "refused", "results"});
    r.read("dryRun", batch.dryRun);
    r.read("accepted", batch.accepted);
    r.read("refused", batch.refused);
    r.readObjectArray("results", [&](JsonReader& sub) {
        Item item;
        sub.require({"index", "status"});
        sub.read("index", item.index);
        sub.readEnum("status", item.status, [](const QString& name) {
            return enumFromName<Status>(kBatchStatuses, name);
        });
        sub.read("id", item.id);
        sub.read("reason", item.reason);
        sub.readObjectArray("errors", [&](JsonReader& fe) {
            FieldError error;
            fe.require({"field", "detail"});
            fe.read("field", error.field);
            fe.read("detail", error.detail);
            item.errors.append(error);
        });
        sub.read("limitReached", item.limitReached);
        batch.results.append(item);
    });
    return batch;
}

} // namespace ck
