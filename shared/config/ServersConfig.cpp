#include "config/ServersConfig.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

namespace ck {

QString ServerEntry::baseUrl() const {
    const QString h = host.contains(u':') ? QStringLiteral("[%1]").arg(host) : host;
    return QStringLiteral("%1://%2:%3").arg(useHttps ? "https" : "http", h).arg(port);
}

const ServerEntry* ServersConfig::defaultServer() const {
    for (const auto& s : servers)
        if (s.isDefault)
            return &s;
    return servers.isEmpty() ? nullptr : &servers.first();
}

const ServerEntry* ServersConfig::find(const QString& id) const {
    for (const auto& s : servers)
        if (s.id == id)
            return &s;
    return nullptr;
}

std::variant<ServersConfig, ConfigError> ServersConfig::load(const QString& path) {
    auto r = readJsonFile(path);
    if (r.error)
        return *r.error;
    if (!r.document.isArray())
        return ConfigError{
            path, 1, {}, QStringLiteral("must hold a JSON array [ ... ] of servers")};
    ServersConfig cfg;
    const auto arr = r.document.array();
    for (qsizetype i = 0; i < arr.size(); ++i) {
        const auto o = arr[i].toObject();
        auto fail = [&](const char* field, const QString& detail) {
            return ConfigError{
                path, lineOfKey(r.text, QLatin1String(field), offsetOfArrayElement(r.text, int(i))),
                QStringLiteral("[%1].%2").arg(i).arg(QLatin1String(field)), detail};
        };
        if (!arr[i].isObject())
            return ConfigError{path, 0, QStringLiteral("[%1]").arg(i),
                               QStringLiteral("must be an object")};
        // A field of the wrong type is named, not quietly read as its default.
        const auto wrongType = [&](const char* field, QJsonValue::Type type) {
            const QJsonValue v = o.value(QLatin1String(field));
            return !v.isUndefined() && !v.isNull() && v.type() != type;
        };
        for (const char* field : {"id", "displayName", "host", "tokenFile"})
            if (wrongType(field, QJsonValue::String))
                return fail(field, QStringLiteral("must be text in quotes"));
        for (const char* field : {"useHttps", "isDefault"})
            if (wrongType(field, QJsonValue::Bool))
                return fail(field, QStringLiteral("must be true or false"));
        ServerEntry e;
        e.id = o.value("id").toString(e.id);
        e.displayName = o.value("displayName").toString(e.id);
        e.host = o.value("host").toString(e.host);
        const auto port = o.value("port");
        if (!port.isUndefined()) {
            if (!port.isDouble() || port.toInt() < 1 || port.toInt() > 65535)
                return fail("port", QStringLiteral("must be a whole number from 1 to 65535"));
            e.port = port.toInt();
        }
        e.useHttps = o.value("useHttps").toBool(false);
        e.tokenFile = o.value("tokenFile").toString();
        e.isDefault = o.value("isDefault").toBool(false);
        cfg.servers.append(e);
    }
    return cfg;
}

bool ServersConfig::save(const QString& path, QString* error) const {
    QJsonArray arr;
    for (const auto& s : servers)
        arr.append(QJsonObject{{"id", s.id},
                               {"displayName", s.displayName},
                               {"host", s.host},
                               {"port", s.port},
                               {"useHttps", s.useHttps},
                               {"tokenFile", s.tokenFile},
                               {"isDefault", s.isDefault}});
    return writeJsonFileAtomic(path, QJsonDocument(arr), error, 0644);
}

bool ServersConfig::updateLocalEntry(const QString& path, const QString& host, int port,
                                     const QString& tokenFile, QString* error) {
    ServersConfig cfg;
    if (QFileInfo::exists(path)) {
        auto loaded = load(path);
        // A damaged servers.json is replaced: the service's own entry must be right, and the
        // file only holds connection details the app can re-add.
        if (auto* ok = std::get_if<ServersConfig>(&loaded))
            cfg = *ok;
    }
    ServerEntry* local = nullptr;
    for (auto& s : cfg.servers)
        if (s.id == QLatin1String("local"))
            local = &s;
    if (!local) {
        cfg.servers.prepend(ServerEntry{});
        local = &cfg.servers.first();
        bool anyDefault = false;
        for (const auto& s : cfg.servers)
            anyDefault = anyDefault || (s.isDefault && &s != local);
        local->isDefault = !anyDefault;
    }
    local->host = host;
    local->port = port;
    local->tokenFile = tokenFile;
    return cfg.save(path, error);
}

} // namespace ck
