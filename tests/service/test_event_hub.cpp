// The live-event history behind GET /api/events: consecutive ids, a bounded history that says
// when a client missed more than it holds, and waiters woken by events from other threads.

#include "events/EventHub.h"

#include <catch2/catch.hpp>

#include <thread>

using namespace ck;
using namespace std::chrono_literals;

namespace {
QJsonObject payload(int n) {
    return QJsonObject{{"n", n}};
}
} // namespace

TEST_CASE("events get rising ids and frames in SSE form", "[events]") {
    asio::io_context ioc;
    EventHub hub(ioc.get_executor(), 10);
    const quint64 start = hub.lastId();
    hub.publish(event_types::kLog, QStringLiteral("a"), payload(1));
    hub.publish(event_types::kItemUpdated, QStringLiteral("b"), payload(2));
    const auto backlog = hub.since(start);
    REQUIRE(backlog.events.size() == 2);
    CHECK_FALSE(backlog.missedSome);
    CHECK(backlog.events[1]->id == backlog.events[0]->id + 1);
    CHECK(backlog.events[0]->frame() ==
          "id: " + QByteArray::number(start + 1) + "\nevent: log\ndata: {\"n\":1}\n\n");
    CHECK(hub.since(hub.lastId()).events.empty());
}

TEST_CASE("the history is bounded and says when a client missed events", "[events]") {
    asio::io_context ioc;
    EventHub hub(ioc.get_executor(), 5);
    const quint64 start = hub.lastId();
    for (int i = 1; i <= 8; ++i)
        hub.publish(event_types::kLog, QStringLiteral("a"), payload(i));

    const auto fromStart = hub.since(start);
    CHECK(fromStart.missedSome);
    REQUIRE(fromStart.events.size() == 5);
    CHECK(fromStart.events.front()->id == start + 4);

    const auto fromInside = hub.since(start + 5);
    CHECK_FALSE(fromInside.missedSome);
    CHECK(fromInside.events.size() == 3);

    const auto fromJustBefore = hub.since(start + 3); // the next one (start+4) is still kept
    CHECK_FALSE(fromJustBefore.missedSome);
    CHECK(fromJustBefore.events.size() == 5);
}

TEST_CASE("a waiter wakes when another thread publishes, or at its timeout", "[events]") {
    asio::io_context ioc;
    EventHub hub(ioc.get_executor());
    const quint64 start = hub.lastId();
    bool woke = false;
    auto waiter = [&]() -> awaitable<void> {
        const auto before = std::chrono::steady_clock::now();
        co_await hub.waitForNewerThan(start, 10s);
        woke = std::chrono::steady_clock::now() - before < 5s;
    };
    asio::co_spawn(ioc, waiter(), asio::detached);
    std::thread publisher([&] {
        std::this_thread::sleep_for(50ms);
        hub.publish(event_types::kProgress, QStringLiteral("x"), payload(1));
    });
    ioc.run();
    publisher.join();
    CHECK(woke);

    SECTION("and every waiter wakes at shutdown") {
        asio::io_context ioc2;
        EventHub hub2(ioc2.get_executor());
        bool done = false;
        auto longWait = [&]() -> awaitable<void> {
            co_await hub2.waitForNewerThan(hub2.lastId(), 60s);
            done = true;
        };
        asio::co_spawn(ioc2, longWait(), asio::detached);
        asio::post(ioc2, [&] { hub2.shutdown(); });
        const auto before = std::chrono::steady_clock::now();
        ioc2.run();
        CHECK(done);
        CHECK(std::chrono::steady_clock::now() - before < 5s);
    }
}

TEST_CASE("an id from before a restart or never given is missed at once, not waited for",
          "[events]") {
    asio::io_context ioc;
    EventHub hub(ioc.get_executor());
    const quint64 now = hub.lastId();
    // A fresh service has published nothing: its history is empty.
    const auto fromBefore = hub.since(now - 5);
    CHECK(fromBefore.missedSome);
    CHECK(fromBefore.events.empty());
    CHECK(fromBefore.reloadPoint == now);
    CHECK_FALSE(hub.since(now).missedSome);           // a new client, up to date
    const auto fromTheFuture = hub.since(now + 1000); // the clock was set back across a restart
    CHECK(fromTheFuture.missedSome);
    CHECK(fromTheFuture.reloadPoint == now);

    hub.publish(event_types::kLog, QStringLiteral("a"), payload(1));
    const auto withHistory = hub.since(now - 5);
    CHECK(withHistory.missedSome);
    REQUIRE(withHistory.events.size() == 1);
    CHECK(withHistory.reloadPoint == withHistory.events.front()->id - 1);
}
