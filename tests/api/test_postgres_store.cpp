// The service on a PostgreSQL store, end to end: two services on one database serve the same
// list and see each other's changes; a database that cannot be used stops the start with words
// that say why. Against a PostgreSQL server the test starts (tests/support/PostgresServer).

#include "ApiFixture.h"
#include "PostgresServer.h"

#include "config/FaultRecord.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QThread>

#include <csignal>

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

// The service as a plain child process, so that the test can go on while it waits (the
// service and the database server must both be started from the test's main thread: each dies
// with the thread that started it).
struct WaitingService {
    ServiceProcess files; // its data directory, serviceconfig.json and token
    QTemporaryDir logs;
    ManagedProcess process;
    int port = freeLoopbackPort();

    explicit WaitingService(const StoreSettings& settings) {
        REQUIRE(files.writeServiceConfig(configWith(settings)));
        REQUIRE(process.start(ServiceProcess::binaryPath(),
                              {"--data-dir", files.dataDir(), "--port", QString::number(port)},
                              logs.filePath("service.log")));
    }
    std::optional<FaultRecord> awaitFault() {
        std::optional<FaultRecord> fault;
        for (int i = 0; i < 300 && !fault && process.isRunning(); ++i) {
            QThread::msleep(100);
            fault = FaultRecord::read(files.dataDir());
        }
        return fault;
    }
};

StoreSettings atPort(StoreSettings settings, int port) {
    settings.port = port;
    settings.url = QStringLiteral("postgresql://%1@%2:%3/%4")
                       .arg(settings.user, settings.host)
                       .arg(port)
                       .arg(settings.database);
    return settings;
}

TEST_CASE("a service started before its database waits for it and says why", "[postgresql]") {
    PostgresServer server; // its own: this test stops it
    QString error;
    INFO(error.toStdString());
    REQUIRE(server.start(error));
    const StoreSettings settings = server.createDatabase(QStringLiteral("waited_for"), error);
    REQUIRE(settings.engine == StoreSettings::Engine::Postgres);
    server.stop();

    WaitingService service(settings);
    // Meanwhile it answers nothing, and its fault file tells the app why.
    const std::optional<FaultRecord> fault = service.awaitFault();
    INFO(service.process.output().toStdString());
    REQUIRE(fault);
    CHECK(fault->kind == "database");
    CHECK(fault->message.contains("Cannot connect to the database " + settings.describe()));
    CHECK(fault->message.contains("tries again"));
    CHECK(service.process.isRunning());

    REQUIRE(server.start(error)); // on the same port
    int status = 0;
    for (int i = 0; i < 600 && status != 200 && service.process.isRunning(); ++i) {
        QThread::msleep(100);
        if (QFile::exists(QDir(service.files.dataDir()).filePath("api.token")))
            status = RawHttp(service.port, service.files.token().toStdString())
                         .get("/api/managedcertificates")
                         .status;
    }
    CHECK(status == 200);
    CHECK_FALSE(FaultRecord::read(service.files.dataDir()));
}

TEST_CASE("a service waiting for its database stops at once when told to", "[postgresql]") {
    WaitingService service(atPort(newDatabase(databaseName()), freeLoopbackPort()));
    INFO(service.process.output().toStdString());
    REQUIRE(service.awaitFault());
    service.process.sendSignal(SIGTERM);
    CHECK(service.process.waitForExit(5000));
    CHECK(service.process.exitCode() == 0);
    CHECK(service.process.output().contains("while waiting for the database"));
}
