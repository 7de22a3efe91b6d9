#include "config/StoreSettings.h"

#include <QFile>
#include <QFileInfo>
#include <QUrl>
#include <QUrlQuery>

#include <sys/stat.h>

namespace ck {

namespace {
// The libpq settings a URL may carry: TLS to the server, the time limit for connecting, and
// names that show in pg_stat_activity. Anything else (a password above all) is refused.
const QStringList kAllowedOptions{
    QStringLiteral("sslmode"),         QStringLiteral("sslrootcert"),
    QStringLiteral("sslcert"),         QStringLiteral("sslkey"),
    QStringLiteral("sslcrl"),          QStringLiteral("connect_timeout"),
    QStringLiteral("application_name")};

QString parseUrl(const QString& text, StoreSettings& s) {
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() ||
        (url.scheme() != QLatin1String("postgresql") && url.scheme() != QLatin1String("postgres")))
        return QStringLiteral("\"url\" must be a PostgreSQL URL such as "
                              "postgresql://certkeeper@db.example.net:5432/certkeeper");
    if (!url.password().isEmpty())
        return QStringLiteral("\"url\" must not hold the password: put it alone in a file that "
                              "only the service can read and name that file in \"passwordFile\"");
    if (url.host().isEmpty())
        return QStringLiteral("\"url\" names no database server host");
    if (url.userName().isEmpty())
        return QStringLiteral("\"url\" names no database user (postgresql://USER@host/database)");
    const QString database = url.path().mid(1);
    if (database.isEmpty() || database.contains(u'/'))
        return QStringLiteral("\"url\" names no database (postgresql://user@host/DATABASE)");
    const int port = url.port(5432);
    if (port < 1 || port > 65535)
        return QStringLiteral("\"url\" has a port outside 1-65535");
    s.host = url.host();
    s.port = port;
    s.database = database;
    s.user = url.userName();
    const QUrlQuery query(url);
    for (const auto& [key, value] : query.queryItems(QUrl::FullyDecoded)) {
        if (key == QLatin1String("password"))
            return QStringLiteral("\"url\" must not hold the password: name a file holding it "
                                  "in \"passwordFile\"");
        if (!kAllowedOptions.contains(key))
            return QStringLiteral("\"url\" has the option \"%1\", which is not one of: %2")
                .arg(key, kAllowedOptions.join(QStringLiteral(", ")));
        if (value.isEmpty() || value.contains(u';') || value.contains(u' '))
            return QStringLiteral("\"url\" has no usable value for \"%1\"").arg(key);
        s.options.append(key + u'=' + value);
    }
    s.url = text;
    return {};
}
} // namespace

QJsonObject StoreSettings::toJson() const {
    if (engine == Engine::Sqlite)
        return {{"engine", "sqlite"}};
    QJsonObject o{{"engine", "postgresql"}, {"url", url}};
    if (!passwordFile.isEmpty())
        o.insert("passwordFile", passwordFile);
    return o;
}

std::variant<StoreSettings, QString> StoreSettings::fromJson(const QJsonObject& o) {
    StoreSettings s;
    for (auto it = o.begin(); it != o.end(); ++it)
        if (it.key() != QLatin1String("engine") && it.key() != QLatin1String("url") &&
            it.key() != QLatin1String("passwordFile"))
            return QStringLiteral("has the unknown key \"%1\" (known: engine, url, passwordFile)")
                .arg(it.key());
    const QString engine = o.value("engine").toString();
    if (engine == QLatin1String("sqlite")) {
        if (o.contains("url") || o.contains("passwordFile"))
            return QStringLiteral("\"url\" and \"passwordFile\" are for the postgresql engine");
        return s;
    }
    if (engine != QLatin1String("postgresql"))
        return QStringLiteral("\"engine\" must be \"sqlite\" (the default) or \"postgresql\"");
    s.engine = Engine::Postgres;
    if (!o.value("url").isString())
        return QStringLiteral("\"url\" must name the PostgreSQL database, such as "
                              "postgresql://certkeeper@db.example.net:5432/certkeeper");
    if (const QString error = parseUrl(o.value("url").toString(), s); !error.isEmpty())
        return error;
    if (const auto file = o.value("passwordFile"); !file.isUndefined()) {
        if (!file.isString() || !QFileInfo(file.toString()).isAbsolute())
            return QStringLiteral("\"passwordFile\" must be the absolute path of a file");
        s.passwordFile = file.toString();
    }
    return s;
}

QString StoreSettings::describe() const {
    if (engine == Engine::Sqlite)
        return QStringLiteral("SQLite");
    return QStringLiteral("postgresql://%1@%2:%3/%4").arg(user, host).arg(port).arg(database);
}

QString readPasswordFile(const QString& path, QString* error) {
    struct stat st {};
    const QByteArray native = QFile::encodeName(path);
    if (::lstat(native.constData(), &st) != 0 || !S_ISREG(st.st_mode)) {
        *error = QStringLiteral("the password file %1 is missing or not a regular file").arg(path);
        return {};
    }
    if ((st.st_mode & 0077) != 0) {
        *error = QStringLiteral("the password file %1 may be read by others (mode %2); make it "
                                "readable by its owner only: chmod 600 %1")
                     .arg(path)
                     .arg(int(st.st_mode & 0777), 4, 8, QLatin1Char(u'0'));
        return {};
    }
    QFile file(path);
    if (st.st_size > 4096 || !file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("the password file %1 cannot be read").arg(path);
        return {};
    }
    const QString password = QString::fromUtf8(file.readLine(4096)).trimmed();
    if (password.isEmpty())
        *error = QStringLiteral("the password file %1 is empty").arg(path);
    return password;
}

} // namespace ck
