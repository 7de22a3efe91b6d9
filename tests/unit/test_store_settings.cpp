// serviceconfig.json's "store": SQLite by default, or a PostgreSQL database named by a URL that
// never holds the password; the password comes from a file only its owner may read.

#include "TestSupport.h"
#include "config/ServiceConfig.h"

#include <QFile>
#include <QTemporaryDir>

#include <sys/stat.h>

using namespace ck;

namespace {
QString storeError(const QJsonObject& store) {
    auto parsed = StoreSettings::fromJson(store);
    REQUIRE(std::holds_alternative<QString>(parsed));
    return std::get<QString>(parsed);
}

StoreSettings storeFor(const QJsonObject& store) {
    auto parsed = StoreSettings::fromJson(store);
    if (const auto* error = std::get_if<QString>(&parsed))
        FAIL(error->toStdString());
    return std::get<StoreSettings>(parsed);
}
} // namespace

TEST_CASE("the store is SQLite unless PostgreSQL is named", "[config][store]") {
    const ServiceConfig defaults;
    CHECK(defaults.store.engine == StoreSettings::Engine::Sqlite);
    CHECK(defaults.toJson().value("store").toObject() == QJsonObject{{"engine", "sqlite"}});
    CHECK(storeFor({{"engine", "sqlite"}}) == StoreSettings{});
}

TEST_CASE("a PostgreSQL URL gives the server, the database, the user and libpq options",
          "[config][store]") {
    const StoreSettings s =
        storeFor({{"engine", "postgresql"},
                  {"url", "postgresql://certkeeper@db.example.net:6543/certs?sslmode=verify-full&"
                          "sslrootcert=/etc/certkeeper/db-ca.pem"},
                  {"passwordFile", "/etc/certkeeper/postgresql.password"}});
    CHECK(s.engine == StoreSettings::Engine::Postgres);
    CHECK(s.host == "db.example.net");
    CHECK(s.port == 6543);
    CHECK(s.database == "certs");
    CHECK(s.user == "certkeeper");
    CHECK(s.options == QStringList{"sslmode=verify-full", "sslrootcert=/etc/certkeeper/db-ca.pem"});
    CHECK(s.passwordFile == "/etc/certkeeper/postgresql.password");
    CHECK(s.describe() == "postgresql://certkeeper@db.example.net:6543/certs");
    CHECK(storeFor(s.toJson()) == s); // written back as read
    CHECK(storeFor({{"engine", "postgresql"}, {"url", "postgres://u@h/d"}}).port == 5432);
}

TEST_CASE("a store setting that cannot work is refused with what to change", "[config][store]") {
    CHECK(storeError({{"engine", "postgresql"}, {"url", "postgresql://u:secret@h/d"}})
              .contains("must not hold the password"));
    CHECK_FALSE(storeError({{"engine", "postgresql"}, {"url", "postgresql://u:secret@h/d"}})
                    .contains("secret"));
    CHECK(storeError({{"engine", "postgresql"}, {"url", "postgresql://u@h/d?password=x"}})
              .contains("passwordFile"));
    CHECK(storeError({{"engine", "postgresql"}, {"url", "postgresql://u@h/d?options=-c%20x"}})
              .contains("not one of"));
    CHECK(storeError({{"engine", "postgresql"}, {"url", "postgresql://u@h/"}})
              .contains("names no database"));
    CHECK(storeError({{"engine", "postgresql"}, {"url", "postgresql://h/d"}})
              .contains("names no database user"));
    CHECK(storeError({{"engine", "postgresql"}, {"url", "mysql://u@h/d"}})
              .contains("PostgreSQL URL"));
    CHECK(storeError({{"engine", "postgresql"}}).contains("\"url\""));
    CHECK(storeError({{"engine", "postgresql"},
                      {"url", "postgresql://u@h/d"},
                      {"passwordFile", "relative/path"}})
              .contains("absolute path"));
    CHECK(storeError({{"engine", "oracle"}}).contains("\"sqlite\""));
    CHECK(storeError({{"engine", "sqlite"}, {"url", "postgresql://u@h/d"}})
              .contains("postgresql engine"));
    CHECK(storeError({{"engine", "sqlite"}, {"path", "/x"}}).contains("unknown key \"path\""));

    // In serviceconfig.json the error names the file, the line and the field.
    QTemporaryDir dir;
    const QString path = dir.filePath("serviceconfig.json");
    cktest::writeFile(path, "{\n  \"port\": 9696,\n  \"store\": {\"engine\": \"postgresql\",\n"
                            "  \"url\": \"postgresql://u:pw@h/d\"}\n}\n");
    auto loaded = ServiceConfig::loadOrCreate(path);
    REQUIRE(std::holds_alternative<ConfigError>(loaded));
    const ConfigError error = std::get<ConfigError>(loaded);
    CHECK(error.field == "store");
    CHECK(error.line == 3);
    CHECK(error.message().contains("must not hold the password"));
}

TEST_CASE("the password file must be private, present and not empty", "[config][store]") {
    QTemporaryDir dir;
    const QString path = dir.filePath("postgresql.password");
    QString error;
    CHECK(readPasswordFile(path, &error).isEmpty());
    CHECK(error.contains("missing"));

    cktest::writeFile(path, "s3cret-pass\nignored second line\n");
    ::chmod(QFile::encodeName(path).constData(), 0644);
    error.clear();
    CHECK(readPasswordFile(path, &error).isEmpty());
    CHECK(error.contains("chmod 600"));
    CHECK(error.contains("0644"));
    CHECK_FALSE(error.contains("s3cret"));

    ::chmod(QFile::encodeName(path).constData(), 0600);
    error.clear();
    CHECK(readPasswordFile(path, &error) == "s3cret-pass");
    CHECK(error.isEmpty());

    cktest::writeFile(path, "\n");
    ::chmod(QFile::encodeName(path).constData(), 0600);
    error.clear();
    CHECK(readPasswordFile(path, &error).isEmpty());
    CHECK(error.contains("empty"));

    const QString link = dir.filePath("link.password");
    QFile::link(path, link);
    error.clear();
    CHECK(readPasswordFile(link, &error).isEmpty());
    CHECK(error.contains("not a regular file"));
}
