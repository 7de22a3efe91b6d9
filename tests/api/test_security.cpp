// The local API's gate: token, Host, Origin, content type, size and connection limits.

#include "ApiFixture.h"
#include "SseClient.h"

#include <QFile>
#include <QFileInfo>
#include <QTcpSocket>
#include <QThread>

using namespace ck::test;

TEST_CASE("appversion is the only route without a token", "[api][security]") {
    ApiFixture f;
    const auto version = f.http->send({"GET", "/api/system/appversion", {}, {}}, false);
    REQUIRE(version.status == 200);
    CHECK(version.json().value("product").toString() == "Certkeeper");
    CHECK_FALSE(version.json().value("version").toString().isEmpty());

    for (const char* target : {"/api/system/diagnostics", "/api/managedcertificates",
                               "/api/managedcertificates/summary", "/api/no-such-route"}) {
        const auto res = f.http->send({"GET", target, {}, {}}, false);
        INFO(target);
        CHECK(res.status == 401);
        CHECK(res.headers.at("content-type") == "application/problem+json");
        CHECK(res.detail().contains("token"));
    }
}

TEST_CASE("a wrong or malformed token is refused", "[api][security]") {
    ApiFixture f;
    const std::string good = f.service.token().toStdString();
    std::string flipped = good;
    flipped.back() = flipped.back() == 'a' ? 'b' : 'a';
    for (const std::string& header : std::vector<std::string>{
             "Bearer " + flipped, "Bearer " + good + "0", "Basic " + good, good, "Bearer "}) {
        INFO(header);
        const auto res =
            f.http->send({"GET", "/api/managedcertificates", {{"Authorization", header}}, {}});
        CHECK(res.status == 401);
        CHECK(res.detail().contains("not valid"));
    }
    CHECK(f.http->get("/api/managedcertificates").status == 200);
}

TEST_CASE("a foreign Host header is refused (DNS rebinding)", "[api][security]") {
    ApiFixture f;
    const std::string port = std::to_string(f.service.port());
    for (const std::string& host :
         std::vector<std::string>{"evil.example.com:" + port, "127.0.0.1:1", "127.0.0.1",
                                  "localhost.evil.com:" + port, ""}) {
        INFO(host);
        const auto res = f.http->send({"GET", "/api/system/appversion", {{"Host", host}}, {}});
        CHECK(res.status == 403);
    }
    for (const std::string& host :
         std::vector<std::string>{"localhost:" + port, "LOCALHOST:" + port, "127.0.0.1:" + port}) {
        INFO(host);
        CHECK(f.http->send({"GET", "/api/managedcertificates", {{"Host", host}}, {}}).status ==
              200);
    }
}

TEST_CASE("any Origin header is refused, even with a valid token", "[api][security]") {
    ApiFixture f;
    const std::string self = "http://127.0.0.1:" + std::to_string(f.service.port());
    for (const std::string& origin :
         std::vector<std::string>{self, "https://evil.example.com", "null"}) {
        INFO(origin);
        const auto res =
            f.http->send({"GET", "/api/managedcertificates", {{"Origin", origin}}, {}});
        CHECK(res.status == 403);
        CHECK(res.detail().contains("Origin"));
        CHECK(res.headers.count("access-control-allow-origin") == 0);
    }
}

TEST_CASE("state changes need a JSON body", "[api][security]") {
    ApiFixture f;
    const auto form = f.http->send({"POST",
                                    "/api/managedcertificates",
                                    {{"Content-Type", "application/x-www-form-urlencoded"}},
                                    "name=x"});
    CHECK(form.status == 415);
    const auto none = f.http->send({"POST", "/api/managedcertificates", {}, "{}"});
    CHECK(none.status == 415);
}

TEST_CASE("a body over the limit gets 413 and nothing is stored", "[api][security]") {
    ApiFixture f;
    // Announce 2 MiB but send only the start: the service must answer from the header alone.
    const std::string head =
        "POST /api/managedcertificates HTTP/1.1\r\nHost: 127.0.0.1:" +
        std::to_string(f.service.port()) + "\r\nAuthorization: Bearer " +
        f.service.token().toStdString() +
        "\r\nContent-Type: application/json\r\nContent-Length: 2097152\r\n\r\n{";
    const auto res = f.http->sendBytes(head + std::string(1000, ' '));
    CHECK(res.status == 413);
    CHECK(f.http->get("/api/managedcertificates").json().value("total").toInt() == 0);
}

TEST_CASE("garbage instead of HTTP does not disturb the service", "[api][security]") {
    ApiFixture f;
    // Answered 400 and closed (tests/api/test_protocol.cpp has the other malformed requests).
    const auto res = f.http->sendBytes("\x16\x03\x01\x02\x00 not http at all\r\n\r\n");
    CHECK(res.status == 400);
    CHECK(f.http->get("/api/system/appversion").status == 200);
}

TEST_CASE("idle connections give way to new clients; beyond busy ones the answer is 503",
          "[api][security]") {
    ck::test::ServiceProcess service;
    REQUIRE(service.writeServiceConfig(R"({"maxConnections": 3})"));
    REQUIRE(service.start());
    RawHttp http(service.port(), service.token().toStdString());

    // Connections that never send a request fill the cap, but a new client is still served:
    // the oldest idle one is closed to make room.
    std::vector<std::unique_ptr<QTcpSocket>> idle;
    for (int i = 0; i < 3; ++i) {
        idle.push_back(std::make_unique<QTcpSocket>());
        idle.back()->connectToHost("127.0.0.1", quint16(service.port()));
        REQUIRE(idle.back()->waitForConnected(5000));
    }
    QThread::msleep(200); // let the service accept them
    CHECK(http.get("/api/managedcertificates").status == 200);
    idle.clear();

    // Streams are never given up: three of them fill the cap, and the next client gets 503.
    std::vector<std::unique_ptr<SseClient>> streams;
    for (int i = 0; i < 3; ++i) {
        streams.push_back(
            std::make_unique<SseClient>(service.port(), service.token().toStdString()));
        REQUIRE(streams.back()->open() == 200);
    }
    const auto refused = http.get("/api/system/appversion");
    CHECK(refused.status == 503);
    CHECK(refused.detail().contains("too many open connections"));
    streams.clear();
    RawResponse after;
    for (int attempt = 0; attempt < 50 && after.status != 200; ++attempt) {
        after = http.get("/api/system/appversion");
        if (after.status != 200)
            QThread::msleep(20);
    }
    CHECK(after.status == 200);
}

TEST_CASE("the token and the data directory are private", "[api][security]") {
    ApiFixture f;
    const QFileInfo token(f.service.dataDir() + "/api.token");
    CHECK(token.permissions() ==
          (QFile::ReadOwner | QFile::WriteOwner | QFile::ReadUser | QFile::WriteUser));
    CHECK(f.service.token().size() == 64);
    const QFileInfo assets(f.service.dataDir() + "/assets");
    CHECK_FALSE(assets.permissions().testFlag(QFile::ReadOther));
    CHECK_FALSE(assets.permissions().testFlag(QFile::ReadGroup));
    const QFileInfo db(f.service.dataDir() + "/manageditems.db");
    CHECK_FALSE(db.permissions().testFlag(QFile::ReadOther));
    // The token never appears in the logs.
    QFile log(f.service.dataDir() + "/logs/service.log");
    REQUIRE(log.open(QIODevice::ReadOnly));
    CHECK_FALSE(log.readAll().contains(f.service.token().toLatin1()));
}
