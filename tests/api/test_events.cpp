// GET /api/events: live Server-Sent Events of item changes, log lines and request progress, as
// the app and `certkeeper-cli log --follow` receive them; resuming with Last-Event-ID; the same
// security as every other route.

#include "ApiFixture.h"
#include "DevLicense.h"
#include "Sanitizers.h"
#include "SseClient.h"

#include <QElapsedTimer>

#include <thread>

using namespace ck::test;
using namespace std::chrono_literals;

namespace {
std::string itemPath(const QString& id) {
    return "/api/managedcertificates/" + id.toStdString();
}

auto hasItemEvents(size_t count) {
    return [count](const std::vector<SseEvent>& events) {
        return ofType(events, "itemUpdated").size() >= count;
    };
}

QString itemName(const SseEvent& e) {
    return e.json()["item"]["name"].toString();
}
} // namespace

TEST_CASE("a subscriber sees items created, changed and deleted as they happen", "[api][events]") {
    ApiFixture f;
    SseClient events(f.service.port(), f.service.token().toStdString());
    REQUIRE(events.open() == 200);
    CHECK(events.header("Content-Type").rfind("text/event-stream", 0) == 0);
    CHECK(events.header("Cache-Control") == "no-cache");

    const auto created = f.createItem("Shop", {"shop.example.com"}).json();
    const QString id = created.value("id").toString();
    QJsonObject renamed = created;
    renamed["name"] = "Shop (renamed)";
    REQUIRE(f.http->put(itemPath(id), renamed).status == 200);
    REQUIRE(f.http->del(itemPath(id)).status == 204);

    const auto updates = ofType(events.readUntil(hasItemEvents(3), 10s), "itemUpdated");
    REQUIRE(updates.size() == 3);
    CHECK(itemName(updates[0]) == "Shop");
    CHECK(updates[0].json()["item"]["version"].toInt() == 1);
    CHECK(itemName(updates[1]) == "Shop (renamed)");
    CHECK(updates[2].json()["itemId"].toString() == id);
    CHECK(updates[2].json()["deleted"].toBool());
    // Ids rise, so a client can resume from the last one it saw.
    CHECK(updates[0].number() < updates[1].number());
    CHECK(updates[1].number() < updates[2].number());
}

TEST_CASE("reconnecting with Last-Event-ID resumes without gaps or repeats", "[api][events]") {
    ApiFixture f;
    SseClient first(f.service.port(), f.service.token().toStdString());
    REQUIRE(first.open() == 200);
    f.createItem("one", {"one.example.com"});
    const auto seen = ofType(first.readUntil(hasItemEvents(1), 10s), "itemUpdated");
    REQUIRE(seen.size() == 1);
    first.close();

    // Missed while away.
    f.createItem("two", {"two.example.com"});
    f.createItem("three", {"three.example.com"});

    SseClient resumed(f.service.port(), f.service.token().toStdString());
    REQUIRE(resumed.open("/api/events", seen[0].id) == 200);
    const auto missed = ofType(resumed.readUntil(hasItemEvents(2), 10s), "itemUpdated");
    REQUIRE(missed.size() == 2);
    CHECK(itemName(missed[0]) == "two");
    CHECK(itemName(missed[1]) == "three");
    CHECK(ofType(resumed.events(), "reset").empty());

    SECTION("and then carries on live") {
        f.createItem("four", {"four.example.com"});
        const auto more = ofType(resumed.readUntil(hasItemEvents(3), 10s), "itemUpdated");
        REQUIRE(more.size() == 3);
        CHECK(itemName(more[2]) == "four");
    }
    SECTION("the query parameter works for clients that cannot set headers") {
        SseClient viaQuery(f.service.port(), f.service.token().toStdString());
        REQUIRE(viaQuery.open("/api/events?lastEventId=" + seen[0].id) == 200);
        CHECK(ofType(viaQuery.readUntil(hasItemEvents(2), 10s), "itemUpdated").size() == 2);
    }
}

TEST_CASE("an id older than the history (or from before a restart) asks the client to reload",
          "[api][events]") {
    ApiFixture f;
    f.createItem("one", {"one.example.com"});
    SseClient stale(f.service.port(), f.service.token().toStdString());
    REQUIRE(stale.open("/api/events", "1") == 200);
    const auto& events = stale.readUntil(hasItemEvents(1), 10s);
    REQUIRE(events.size() >= 2);
    CHECK(events[0].type == "reset");
    CHECK(events[0].json()["reason"].toString().contains("reload"));
    CHECK(itemName(ofType(events, "itemUpdated")[0]) == "one");
}

TEST_CASE("a client back from before a restart is told to reload even if nothing happened since",
          "[api][events]") {
    ApiFixture f; // a fresh service: nothing published yet
    SseClient stale(f.service.port(), f.service.token().toStdString());
    REQUIRE(stale.open("/api/events", "1000") == 200);
    auto hasReset = [](const std::vector<SseEvent>& all) { return !ofType(all, "reset").empty(); };
    REQUIRE(hasReset(stale.readUntil(hasReset, 5s)));
    // ...and from the reset on it is an ordinary subscriber (the service waits, not spins).
    f.createItem("one", {"one.example.com"});
    const auto& events = stale.readUntil(hasItemEvents(1), 10s);
    CHECK(itemName(ofType(events, "itemUpdated")[0]) == "one");
    CHECK(ofType(events, "reset").size() == 1);
}

TEST_CASE("a request's steps arrive as progress and log events, filtered by item",
          "[api][events]") {
    ApiFixture f;
    const QString watched =
        f.createItem("watched", {"watched.example.com"}).json()["id"].toString();
    const QString other = f.createItem("other", {"other.example.com"}).json()["id"].toString();
    SseClient events(f.service.port(), f.service.token().toStdString());
    REQUIRE(events.open("/api/events?itemId=" + watched.toStdString()) == 200);

    // No certificate authority is set up, so both requests fail at once -- with log lines.
    REQUIRE(f.http->post(itemPath(other) + "/request", {}).status == 202);
    REQUIRE(f.http->post(itemPath(watched) + "/request", {}).status == 202);
    auto finished = [](const std::vector<SseEvent>& all) {
        for (const auto& e : ofType(all, "itemUpdated"))
            if (e.json()["item"]["lastRenewalStatus"].toString() == "Error")
                return true;
        return false;
    };
    const auto& received = events.readUntil(finished, 15s);
    REQUIRE(finished(received));

    const auto progress = ofType(received, "progress");
    const auto logs = ofType(received, "log");
    REQUIRE_FALSE(progress.empty());
    REQUIRE_FALSE(logs.empty());
    CHECK(progress[0].json()["step"].toInt() == 1);
    const auto lastLog = logs.back().json()["entry"].toObject();
    CHECK(lastLog["level"].toString() == "ERR");
    CHECK_FALSE(lastLog["message"].toString().isEmpty());
    CHECK_FALSE(lastLog["time"].toString().isEmpty());
    for (const auto& e : received)
        if (e.type != "reset")
            CHECK(e.json().value("itemId").toString() == watched);

    // The same lines are in the item's log, as the log route returns them.
    const auto log = f.http->get(itemPath(watched) + "/log?limit=50").json()["entries"].toArray();
    REQUIRE_FALSE(log.isEmpty());
    CHECK(log.last()["message"].toString() == lastLog["message"].toString());
}

TEST_CASE("the event stream is guarded like every route", "[api][events][security]") {
    ApiFixture f;
    SECTION("no token") {
        SseClient anonymous(f.service.port(), "");
        CHECK(anonymous.open() == 401);
    }
    SECTION("wrong token") {
        SseClient wrong(f.service.port(), std::string(64, '0'));
        const int status = wrong.open();
        INFO(wrong.body());
        CHECK(status == 401);
    }
    SECTION("a browser page (Origin) is refused") {
        RawRequest req{"GET", "/api/events", {{"Origin", "http://evil.example"}}, {}};
        CHECK(f.http->send(req).status == 403);
    }
    SECTION("a Last-Event-ID that is not an id") {
        SseClient bad(f.service.port(), f.service.token().toStdString());
        CHECK(bad.open("/api/events", "yesterday") == 400);
        CHECK(bad.body().find("Last-Event-ID") != std::string::npos);
    }
    SECTION("POST is not a subscription") {
        CHECK(f.http->post("/api/events", {}).status == 405);
    }
}

TEST_CASE("open event streams do not hold up a stop", "[api][events]") {
    ApiFixture f;
    SseClient a(f.service.port(), f.service.token().toStdString());
    SseClient b(f.service.port(), f.service.token().toStdString());
    REQUIRE(a.open() == 200);
    REQUIRE(b.open() == 200);
    QElapsedTimer timer;
    timer.start();
    CHECK(f.service.stop());
    // Well under the 15 s grace the service allows requests in flight.
    CHECK(timer.elapsed() < 5000);
    a.readUntil([](const auto&) { return false; }, 2s);
    CHECK(a.closed());
}

TEST_CASE("streams that stop reading hold neither the service's memory nor the other streams",
          "[api][events][slow]") {
    ApiFixture f;
    REQUIRE(activateDevLicense(f.service));
    const std::string token = f.service.token().toStdString();
    // A CSV import's worth of items, each with enough names to make its event a few KiB.
    constexpr int kItems = 2500;
    QJsonArray items;
    for (int i = 0; i < kItems; ++i) {
        QJsonArray names;
        for (int n = 0; n < 20; ++n)
            names.append(QStringLiteral("host%1.site%2.example.com").arg(n).arg(i));
        items.append(
            QJsonObject{{"name", QStringLiteral("Site %1").arg(i)},
                        {"requestConfig", QJsonObject{{"subjectAlternativeNames", names}}}});
    }

    std::vector<std::unique_ptr<SseClient>> stalled; // subscribed, and never read from
    for (int i = 0; i < 16; ++i) {
        stalled.push_back(std::make_unique<SseClient>(f.service.port(), token));
        REQUIRE(stalled.back()->open() == 200);
    }
    SseClient reading(f.service.port(), token);
    REQUIRE(reading.open() == 200);
    const qint64 before = f.service.residentKiB();
    REQUIRE(before > 0);

    std::thread reader([&] {
        reading.readUntil(
            [](const std::vector<SseEvent>& all) {
                return all.size() >= size_t(kItems) &&
                       ofType(all, "itemUpdated").size() >= size_t(kItems);
            },
            60s * kSlowdown);
    });
    const auto created =
        f.http->post("/api/managedcertificates/batch", QJsonObject{{"items", items}});
    reader.join();
    REQUIRE(created.status == 200);
    REQUIRE(created.json().value("accepted").toInt() == kItems);

    // The reading client got every item, once and in order, and was not told to reload.
    const auto updates = ofType(reading.events(), "itemUpdated");
    REQUIRE(updates.size() == size_t(kItems));
    CHECK(ofType(reading.events(), "reset").empty());
    CHECK(itemName(updates.front()) == "Site 0");
    CHECK(itemName(updates.back()) == QStringLiteral("Site %1").arg(kItems - 1));

    // While the stalled streams wait at a full socket, each holds at most a piece of the
    // backlog: the events (about 6 MiB here) are held once, not once per stream.
    const qint64 during = f.service.residentKiB();
    INFO("VmRSS before " << before << " KiB, with stalled streams " << during << " KiB");
    if (kMemoryIsMeasurable)
        CHECK(during - before < 48 * 1024);

    // A client that stops reading is let go when a write times out (30 s); its memory goes.
    std::this_thread::sleep_for(33s);
    for (auto& s : stalled) {
        s->readUntil([](const auto&) { return false; }, 10s);
        CHECK(s->closed());
    }
    const qint64 after = f.service.residentKiB();
    INFO("VmRSS after the stalled streams ended " << after << " KiB");
    if (kMemoryIsMeasurable)
        CHECK(after - before < 48 * 1024);

    // The service still serves new streams.
    SseClient fresh(f.service.port(), token);
    REQUIRE(fresh.open() == 200);
    f.createItem("after", {"after.example.com"});
    const auto more = ofType(fresh.readUntil(hasItemEvents(1), 10s), "itemUpdated");
    REQUIRE(more.size() == 1);
    CHECK(itemName(more[0]) == "after");
}
