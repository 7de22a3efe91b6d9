// The HTTP layer under hostile or broken clients: every part of a request is bounded before
// the token is checked, the token is checked before a body is read, and a request that is not
// HTTP/1.1 gets an answer (400, 408, 431, 505) and a closed connection, never a crash.

#include "ApiFixture.h"
#include "Sanitizers.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTcpSocket>

using namespace ck::test;

namespace {

std::string hostLine(const ApiFixture& f) {
    return "Host: 127.0.0.1:" + std::to_string(f.service.port()) + "\r\n";
}

std::string tokenLine(const ApiFixture& f) {
    return "Authorization: Bearer " + f.service.token().toStdString() + "\r\n";
}

// The service answers, and still serves the next client: it did not crash.
void requireServing(const ApiFixture& f) {
    REQUIRE(f.service.isRunning());
    REQUIRE(f.http->get("/api/system/appversion").status == 200);
}

} // namespace

TEST_CASE("a huge trailer field is refused without ending the service", "[api][protocol]") {
    ApiFixture f;
    // One 70 KiB trailer field: more than an HTTP field may hold in Beast, which used to throw
    // out of the connection and abort the whole process.
    const std::string trailer = "X-Padding: " + std::string(70 * 1024, 'a') + "\r\n";
    for (const bool withToken : {false, true}) {
        INFO("with token: " << withToken);
        const auto res = f.http->exchange("POST /api/managedcertificates HTTP/1.1\r\n" +
                                          hostLine(f) + (withToken ? tokenLine(f) : "") +
                                          "Content-Type: application/json\r\n"
                                          "Transfer-Encoding: chunked\r\n\r\n"
                                          "2\r\n{}\r\n0\r\n" +
                                          trailer + "\r\n");
        CHECK(res.status() == (withToken ? 400 : 401));
        CHECK(res.closed);
        requireServing(f);
    }
    CHECK(f.http->get("/api/managedcertificates").json().value("total").toInt() == 0);
}

TEST_CASE("chunk extensions cannot grow the service's memory", "[api][protocol]") {
    ApiFixture f;
    const qint64 before = f.service.residentKiB();
    REQUIRE(before > 0);
    for (const bool withToken : {false, true}) {
        INFO("with token: " << withToken);
        // A chunk line that never ends: 64 MiB of extensions, sent for as long as the service
        // reads them.
        const auto res = f.http->stream("POST /api/managedcertificates HTTP/1.1\r\n" + hostLine(f) +
                                            (withToken ? tokenLine(f) : "") +
                                            "Content-Type: application/json\r\n"
                                            "Transfer-Encoding: chunked\r\n\r\n1",
                                        ";ext=value", 64 * 1024 * 1024);
        CHECK(res.status() == (withToken ? 400 : 401));
        CHECK(res.bytesSent < 8 * 1024 * 1024); // it stopped reading long before the end
        requireServing(f);
    }
    const qint64 grown = f.service.residentKiB() - before;
    INFO("resident memory grew by " << grown << " KiB");
    if (kMemoryIsMeasurable)
        CHECK(grown < 16 * 1024);
}

TEST_CASE("the token is checked before the body is read", "[api][protocol]") {
    ApiFixture f;
    // The header announces a body that never comes: the refusal must come from the header.
    QElapsedTimer clock;
    clock.start();
    const auto res = f.http->exchange("POST /api/managedcertificates HTTP/1.1\r\n" + hostLine(f) +
                                      "Content-Type: application/json\r\n"
                                      "Content-Length: 500000\r\n\r\n");
    CHECK(res.status() == 401);
    CHECK(res.closed);
    CHECK(clock.elapsed() < 5000);
    // A foreign Host is refused the same way, before any body.
    const auto foreign = f.http->exchange("POST /api/managedcertificates HTTP/1.1\r\n"
                                          "Host: evil.example:80\r\n" +
                                          tokenLine(f) +
                                          "Content-Type: application/json\r\n"
                                          "Content-Length: 500000\r\n\r\n");
    CHECK(foreign.status() == 403);
    CHECK(foreign.closed);
}

TEST_CASE("malformed requests get 400 and a closed connection", "[api][protocol]") {
    ApiFixture f;
    const std::string host = hostLine(f);
    const std::string token = tokenLine(f);
    struct Case {
        const char* what;
        std::string bytes;
        int status;
    };
    const std::vector<Case> cases{
        {"a chunk size that is not hex",
         "POST /api/managedcertificates HTTP/1.1\r\n" + host + token +
             "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
             "zz\r\n{}\r\n0\r\n\r\n",
         400},
        {"a Content-Length that is not a number",
         "POST /api/managedcertificates HTTP/1.1\r\n" + host + token +
             "Content-Type: application/json\r\nContent-Length: abc\r\n\r\n{}",
         400},
        {"two different Content-Lengths",
         "POST /api/managedcertificates HTTP/1.1\r\n" + host + token +
             "Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
         400},
        {"a NUL in a header",
         "GET /api/system/appversion HTTP/1.1\r\n" + host + std::string("X-Note: a\0b\r\n\r\n", 15),
         400},
        {"HTTP/0.9", "GET /api/system/appversion\r\n", 400},
        {"bare LF line ends",
         "GET /api/system/appversion HTTP/1.1\n" + host.substr(0, host.size() - 2) + "\n\n", 400},
        {"a bare CR", "GET /api/system/appversion HTTP/1.1\r" + host + "\r\n", 400},
        {"TLS instead of HTTP", std::string("\x16\x03\x01\x02\x00 not http at all\r\n\r\n"), 400},
        {"HTTP/2.0", "GET /api/system/appversion HTTP/2.0\r\n" + host + "\r\n", 505},
        {"HTTP/1.2", "GET /api/system/appversion HTTP/1.2\r\n" + host + "\r\n", 505},
        {"a header over 16 KiB",
         "GET /api/system/appversion HTTP/1.1\r\n" + host +
             "X-Big: " + std::string(20 * 1024, 'b') + "\r\n\r\n",
         431},
    };
    for (const auto& c : cases) {
        INFO(c.what);
        const auto res = f.http->exchange(c.bytes);
        CHECK(res.status() == c.status);
        CHECK(res.closed);
        CHECK(res.header("content-type") == "application/problem+json");
    }
    requireServing(f);
    CHECK(f.http->get("/api/managedcertificates").json().value("total").toInt() == 0);
}

TEST_CASE("HEAD gets the header of GET and no body", "[api][protocol]") {
    ApiFixture f;
    const auto get = f.http->get("/api/system/appversion");
    REQUIRE(get.status == 200);
    const auto head = f.http->exchange("HEAD /api/system/appversion HTTP/1.1\r\n" + hostLine(f) +
                                       "Connection: close\r\n\r\n");
    CHECK(head.status() == 200);
    CHECK(head.header("content-length") == std::to_string(get.body.size()));
    CHECK(head.body().empty());
    // A refusal to HEAD has no body either.
    const auto refused = f.http->exchange("HEAD /api/managedcertificates HTTP/1.1\r\n" +
                                          hostLine(f) + "Connection: close\r\n\r\n");
    CHECK(refused.status() == 401);
    CHECK(refused.body().empty());
    // A stream has no header-only form.
    const auto events = f.http->exchange("HEAD /api/events HTTP/1.1\r\n" + hostLine(f) +
                                         tokenLine(f) + "Connection: close\r\n\r\n");
    CHECK(events.status() == 405);
    CHECK(events.body().empty());
}

TEST_CASE("a body that arrives too slowly gets 408", "[api][protocol]") {
    ServiceProcess service;
    REQUIRE(service.writeServiceConfig(R"({"requestBodyTimeoutSeconds": 1})"));
    REQUIRE(service.start());
    RawHttp http(service.port(), service.token().toStdString());
    const auto res =
        http.exchange("POST /api/managedcertificates HTTP/1.1\r\nHost: 127.0.0.1:" +
                      std::to_string(service.port()) + "\r\nAuthorization: Bearer " +
                      service.token().toStdString() +
                      "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"na");
    CHECK(res.status() == 408);
    CHECK(res.closed);
    CHECK(http.get("/api/managedcertificates").json().value("total").toInt() == 0);
}

TEST_CASE("a good request after a refused one is served on a new connection", "[api][protocol]") {
    ApiFixture f;
    // Keep-alive still carries several requests on one connection.
    const std::string get = "GET /api/system/appversion HTTP/1.1\r\n" + hostLine(f) + "\r\n";
    const auto two = f.http->exchange(get + get + "GET /api/system/appversion HTTP/1.1\r\n" +
                                      hostLine(f) + "Connection: close\r\n\r\n");
    size_t answers = 0;
    for (size_t at = two.received.find("HTTP/1.1 200"); at != std::string::npos;
         at = two.received.find("HTTP/1.1 200", at + 1))
        ++answers;
    CHECK(answers == 3);
    CHECK(two.closed);
}

TEST_CASE("a flood of idle and slow connections does not lock out the app", "[api][protocol]") {
    ApiFixture f; // the default cap of 64 connections
    // 600 clients without the token: half connect and send nothing, half send a header one
    // byte at a time, as slowloris does.
    std::vector<std::unique_ptr<QTcpSocket>> flood;
    const QByteArray slowHeader = "GET /api/managedcertificates HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    for (int i = 0; i < 600; ++i) {
        flood.push_back(std::make_unique<QTcpSocket>());
        flood.back()->connectToHost("127.0.0.1", quint16(f.service.port()));
        REQUIRE(flood.back()->waitForConnected(5000));
        if (i % 2)
            flood.back()->write(slowHeader.left(1 + i % 20));
        flood.back()->flush();
    }
    // An authenticated client is served at once, again and again, while the flood lasts.
    QElapsedTimer clock;
    int served = 0;
    qint64 slowest = 0;
    for (int i = 0; i < 20; ++i) {
        clock.start();
        served += f.http->get("/api/managedcertificates").status == 200 ? 1 : 0;
        slowest = std::max(slowest, clock.elapsed());
        for (int j = 0; j < 30; ++j) // the flood goes on: some send another byte
            flood[size_t((i * 30 + j) % 600)]->write("X");
    }
    INFO("slowest authenticated request during the flood: " << slowest << " ms");
    CHECK(served == 20);
    CHECK(slowest < 2000);
    flood.clear();
    QFile log(f.service.dataDir() + "/logs/service.log");
    REQUIRE(log.open(QIODevice::ReadOnly));
    CHECK(log.readAll().contains("closed"));
}
