// The live-event history behind GET /api/events: consecutive ids, a bounded history that says
// when a client missed more than it holds, and waiters woken by events from other threads.

#include "events/EventHub.h"
#include "events/EventReader.h"

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
    events::EventHub hub(ioc.get_executor(), 10);
    const quint64 start = hub.lastId();
    hub.publish(events::event_types::kLog, QStringLiteral("a"), payload(1));
    hub.publish(events::event_types::kItemUpdated, QStringLiteral("b"), payload(2));
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
    events::EventHub hub(ioc.get_executor(), 5);
    const quint64 start = hub.lastId();
    for (int i = 1; i <= 8; ++i)
        hub.publish(events::event_types::kLog, QStringLiteral("a"), payload(i));

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
    events::EventHub hub(ioc.get_executor());
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
        hub.publish(events::event_types::kProgress, QStringLiteral("x"), payload(1));
    });
    ioc.run();
    publisher.join();
    CHECK(woke);

    SECTION("and every waiter wakes at shutdown") {
        asio::io_context ioc2;
        events::EventHub hub2(ioc2.get_executor());
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
    events::EventHub hub(ioc.get_executor());
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

    hub.publish(events::event_types::kLog, QStringLiteral("a"), payload(1));
    const auto withHistory = hub.since(now - 5);
    CHECK(withHistory.missedSome);
    REQUIRE(withHistory.events.size() == 1);
    CHECK(withHistory.reloadPoint == withHistory.events.front()->id - 1);
}

namespace {
// An itemUpdated-sized payload: about `bytes` of JSON.
QJsonObject bulky(int n, int bytes) {
    return QJsonObject{{"n", n}, {"text", QString(bytes, QLatin1Char('x'))}};
}
} // namespace

TEST_CASE("the history is bounded in bytes too, keeping at least the newest event", "[events]") {
    asio::io_context ioc;
    events::EventHub hub(ioc.get_executor(), 1000, 64 * 1024);
    for (int i = 0; i < 100; ++i)
        hub.publish(events::event_types::kItemUpdated, QStringLiteral("a"), bulky(i, 4000));
    CHECK(hub.held().bytes <= 64 * 1024);
    CHECK(hub.held().events < 20);
    hub.publish(events::event_types::kItemUpdated, QStringLiteral("a"), bulky(100, 200 * 1024));
    REQUIRE(hub.held().events == 1);
    CHECK(hub.since(hub.lastId() - 1).events.size() == 1);
}

TEST_CASE("readers share the history: many stalled readers hold no copies of the events",
          "[events]") {
    asio::io_context ioc;
    events::EventHub hub(ioc.get_executor(), 4096, 64 * 1024 * 1024);
    const quint64 start = hub.lastId();
    const events::EventStreamLimits limits{100000, 64 * 1024 * 1024, 16 * 1024};
    std::vector<std::unique_ptr<events::EventReader>> readers;
    for (int r = 0; r < 50; ++r)
        readers.push_back(std::make_unique<events::EventReader>(hub, start, QString(), limits));
    for (int i = 0; i < 2000; ++i)
        hub.publish(events::event_types::kItemUpdated, QStringLiteral("item-%1").arg(i),
                    bulky(i, 1000));
    const events::EventHub::Held before = hub.held();
    REQUIRE(before.events == 2000);
    CHECK(before.bytes > 2000 * 1000);

    // Each reader takes the one piece a stream writes before its client stops reading.
    std::size_t inFlight = 0;
    QByteArray firstPiece;
    for (auto& reader : readers) {
        const auto piece = reader->next();
        if (firstPiece.isEmpty())
            firstPiece = piece.text;
        CHECK(piece.more);
        CHECK_FALSE(piece.end);
        CHECK(std::size_t(piece.text.size()) <= limits.chunkBytes + 1100);
        inFlight += std::size_t(piece.text.size());
    }
    // The events are held once, however many readers there are, and what the readers have in
    // flight is a piece each rather than the 2 MB backlog each.
    CHECK(hub.held().bytes == before.bytes);
    CHECK(hub.held().events == before.events);
    const auto oneEvent = hub.since(start, 0).events.front();
    CHECK(oneEvent.use_count() == 2); // the history and this test: no reader keeps it
    CHECK(inFlight < readers.size() * (limits.chunkBytes + 1100));
    CHECK(inFlight * 10 < readers.size() * before.bytes);

    SECTION("and a reader that keeps reading gets every event once, in order") {
        events::EventReader& reader = *readers.front();
        QByteArray all = firstPiece;
        int pieces = 0;
        for (events::EventReader::Piece p = reader.next();; p = reader.next()) {
            all += p.text;
            ++pieces;
            if (!p.more)
                break;
        }
        CHECK(pieces > 10);
        CHECK(all.count("event: itemUpdated") == 2000);
        CHECK(all.indexOf("\"n\":0,") < all.indexOf("\"n\":1,"));
        CHECK(reader.position() == hub.lastId());
        CHECK(all.contains("\"n\":1999,"));
    }
}

TEST_CASE("a reader that falls behind further than its limits gets a reset and ends", "[events]") {
    asio::io_context ioc;
    events::EventHub hub(ioc.get_executor(), 4096);
    const quint64 start = hub.lastId();
    const events::EventStreamLimits limits{100, 256 * 1024, 16 * 1024};

    SECTION("by count") {
        events::EventReader stalled(hub, start, QString(), limits);
        for (int i = 0; i < 100; ++i)
            hub.publish(events::event_types::kLog, QStringLiteral("a"), payload(i));
        const auto inBounds = events::EventReader(hub, start, QString(), limits).next();
        CHECK_FALSE(inBounds.end); // exactly at the limit is still fine
        hub.publish(events::event_types::kLog, QStringLiteral("a"), payload(100));
        const auto piece = stalled.next();
        CHECK(piece.end);
        CHECK(
            piece.text.startsWith("id: " + QByteArray::number(hub.lastId()) + "\nevent: reset\n"));
        CHECK(piece.text.count("event:") == 1); // the reset alone, none of the backlog
        CHECK(stalled.position() == hub.lastId());
    }
    SECTION("by bytes, a few large events") {
        events::EventReader stalled(hub, start, QString(), limits);
        for (int i = 0; i < 4; ++i) // 4 x 60 KiB: within 256 KiB
            hub.publish(events::event_types::kItemUpdated, QStringLiteral("a"),
                        bulky(i, 60 * 1024));
        CHECK_FALSE(events::EventReader(hub, start, QString(), limits).next().end);
        hub.publish(events::event_types::kItemUpdated, QStringLiteral("a"), bulky(4, 60 * 1024));
        const auto piece = stalled.next();
        CHECK(piece.end);
        CHECK(piece.text.contains("event: reset"));
        CHECK(piece.text.size() < 1024);
    }
    SECTION("a reader that keeps up is never reset") {
        events::EventReader keepingUp(hub, start, QString(), limits);
        for (int i = 0; i < 1000; ++i) {
            hub.publish(events::event_types::kItemUpdated, QStringLiteral("a"), bulky(i, 2000));
            const auto piece = keepingUp.next();
            REQUIRE_FALSE(piece.end);
            CHECK(piece.text.count("event: itemUpdated") == 1);
        }
    }
}

TEST_CASE("a filtered reader passes over other items' events", "[events]") {
    asio::io_context ioc;
    events::EventHub hub(ioc.get_executor());
    const quint64 start = hub.lastId();
    for (int i = 0; i < 10; ++i)
        hub.publish(events::event_types::kLog, QString::fromLatin1(i % 2 ? "odd" : "even"),
                    payload(i));
    events::EventReader odd(hub, start, QStringLiteral("odd"));
    const auto piece = odd.next();
    CHECK(piece.text.count("event: log") == 5);
    CHECK_FALSE(piece.text.contains("\"n\":0}"));
    CHECK(odd.position() == hub.lastId());
    CHECK_FALSE(piece.more);
}
