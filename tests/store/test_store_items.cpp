// One item at a time: create, read, update with optimistic versions, remove.

#include "StoreTestSupport.h"

#include <catch2/catch.hpp>

#include <QFileInfo>
#include <QTemporaryDir>

using namespace ck;
using namespace ck::storetest;

namespace {
// The error of type E that `f` throws; FAILs the test when it throws none.
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

TEST_CASE("an item survives create, get, update and a reopen unchanged", "[store]") {
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QDateTime now = QDateTime::fromString("2026-11-20T10:00:00.123Z", Qt::ISODateWithMs);
    ManagedCertificate created;
    {
        auto store = openStore(dir.path());
        auto item = makeItem("Shop", {"shop.example.com", "www.shop.example.com"});
        setHealth(item, Health::Warning);
        item.id = "ignored";
        item.version = 42;
        created = store->create(item, now);
        CHECK(created.id.size() == 36); // a UUID without braces
        CHECK_FALSE(created.id.contains('{'));
        CHECK(created.version == 1);
        CHECK(created.dateCreated == now);
        CHECK(created.name == "Shop");
        CHECK(created.requestConfig == item.requestConfig);
        CHECK(store->get(created.id) == created);
        CHECK(store->count() == 1);
    }
    auto store = openStore(dir.path());
    REQUIRE(store->get(created.id) == created);

    auto edited = created;
    edited.name = "Shop (renewed)";
    edited.requestConfig.subjectAlternativeNames.append("cdn.shop.example.com");
    edited.dateCreated = now.addYears(-5); // the client cannot rewrite history
    const auto updated = store->update(edited);
    CHECK(updated.version == 2);
    CHECK(updated.name == "Shop (renewed)");
    CHECK(updated.dateCreated == now);
    CHECK(store->get(created.id) == updated);
    CHECK(store->list(searchFor("cdn.shop")).total == 1);

    if (onPostgres()) {
        QString error;
        const QString password =
            readPasswordFile(postgresSettingsFor(dir.path()).passwordFile, &error);
        CHECK(store->location().startsWith("postgresql://"));
        CHECK_FALSE(store->location().contains(password));
    } else {
        CHECK(QFileInfo(store->location()).fileName() == "manageditems.db");
        CHECK_FALSE(QFileInfo(store->location()).permissions().testFlag(QFile::ReadOther));
    }
    CHECK(store->integrityCheck() == "ok");
}

TEST_CASE("an update from a stale copy is a conflict and changes nothing", "[store]") {
    QTemporaryDir dir;
    auto store = openStore(dir.path());
    const auto v1 =
        store->create(makeItem("Mail", {"mail.example.com"}), QDateTime::currentDateTimeUtc());
    auto first = v1;
    first.comments = "first writer";
    const auto v2 = store->update(first);
    REQUIRE(v2.version == 2);

    auto second = v1; // still version 1
    second.comments = "second writer";
    const auto error = errorFrom<ConflictError>([&] { store->update(second); });
    CHECK(error.field() == "version");
    CHECK(error.message().contains("your copy is version 1"));
    CHECK(error.message().contains("the saved one is version 2"));
    CHECK(store->get(v1.id) == v2);
}

TEST_CASE("updateMany saves every current copy at once and leaves out stale and gone ones",
          "[store]") {
    QTemporaryDir dir;
    auto store = openStore(dir.path());
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const auto a = store->create(makeItem("A", {"a.example.com"}), now);
    const auto b = store->create(makeItem("B", {"b.example.com"}), now);
    const auto c = store->create(makeItem("C", {"c.example.com"}), now);
    auto bEdited = b;
    bEdited.comments = "someone else was first";
    const auto bStored = store->update(bEdited);
    store->remove(c.id);
    QStringList notified;
    store->setChangeObserver(
        [&](const ManagedCertificate* saved, const QString& id) { notified << (saved ? id : ""); });

    QList<ManagedCertificate> plans{a, b, c};
    for (auto& item : plans)
        item.dateNextScheduledRenewalAttempt = now.addDays(30);
    const auto saved = store->updateMany(plans);

    REQUIRE(saved.size() == 1);
    CHECK(saved[0].id == a.id);
    CHECK(saved[0].version == a.version + 1);
    CHECK(store->get(a.id) == saved[0]);
    CHECK(store->get(b.id) == bStored); // its newer copy is kept
    CHECK(notified == QStringList{a.id});
    CHECK(store->updateMany({}).isEmpty());
}

TEST_CASE("unknown ids are NotFound", "[store]") {
    QTemporaryDir dir;
    auto store = openStore(dir.path());
    auto item = makeItem("Ghost", {"ghost.example.com"});
    item.id = "no-such-id";
    item.version = 1;

    auto error = errorFrom<NotFoundError>([&] { store->get("no-such-id"); });
    CHECK(error.message() == "No managed certificate has the id 'no-such-id'");
    CHECK_THROWS_AS(store->update(item), NotFoundError);
    CHECK_THROWS_AS(store->remove("no-such-id"), NotFoundError);
    CHECK(store->count() == 0);
}

TEST_CASE("remove deletes the item and its names", "[store]") {
    QTemporaryDir dir;
    auto store = openStore(dir.path());
    const auto keep =
        store->create(makeItem("Keep", {"keep.example.com"}), QDateTime::currentDateTimeUtc());
    const auto gone = store->create(makeItem("Gone", {"gone.example.com", "alt.gone.example.com"}),
                                    QDateTime::currentDateTimeUtc());
    REQUIRE(store->summary().totalDomains == 3);
    store->remove(gone.id);
    CHECK(store->count() == 1);
    CHECK(store->summary().totalDomains == 1); // the names went with the item
    CHECK(store->list(searchFor("gone")).total == 0);
    CHECK(store->get(keep.id) == keep);
    CHECK_THROWS_AS(store->get(gone.id), NotFoundError);
}

TEST_CASE("refreshHealth updates the status of items whose health changed", "[store]") {
    QTemporaryDir dir;
    auto store = openStore(dir.path());
    auto ok = makeItem("Fresh", {"fresh.example.com"});
    setHealth(ok, Health::Ok);
    auto pending = makeItem("Pending", {"pending.example.com"});
    setHealth(pending, Health::NotYetIssued);
    store->create(ok, QDateTime::currentDateTimeUtc());
    store->create(pending, QDateTime::currentDateTimeUtc());

    const auto now = QDateTime::currentDateTimeUtc();
    CHECK(store->refreshHealth(now) == 0);
    CHECK(store->list(withHealth(Health::Ok)).total == 1);

    const auto later = now.addDays(200); // past the expiry of "Fresh"
    CHECK(store->refreshHealth(later) == 1);
    CHECK(store->list(withHealth(Health::Ok)).total == 0);
    CHECK(store->list(withHealth(Health::Error)).items.value(0).name == "Fresh");
    CHECK(store->summary().byHealth.value(Health::Error) == 1);
    CHECK(store->refreshHealth(later) == 0);
}

TEST_CASE("two stores in one process keep their own connections", "[store]") {
    QTemporaryDir a, b;
    auto storeA = openStore(a.path());
    auto storeB = openStore(b.path());
    storeA->create(makeItem("A", {"a.example.com"}), QDateTime::currentDateTimeUtc());
    CHECK(storeA->count() == 1);
    CHECK(storeB->count() == 0);
    storeA.reset();
    CHECK(storeB->count() == 0);
    storeB->create(makeItem("B", {"b.example.com"}), QDateTime::currentDateTimeUtc());
    CHECK(storeB->count() == 1);
}
