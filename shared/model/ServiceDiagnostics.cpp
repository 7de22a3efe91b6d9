#include "model/ServiceDiagnostics.h"

#include "model/JsonReader.h"

#include <QJsonArray>

namespace ck {

namespace {
// The object at `key` decoded by a type's own strict reader, its errors under "key.".
template <typename T, typename Decode>
void readNested(const JsonReader& r, const char* key, T& out, Decode decode,
                QList<FieldError>* errors) {
    const QJsonValue v = r.object().value(QLatin1String(key));
    if (v.isUndefined() || v.isNull())
        return;
    if (!v.isObject()) {
        errors->append({r.pathOf(key), QStringLiteral("must be an object")});
        return;
    }
    QList<FieldError> inner;
    out = decode(v.toObject(), &inner);
    for (const FieldError& e : inner)
        errors->append({r.pathOf(key) + QLatin1Char('.') + e.field, e.detail});
}

ServiceConfig configFromJson(const QJsonObject& o, QList<FieldError>* errors) {
    auto read = ServiceConfig::fromJson(o, QStringLiteral("config"), QString());
    if (const auto* error = std::get_if<ConfigError>(&read)) {
        errors->append({error->field, error->detail});
        return {};
    }
    return std::get<ServiceConfig>(read);
}

void readDatabase(JsonReader& r, ServiceDiagnostics::Database& db) {
    r.read("path", db.path);
    r.read("integrity", db.integrity);
    r.read("itemCount", db.itemCount);
    r.readObject("lastBackup", [&](JsonReader& b) {
        b.read("ok", db.lastBackup.ok);
        b.read("path", db.lastBackup.path);
        b.read("time", db.lastBackup.time);
        b.read("rows", db.lastBackup.rows);
        b.read("error", db.lastBackup.error);
    });
    r.readObjectArray("recovery", [&](JsonReader& e) {
        ServiceDiagnostics::Recovery event;
        e.read("time", event.time);
        e.read("summary", event.summary);
        e.read("quarantinedFile", event.quarantinedFile);
        e.read("backupUsed", event.backupUsed);
        e.read("rowsRecovered", event.rowsRecovered);
        e.read("rowsFromBackup", event.rowsFromBackup);
        e.read("possiblyMissing", event.possiblyMissing);
        db.recovery.append(event);
    });
}

void readScheduler(JsonReader& r, ServiceDiagnostics::Scheduler& s) {
    r.read("lastRun", s.lastRun);
    r.read("nextRun", s.nextRun);
    r.read("checks", s.checks);
    r.read("automaticRenewal", s.automaticRenewal);
    r.read("intervalMinutes", s.intervalMinutes);
    r.read("maxParallelRenewals", s.maxParallelRenewals);
    r.read("itemsDue", s.itemsDue);
    r.read("running", s.running);
    r.read("waiting", s.waiting);
}
} // namespace

QJsonObject ServiceDiagnostics::Bind::toJson() const {
    return {{"host", host},
            {"requestedPort", requestedPort},
            {"boundPort", boundPort},
            {"negotiated", negotiated},
            {"reason", reason}};
}

QJsonObject ServiceDiagnostics::Backup::toJson() const {
    return {
        {"ok", ok}, {"path", path}, {"time", dateToJson(time)}, {"rows", rows}, {"error", error}};
}

QJsonObject ServiceDiagnostics::Recovery::toJson() const {
    return {{"time", dateToJson(time)},           {"summary", summary},
            {"quarantinedFile", quarantinedFile}, {"backupUsed", backupUsed},
            {"rowsRecovered", rowsRecovered},     {"rowsFromBackup", rowsFromBackup},
            {"possiblyMissing", possiblyMissing}};
}

QJsonObject ServiceDiagnostics::Scheduler::toJson() const {
    return {{"lastRun", dateToJson(lastRun)},
            {"nextRun", dateToJson(nextRun)},
            {"checks", checks},
            {"automaticRenewal", automaticRenewal},
            {"intervalMinutes", intervalMinutes},
            {"maxParallelRenewals", maxParallelRenewals},
            {"itemsDue", itemsDue},
            {"running", QJsonArray::fromStringList(running)},
            {"waiting", waiting}};
}

QJsonObject ServiceDiagnostics::toJson() const {
    QJsonArray recoveryJson;
    for (const Recovery& e : database.recovery)
        recoveryJson.append(e.toJson());
    return {{"product", product},
            {"version", version},
            {"libraries", QJsonArray::fromStringList(libraries)},
            {"pid", pid},
            {"dataDir", dataDir},
            {"systemMode", systemMode},
            {"startedAt", dateToJson(startedAt)},
            {"config", config.toJson()},
            {"bind", bind.toJson()},
            {"database", QJsonObject{{"path", database.path},
                                     {"integrity", database.integrity},
                                     {"itemCount", database.itemCount},
                                     {"lastBackup", database.lastBackup.toJson()},
                                     {"recovery", recoveryJson}}},
            {"notices", QJsonArray::fromStringList(notices)},
            {"outgoingProxy", outgoingProxy},
            {"edition", edition},
            {"license", license.toJson()},
            {"scheduler", scheduler.toJson()}};
}

ServiceDiagnostics ServiceDiagnostics::fromJson(const QJsonObject& o, QList<FieldError>* errors) {
    ServiceDiagnostics d;
    JsonReader r(o, errors);
    r.require({"version", "dataDir", "bind", "database"});
    r.read("product", d.product);
    r.read("version", d.version);
    r.read("libraries", d.libraries);
    r.read("pid", d.pid);
    r.read("dataDir", d.dataDir);
    r.read("systemMode", d.systemMode);
    r.read("startedAt", d.startedAt);
    readNested(r, "config", d.config, configFromJson, errors);
    r.readObject("bind", [&](JsonReader& b) {
        b.read("host", d.bind.host);
        b.read("requestedPort", d.bind.requestedPort);
        b.read("boundPort", d.bind.boundPort);
        b.read("negotiated", d.bind.negotiated);
        b.read("reason", d.bind.reason);
    });
    r.readObject("database", [&](JsonReader& db) { readDatabase(db, d.database); });
    r.read("notices", d.notices);
    r.read("outgoingProxy", d.outgoingProxy);
    r.read("edition", d.edition);
    readNested(r, "license", d.license, &LicenseInfo::fromJson, errors);
    r.readObject("scheduler", [&](JsonReader& s) { readScheduler(s, d.scheduler); });
    return d;
}

} // namespace ck
