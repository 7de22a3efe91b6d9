// The service on a PostgreSQL store, end to end: two services on one database serve the same
// list and see each other's changes; a database that cannot be used stops the start with words
// that say why. Against a PostgreSQL server the test starts (tests/support/PostgresServer).

#include "ApiFixture.h"
#include "PostgresServer.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>

#include <sys/stat.h>

using namespace ck;
using namespace ck::test;

namespace {
StoreSettings newDatabase(const QString& name) {
    QString error;
    PostgresServer* server = PostgresServer::shared(error);
    INFO(error.toStdString());
    REQUIRE(server);
    const StoreSettings settings = server->createDatabase(name, error);
    INFO(error.toStdString());
    REQUIRE(settings.engine == StoreSettings::Engine::Postgres);
    return settings;
}

QByteArray configWith(const StoreSettings& settings) {
    return QJsonDocument(QJsonObject{{"store", settings.toJson()}}).toJson();
}

struct PostgresService {
    ServiceProcess service;
    std::unique_ptr<RawHttp> http;
    explicit PostgresService(const StoreSettings& settings) {
        REQUIRE(service.writeServiceConfig(configWith(settings)));
        if (!service.start())
            FAIL("service did not start:\n" << service.output().toStdString());
        http = std::make_unique<RawHttp>(service.port(), service.token().toStdString());
    }
};

QString databaseName() {
    static int counter = 0;
    return QStringLiteral("api_%1_%2").arg(::getpid()).arg(++counter);
}
} // namespace

TEST_CASE("two services on one PostgreSQL database serve one list", "[postgresql]") {
    const StoreSettings settings = newDatabase(databaseName());
    PostgresService a(settings);
    PostgresService b(settings);

    const RawResponse before = b.http->get("/api/managedcertificates");
    REQUIRE(before.status == 200);
    const std::string tag = before.headers.at("etag");

    const RawResponse created = a.http->post(
        "/api/managedcertificates",
        QJsonObject{{"name", "Shared shop"},
                    {"requestConfig",
                     QJsonObject{{"subjectAlternativeNames", QJsonArray{"shop.example.com"}}}}});
    REQUIRE(created.status == 201);
    const QString id = created.json().value("id").toString();

    // B answers from the same database, and its old tag is stale.
    const RawResponse listed = b.http->send(
        {"GET", "/api/managedcertificates?search=shop.example", {{"If-None-Match", tag}}, {}});
    REQUIRE(listed.status == 200);
    CHECK(listed.json().value("total").toInt() == 1);
    CHECK(listed.json().value("items").toArray().at(0).toObject().value("id").toString() == id);

    // A change on B shows on A, and a stale copy is a conflict wherever it is sent.
    QJsonObject item = b.http->get("/api/managedcertificates/" + id.toStdString()).json();
    QJsonObject stale = item;
    item.insert("comments", "edited on B");
    REQUIRE(b.http->put("/api/managedcertificates/" + id.toStdString(), item).status == 200);
    CHECK(a.http->get("/api/managedcertificates/" + id.toStdString())
              .json()
              .value("comments")
              .toString() == "edited on B");
    stale.insert("comments", "edited on A from an old copy");
    CHECK(a.http->put("/api/managedcertificates/" + id.toStdString(), stale).status == 409);

    // Diagnostics name the database (never its password) and say who backs it up.
    const QJsonObject database =
        a.http->get("/api/system/diagnostics").json().value("database").toObject();
    CHECK(database.value("path").toString() == settings.describe());
    CHECK(database.value("itemCount").toInt() == 1);
    CHECK(database.value("integrity").toString() == "ok");
    CHECK(database.value("lastBackup")
              .toObject()
              .value("error")
              .toString()
              .contains("backed up by its administrator"));
    QFile passwordFile(settings.passwordFile);
    REQUIRE(passwordFile.open(QIODevice::ReadOnly));
    const QByteArray password = passwordFile.readAll().trimmed();
    CHECK_FALSE(a.http->get("/api/system/diagnostics").body.find(password.toStdString()) !=
                std::string::npos);
    CHECK_FALSE(a.service.output().contains(QString::fromUtf8(password)));
    // Nothing was kept in SQLite beside it.
    CHECK_FALSE(QFile::exists(QDir(a.service.dataDir()).filePath("manageditems.db")));
}

TEST_CASE("a PostgreSQL store that cannot be used stops the start and says why", "[postgresql]") {
    StoreSettings settings = newDatabase(databaseName());

    SECTION("a password file others may read") {
        QTemporaryDir dir;
        const QString open = dir.filePath("password");
        REQUIRE(QFile::copy(settings.passwordFile, open));
        ::chmod(QFile::encodeName(open).constData(), 0644);
        settings.passwordFile = open;
        ServiceProcess service;
        REQUIRE(service.writeServiceConfig(configWith(settings)));
        CHECK(service.runToExit() != 0);
        CHECK(service.output().contains("chmod 600"));
    }
    SECTION("no server where the URL points") {
        settings.port = freeLoopbackPort();
        settings.url = QStringLiteral("postgresql://%1@127.0.0.1:%2/%3")
                           .arg(settings.user)
                           .arg(settings.port)
                           .arg(settings.database);
        ServiceProcess service;
        REQUIRE(service.writeServiceConfig(configWith(settings)));
        CHECK(service.runToExit() != 0);
        CHECK(service.output().contains("Cannot connect to the database " + settings.describe()));
    }
    SECTION("a password in the URL") {
        ServiceProcess service;
        QJsonObject store = settings.toJson();
        store.insert("url", QStringLiteral("postgresql://%1:pw@127.0.0.1:%2/%3")
                                .arg(settings.user)
                                .arg(settings.port)
                                .arg(settings.database));
        REQUIRE(service.writeServiceConfig(QJsonDocument(QJsonObject{{"store", store}}).toJson()));
        CHECK(service.runToExit() != 0);
        CHECK(service.output().contains("must not hold the password"));
    }
}
