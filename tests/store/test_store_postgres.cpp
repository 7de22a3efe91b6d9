// What only a shared PostgreSQL store does: several services on one database see each other's
// writes and never both win a race for the same version; a lost server is a clear error that
// changes nothing, and the store works again when it is back; a wrong password or a newer
// schema is refused in words. Run by store_tests_postgresql, against the tests' own server.

#include "PostgresServer.h"
#include "StoreTestSupport.h"

#include "store/PostgresItemStore.h"

#include <catch2/catch.hpp>

#include <QTemporaryDir>

#include <atomic>
#include <thread>

using namespace ck;
using namespace ck::storetest;

namespace {
std::unique_ptr<store::PostgresItemStore> openService(const StoreSettings& settings) {
    QString error;
    const QString password = readPasswordFile(settings.passwordFile, &error);
    REQUIRE(error.isEmpty());
    return store::PostgresItemStore::open(settings, password);
}

template <typename E, typename F> E errorFrom(F f) {
    try {
        f();
    } catch (const E& e) {
        return e;
    }
    FAIL("no error of the expected kind was thrown");
    return E(QString());
}
} // namespace

TEST_CASE("two services on one database see each other's writes and race fairly", "[postgresql]") {
    QTemporaryDir dir;
    const StoreSettings settings = postgresSettingsFor(dir.path());
    auto nodeA = openService(settings);
    auto nodeB = openService(settings);
    const QByteArray tagB = nodeB->stateTag();

    const auto created =
        nodeA->create(makeItem("Shared", {"shared.example.com"}), QDateTime::currentDateTimeUtc());
    CHECK(nodeB->get(created.id) == created);
    CHECK(nodeB->list(searchFor("shared.example")).total == 1);
    CHECK(nodeB->stateTag() != tagB); // B's answers tagged before A wrote are stale now

    auto fromA = created;
    fromA.comments = "node A";
    auto fromB = created;
    fromB.comments = "node B";
    CHECK(nodeA->update(fromA).version == 2);
    const auto conflict = errorFrom<ConflictError>([&] { nodeB->update(fromB); });
    CHECK(conflict.message().contains("version 1"));
    CHECK(nodeB->get(created.id).comments == "node A");
    // updateMany leaves the stale copy out rather than overwrite A's change.
    CHECK(nodeB->updateMany({fromB}).isEmpty());
    CHECK(nodeA->get(created.id).comments == "node A");
}

TEST_CASE("services starting together create the schema once", "[postgresql]") {
    QTemporaryDir dir;
    const StoreSettings settings = postgresSettingsFor(dir.path());
    std::vector<std::thread> starts;
    std::atomic<int> opened{0};
    for (int i = 0; i < 4; ++i)
        starts.emplace_back([&] {
            QString error;
            const QString password = readPasswordFile(settings.passwordFile, &error);
            auto store = store::PostgresItemStore::open(settings, password);
            if (store->count() == 0)
                ++opened;
        });
    for (auto& start : starts)
        start.join();
    CHECK(opened == 4);
    QString error;
    // Each version was recorded once, in order: a second migration of a version would have
    // failed on its CREATE TABLE, or recorded it twice.
    INFO(error.toStdString());
    CHECK(writeBehindTheStore(dir.path(),
                              "DO $$ BEGIN IF (SELECT array_agg(version ORDER BY version) FROM "
                              "certkeeper_schema) <> ARRAY[1, 2, 3] THEN RAISE EXCEPTION "
                              "'versions recorded: %', (SELECT array_agg(version) FROM "
                              "certkeeper_schema); END IF; END $$",
                              {}, error));
}

TEST_CASE("a lost database server is a clear error, changes nothing, and is reconnected",
          "[postgresql]") {
    QTemporaryDir dir;
    const StoreSettings settings = postgresSettingsFor(dir.path());
    QString error;
    test::PostgresServer* server = test::PostgresServer::shared(error);
    REQUIRE(server);
    auto store = openService(settings);
    const auto item =
        store->create(makeItem("Kept", {"kept.example.com"}), QDateTime::currentDateTimeUtc());

    server->stop(/*kill=*/true);
    auto changed = item;
    changed.comments = "written while the server was gone";
    const auto lost = errorFrom<UnavailableError>([&] { store->update(changed); });
    CHECK(lost.message().contains("cannot be reached"));
    CHECK(lost.message().contains("Nothing was changed"));
    // Still gone: every call says so, none hangs or crashes.
    CHECK_THROWS_AS(store->get(item.id), UnavailableError);

    INFO(error.toStdString());
    REQUIRE(server->start(error));
    CHECK(store->get(item.id) == item); // the failed update left nothing behind
    CHECK(store->update(changed).version == 2);
}

TEST_CASE("a wrong password is refused in words that do not repeat it", "[postgresql]") {
    QTemporaryDir dir;
    const StoreSettings settings = postgresSettingsFor(dir.path());
    const auto refused = errorFrom<UnavailableError>(
        [&] { store::PostgresItemStore::open(settings, "not-the-password-4711"); });
    CHECK(refused.message().contains("password authentication failed"));
    CHECK(refused.message().contains(settings.describe()));
    CHECK_FALSE(refused.message().contains("not-the-password-4711"));
}

TEST_CASE("a database of a newer schema is refused and left alone", "[postgresql]") {
    QTemporaryDir dir;
    const StoreSettings settings = postgresSettingsFor(dir.path());
    openService(settings)->create(makeItem("One", {"one.example.com"}),
                                  QDateTime::currentDateTimeUtc());
    QString error;
    REQUIRE(writeBehindTheStore(dir.path(), "INSERT INTO certkeeper_schema(version) VALUES (99)",
                                {}, error));
    const auto newer = errorFrom<InternalError>([&] { openService(settings); });
    CHECK(newer.message().contains("newer version of Certkeeper"));
    REQUIRE(writeBehindTheStore(dir.path(), "DELETE FROM certkeeper_schema WHERE version = 99", {},
                                error));
    CHECK(openService(settings)->count() == 1);
}
