// Start-up and shutdown: configuration errors, port negotiation, bind failure, database recovery.

#include "ApiFixture.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QTcpServer>
#include <QTcpSocket>

using namespace ck::test;

namespace {
QString readFile(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

void writeFile(const QString& path, const QByteArray& content) {
    QFile f(path);
    REQUIRE(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(content);
}

QJsonObject localServerEntry(const QString& dataDir) {
    const auto servers =
        QJsonDocument::fromJson(readFile(dataDir + "/servers.json").toUtf8()).array();
    for (const auto& s : servers)
        if (s.toObject().value("id") == "local")
            return s.toObject();
    return {};
}
} // namespace

TEST_CASE("first start creates the config with defaults and the servers.json entry",
          "[api][startup]") {
    ApiFixture f;
    const auto config =
        QJsonDocument::fromJson(readFile(f.service.dataDir() + "/serviceconfig.json").toUtf8())
            .object();
    CHECK(config.value("host").toString() == "127.0.0.1");
    CHECK(config.value("port").toInt() ==
          9696); // the file keeps the default; --port overrides this run
    CHECK(config.value("enableAutoPortNegotiation").toBool());
    const auto local = localServerEntry(f.service.dataDir());
    CHECK(local.value("port").toInt() == f.service.port());
    CHECK(local.value("tokenFile").toString() == f.service.dataDir() + "/api.token");
    CHECK(local.value("isDefault").toBool());
}

TEST_CASE("a malformed serviceconfig.json stops the service naming file, line and field",
          "[api][startup]") {
    SECTION("wrong type") {
        ServiceProcess service;
        writeFile(service.dataDir() + "/serviceconfig.json",
                  "{\n  \"host\": \"127.0.0.1\",\n  \"port\": \"nine\"\n}\n");
        CHECK(service.runToExit() == 1);
        const QString out = service.output();
        CHECK(out.contains("serviceconfig.json line 3, field \"port\""));
        CHECK(readFile(service.dataDir() + "/service.fault.json").contains("serviceconfig.json"));
    }
    SECTION("not JSON") {
        ServiceProcess service;
        writeFile(service.dataDir() + "/serviceconfig.json", "{\n  \"port\": 9696,\n  oops\n}\n");
        CHECK(service.runToExit() == 1);
        CHECK(service.output().contains("serviceconfig.json line 3"));
    }
}

TEST_CASE("a taken port moves the service and servers.json follows", "[api][startup]") {
    QTcpServer holder;
    REQUIRE(holder.listen(QHostAddress::LocalHost, 0));
    const int taken = holder.serverPort();
    ServiceProcess service;
    REQUIRE(service.start({"--port", QString::number(taken)}));
    CHECK(service.port() != taken);
    CHECK(service.port() > taken);
    CHECK(service.port() <= taken + 10);
    CHECK(localServerEntry(service.dataDir()).value("port").toInt() == service.port());
    const QString exceptions = readFile(service.dataDir() + "/logs/service.exceptions.log");
    CHECK(exceptions.contains(QString("instead of %1").arg(taken)));
    CHECK(exceptions.contains("held by"));

    RawHttp http(service.port(), service.token().toStdString());
    const auto diag = http.get("/api/system/diagnostics").json();
    CHECK(diag["bind"]["negotiated"].toBool());
    CHECK(diag["bind"]["requestedPort"].toInt() == taken);
    CHECK(diag["bind"]["reason"].toString().contains("in use"));
}

TEST_CASE("no free port: a fault record and a non-zero exit", "[api][startup]") {
    QTcpServer holder;
    REQUIRE(holder.listen(QHostAddress::LocalHost, 0));
    ServiceProcess service;
    writeFile(service.dataDir() + "/serviceconfig.json", R"({"enableAutoPortNegotiation": false})");
    CHECK(service.runToExit({"--port", QString::number(holder.serverPort())}) == 1);
    CHECK(service.output().contains("cannot listen"));
    const auto fault =
        QJsonDocument::fromJson(readFile(service.dataDir() + "/service.fault.json").toUtf8())
            .object();
    CHECK(fault.value("kind").toString() == "bind");
    CHECK(fault.value("message").toString().contains(QString::number(holder.serverPort())));

    // A later clean start removes the fault record.
    const int port = holder.serverPort();
    holder.close();
    INFO(service.output().toStdString());
    REQUIRE(service.start({"--port", QString::number(port)}));
    CHECK_FALSE(QFile::exists(service.dataDir() + "/service.fault.json"));
}

TEST_CASE("SIGTERM stops the service cleanly with exit 0", "[api][startup]") {
    ApiFixture f;
    REQUIRE(f.createItem("Kept", {"kept.example.com"}).status == 201);
    QTcpSocket idle; // an idle keep-alive connection must not hold up the stop
    idle.connectToHost("127.0.0.1", quint16(f.service.port()));
    REQUIRE(idle.waitForConnected(5000));
    CHECK(f.service.stop(10000));
    CHECK(f.service.output().contains("Stopped cleanly"));
    REQUIRE(f.service.start());
    RawHttp http(f.service.port(), f.service.token().toStdString());
    CHECK(http.get("/api/managedcertificates").json().value("total").toInt() == 1);
}

TEST_CASE("a corrupted database at start is restored from the backup and reported",
          "[api][startup][recovery]") {
    ServiceProcess service;
    REQUIRE(service.start());
    {
        RawHttp http(service.port(), service.token().toStdString());
        for (int i = 0; i < 5; ++i)
            REQUIRE(http.post("/api/managedcertificates",
                              QJsonObject{
                                  {"name", QString("Item %1").arg(i)},
                                  {"requestConfig",
                                   QJsonObject{{"subjectAlternativeNames",
                                                QJsonArray{QString("i%1.example.com").arg(i)}}}}})
                        .status == 201);
    }
    REQUIRE(service.stop());
    REQUIRE(service.start()); // this start's backup holds all 5 items
    REQUIRE(service.stop());

    // Clobber the database header: SQLite can no longer read it at all.
    QFile db(service.dataDir() + "/manageditems.db");
    REQUIRE(db.open(QIODevice::ReadWrite));
    db.write(QByteArray(100, '\x5a'));
    db.close();

    REQUIRE(service.start());
    RawHttp http(service.port(), service.token().toStdString());
    CHECK(http.get("/api/managedcertificates").json().value("total").toInt() == 5);
    const auto diag = http.get("/api/system/diagnostics").json();
    CHECK(diag["database"]["integrity"].toString() == "ok");
    const auto events = diag["database"]["recovery"].toArray();
    REQUIRE(events.size() == 1);
    const auto event = events.at(0).toObject();
    CHECK(event.value("rowsFromBackup").toInt() == 5);
    CHECK_FALSE(event.value("summary").toString().isEmpty());
    CHECK(QFile::exists(event.value("quarantinedFile").toString()));
    CHECK(readFile(service.dataDir() + "/logs/service.exceptions.log").contains("recovery"));
}
