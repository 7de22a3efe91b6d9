// kill -9 while a client writes: every write the service answered 2xx survives the restart.

#include "ApiFixture.h"
#include "DevLicense.h"

#include <QElapsedTimer>
#include <QThread>

#include <atomic>
#include <mutex>
#include <thread>

using namespace ck::test;

TEST_CASE("answered writes survive kill -9", "[api][durability]") {
    ServiceProcess service;
    REQUIRE(service.start());
    REQUIRE(activateDevLicense(service)); // the writers add far more than 5 items
    const int port = service.port();
    const std::string token = service.token().toStdString();
    std::mutex mutex;
    QStringList acknowledged;
    // The first create waits for lexicon's provider list (a second, several on a loaded
    // machine): taken before the writers start, so their 1.5 s are all writing.
    const auto first =
        RawHttp(port, token)
            .post("/api/managedcertificates",
                  QJsonObject{{"name", "first"},
                              {"requestConfig", QJsonObject{{"subjectAlternativeNames",
                                                             QJsonArray{"first.example.com"}}}}});
    REQUIRE(first.status == 201);
    acknowledged << first.json().value("id").toString();
    std::atomic<bool> stop{false};
    std::vector<std::thread> writers;
    for (int w = 0; w < 3; ++w)
        writers.emplace_back([&, w] {
            RawHttp http(port, token);
            for (int i = 0; !stop; ++i) {
                const auto res = http.post(
                    "/api/managedcertificates",
                    QJsonObject{
                        {"name", QString("w%1-%2").arg(w).arg(i)},
                        {"requestConfig",
                         QJsonObject{{"subjectAlternativeNames",
                                      QJsonArray{QString("w%1-%2.example.com").arg(w).arg(i)}}}}});
                if (res.status == 201) {
                    std::lock_guard lock(mutex);
                    acknowledged << res.json().value("id").toString();
                } else if (res.status == 0) {
                    return; // the service is gone
                }
            }
        });
    QThread::msleep(1500);
    service.kill();
    stop = true;
    for (auto& t : writers)
        t.join();
    INFO("acknowledged writes: " << acknowledged.size());
    REQUIRE(acknowledged.size() > 10);

    REQUIRE(service.start());
    RawHttp http(service.port(), service.token().toStdString());
    for (const auto& id : acknowledged) {
        INFO(id.toStdString());
        REQUIRE(http.get("/api/managedcertificates/" + id.toStdString()).status == 200);
    }
    const auto diag = http.get("/api/system/diagnostics").json();
    CHECK(diag["database"]["integrity"].toString() == "ok");
    CHECK(diag["database"]["recovery"].toArray().isEmpty());
    CHECK(diag["database"]["itemCount"].toInt() >= acknowledged.size());
}
