#pragma once
// servers.json: the app's list of service connections. The service keeps the entry with id
// "local" true (its host, the port it actually bound, its token file), so the app follows the
// service when it had to move to another port.

#include "config/JsonFile.h"

#include <QList>
#include <QString>

#include <variant>

namespace ck {

struct ServerEntry {
    QString id = QStringLiteral("local");
    QString displayName = QStringLiteral("This computer");
    QString host = QStringLiteral("127.0.0.1");
    int port = 9696;
    bool useHttps = false;
    QString tokenFile;
    bool isDefault = true;

    QString baseUrl() const;
    bool operator==(const ServerEntry&) const = default;
};

struct ServersConfig {
    QList<ServerEntry> servers;

    const ServerEntry* defaultServer() const;
    const ServerEntry* find(const QString& id) const;

    static std::variant<ServersConfig, ConfigError> load(const QString& path);
    bool save(const QString& path, QString* error) const;

    // Inserts or updates the "local" entry; other entries are kept as they are.
    static bool updateLocalEntry(const QString& path, const QString& host, int port,
                                 const QString& tokenFile, QString* error);
};

} // namespace ck
