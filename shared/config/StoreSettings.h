#pragma once
// Where the service keeps its managed certificates: serviceconfig.json's "store". SQLite in the
// data directory is the default and needs nothing; PostgreSQL lets several services share one
// database. The database password is never in the configuration: it is read from a file that
// only the service may read.
//
//   "store": {"engine": "postgresql",
//             "url": "postgresql://certkeeper@db.example.net:5432/certkeeper?sslmode=verify-full",
//             "passwordFile": "/etc/certkeeper/postgresql.password"}

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <variant>

namespace ck {

struct StoreSettings {
    enum class Engine { Sqlite, Postgres };
    Engine engine = Engine::Sqlite;

    // PostgreSQL only, read from `url`.
    QString url;
    QString host;
    int port = 5432;
    QString database;
    QString user;
    QStringList options; // libpq "key=value" settings from the URL's query (sslmode, ...)
    QString passwordFile;

    QJsonObject toJson() const;
    // The setting, or what is wrong with it in words that name the key at fault.
    static std::variant<StoreSettings, QString> fromJson(const QJsonObject& o);
    // "postgresql://user@host:port/database": the URL without its options, for logs and
    // diagnostics (it never holds a password).
    QString describe() const;
    bool operator==(const StoreSettings&) const = default;
};

// The password in `path`: the file's first line. The file must be a regular file that no one
// but its owner may read (as libpq asks of .pgpass). Returns the password, or empty with `error`.
QString readPasswordFile(const QString& path, QString* error);

} // namespace ck
