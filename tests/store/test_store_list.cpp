// Many items: search, the health filter, paging and the summary.

#include "StoreTestSupport.h"

#include <catch2/catch.hpp>

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>

using namespace ck;
using namespace ck::storetest;
using ck::store::RawItemPage;

namespace {
QStringList names(const ItemPage& page) {
    QStringList out;
    for (const auto& item : page.items)
        out.append(item.name);
    return out;
}
} // namespace

TEST_CASE("list pages through 250 items in name order", "[store][list]") {
    QTemporaryDir dir;
    auto store = openStore(dir.path());
    const auto now = QDateTime::currentDateTimeUtc();
    // Created in reverse so the order comes from the query, not from insertion.
    for (int i = 249; i >= 0; --i) {
        auto item =
            makeItem(QString("Item %1").arg(i, 3, 10, QChar('0')),
                     {QString("item%1.example.com").arg(i), QString("alt%1.example.net").arg(i)});
        setHealth(item, i % 5 == 0 ? Health::Error : Health::Ok);
        store->create(item, now);
    }
    REQUIRE(store->count() == 250);

    ListQuery query;
    query.limit = 100;
    const auto first = store->list(query);
    CHECK(first.total == 250);
    CHECK(first.offset == 0);
    CHECK(first.limit == 100);
    REQUIRE(first.items.size() == 100);
    CHECK(first.items.front().name == "Item 000");
    CHECK(first.items.back().name == "Item 099");

    query.offset = 200;
    const auto last = store->list(query);
    CHECK(last.total == 250);
    REQUIRE(last.items.size() == 50);
    CHECK(last.items.front().name == "Item 200");
    CHECK(last.items.back().name == "Item 249");

    query.offset = 300;
    CHECK(store->list(query).items.isEmpty());
    CHECK(store->list(query).total == 250);

    // Every item exactly once across the pages.
    QSet<QString> seen;
    for (int offset = 0; offset < 250; offset += 33) {
        ListQuery page;
        page.offset = offset;
        page.limit = 33;
        for (const auto& item : store->list(page).items)
            seen.insert(item.id);
    }
    CHECK(seen.size() == 250);

    // The health filter, with paging over the matches.
    ListQuery errors;
    errors.health = Health::Error;
    errors.limit = 20;
    const auto errorPage = store->list(errors);
    CHECK(errorPage.total == 50);
    CHECK(errorPage.items.size() == 20);
    for (const auto& item : errorPage.items)
        CHECK(item.health(QDateTime::currentDateTimeUtc()) == Health::Error);

    // Search and filter together: names 010..019 whose number is a multiple of 5.
    ListQuery both = searchFor("Item 01");
    both.health = Health::Error;
    CHECK(names(store->list(both)) == QStringList{"Item 010", "Item 015"});

    // A non-primary name finds its item.
    CHECK(names(store->list(searchFor("ALT123.example"))) == QStringList{"Item 123"});
}

TEST_CASE("search matches the name or any domain, case-insensitively", "[store][list]") {
    QTemporaryDir dir;
    auto store = openStore(dir.path());
    const auto now = QDateTime::currentDateTimeUtc();
    store->create(makeItem("Web shop", {"www.example.com", "shop.example.org"}), now);
    store->create(makeItem("Mail", {"mail.example.com"}), now);
    store->create(makeItem("Büro Zertifikat", {"intranet.example.de"}), now);
    store->create(makeItem("beta", {"beta.example.com"}), now);
    store->create(makeItem("Alpha", {"alpha.example.com"}), now);

    CHECK(names(store->list(searchFor("SHOP.EXAMPLE.ORG"))) == QStringList{"Web shop"});
    CHECK(names(store->list(searchFor("web SHOP"))) == QStringList{"Web shop"});
    CHECK(names(store->list(searchFor("example.com"))) ==
          QStringList{"Alpha", "beta", "Mail", "Web shop"}); // by name, ignoring case
    CHECK(names(store->list(searchFor("BÜRO"))) == QStringList{"Büro Zertifikat"});
    CHECK(store->list(searchFor("nothing-like-this")).total == 0);
    CHECK(store->list(searchFor("")).total == 5);
    // A quote or a statement in the search is text, not SQL.
    CHECK(store->list(searchFor("'; DROP TABLE manageditem; --")).total == 0);
    CHECK(store->count() == 5);
}

TEST_CASE("search takes % and _ literally", "[store][list]") {
    QTemporaryDir dir;
    auto store = openStore(dir.path());
    const auto now = QDateTime::currentDateTimeUtc();
    store->create(makeItem("100% coverage", {"a.example.com"}), now);
    store->create(makeItem("1000 coverage", {"b.example.com"}), now);
    store->create(makeItem("under_score", {"c.example.com"}), now);
    store->create(makeItem("underXscore", {"d.example.com"}), now);
    store->create(makeItem("back\\slash", {"e.example.com"}), now);
    store->create(makeItem("domain only", {"odd_name.example.com"}), now);

    CHECK(names(store->list(searchFor("%"))) == QStringList{"100% coverage"});
    CHECK(names(store->list(searchFor("0%"))) == QStringList{"100% coverage"});
    CHECK(names(store->list(searchFor("r_s"))) == QStringList{"under_score"});
    CHECK(names(store->list(searchFor("_"))) == QStringList{"domain only", "under_score"});
    CHECK(names(store->list(searchFor("\\"))) == QStringList{"back\\slash"});
    CHECK(names(store->list(searchFor("k\\s"))) == QStringList{"back\\slash"});
}

TEST_CASE("summary counts items, domains and health", "[store][list]") {
    QTemporaryDir dir;
    auto store = openStore(dir.path());
    CHECK(store->summary().total == 0);
    CHECK(store->summary().totalDomains == 0);

    const auto now = QDateTime::currentDateTimeUtc();
    const QList<std::pair<Health, int>> plan{{Health::Ok, 4},
                                             {Health::Warning, 3},
                                             {Health::Error, 2},
                                             {Health::AwaitingUser, 1},
                                             {Health::NotYetIssued, 5}};
    int n = 0;
    for (const auto& [health, count] : plan)
        for (int i = 0; i < count; ++i, ++n) {
            QStringList domains{QString("n%1.example.com").arg(n)};
            if (n % 2 == 0)
                domains.append(QString("www.n%1.example.com").arg(n));
            auto item = makeItem(QString("Item %1").arg(n), domains);
            setHealth(item, health);
            store->create(item, now);
        }
    const auto summary = store->summary();
    CHECK(summary.total == 15);
    CHECK(summary.totalDomains == 15 + 8); // items 0, 2, ..., 14 have a second name
    for (const auto& [health, count] : plan) {
        INFO(toString(health).toStdString());
        CHECK(summary.byHealth.value(health) == count);
    }
}

TEST_CASE("the raw list is the list's page as stored JSON, in the same order", "[store][list]") {
    QTemporaryDir dir;
    auto store = openStore(dir.path());
    const auto now = QDateTime::currentDateTimeUtc();
    for (int i = 0; i < 30; ++i) {
        auto item = makeItem(QString("Raw %1").arg(29 - i),
                             {QString("raw%1.example.com").arg(i), "shared.example.net"});
        setHealth(item, i % 3 == 0 ? Health::Warning : Health::Ok);
        item.renewalFailureMessage = QString("Ünïcode \"quoted\" message %1").arg(i);
        store->create(item, now);
    }
    ListQuery query = withHealth(Health::Warning);
    query.offset = 2;
    query.limit = 5;
    const RawItemPage raw = store->listRaw(query);
    const ItemPage decoded = store->list(query);
    CHECK(raw.total == 10);
    CHECK(raw.offset == 2);
    CHECK(raw.limit == 5);
    REQUIRE(raw.items.size() == 5);

    // The bytes parse into exactly the page list() decodes, and into the same document.
    QJsonParseError error{};
    const auto document = QJsonDocument::fromJson(raw.toJsonBytes(), &error);
    REQUIRE(error.error == QJsonParseError::NoError);
    QList<FieldError> fieldErrors;
    const ItemPage reparsed = ItemPage::fromJson(document.object(), &fieldErrors);
    CHECK(fieldErrors.isEmpty());
    CHECK(reparsed.items == decoded.items);
    CHECK(document.object() == decoded.toJson());
    for (const auto& item : reparsed.items)
        CHECK(item == store->get(item.id)); // ids and versions as stored

    // An empty page is still a whole document.
    query.offset = 100;
    const auto empty = QJsonDocument::fromJson(store->listRaw(query).toJsonBytes()).object();
    CHECK(empty.value("items").toArray().isEmpty());
    CHECK(empty.value("total").toInt() == 10);
}

TEST_CASE("a row whose stored text is not JSON fails the list naming the item", "[store][list]") {
    QTemporaryDir dir;
    QString damagedId;
    {
        auto store = openStore(dir.path());
        const auto now = QDateTime::currentDateTimeUtc();
        store->create(makeItem("Good", {"good.example.com"}), now);
        damagedId = store->create(makeItem("Damaged", {"damaged.example.com"}), now).id;
    }
    QString error;
    const bool damaged =
        writeBehindTheStore(dir.path(), "UPDATE manageditem SET json = ? WHERE id = ?",
                            {QString(R"({"name": "Damaged", "requestConf)"), damagedId}, error);
    auto store = openStore(dir.path());
    if (onPostgres()) {
        // The json column refuses what is not JSON: the damage cannot happen there.
        CHECK_FALSE(damaged);
        CHECK(error.contains("json", Qt::CaseInsensitive));
        CHECK(store->list(ListQuery{}).items.size() == 2);
        return;
    }
    INFO(error.toStdString());
    REQUIRE(damaged);
    try {
        store->listRaw(ListQuery{});
        FAIL("no error");
    } catch (const InternalError& e) {
        CHECK(e.message().contains(damagedId));
        CHECK(e.message().contains("damaged"));
    }
    CHECK_THROWS_AS(store->list(ListQuery{}), InternalError);
    CHECK(store->list(searchFor("good")).items.size() == 1); // other pages still list
}

TEST_CASE("createMany keeps the renewal state the items carry", "[store][list]") {
    QTemporaryDir dir;
    auto store = openStore(dir.path());
    const auto now = QDateTime::currentDateTimeUtc();
    QList<ManagedCertificate> items;
    for (int i = 0; i < 500; ++i) {
        auto item = makeItem(QString("Imported %1").arg(i, 3, 10, QChar('0')),
                             {QString("imp%1.example.com").arg(i)});
        setHealth(item, i % 2 ? Health::Warning : Health::Ok);
        items.append(item);
    }
    const auto stored = store->createMany(items, now);
    REQUIRE(stored.size() == 500);
    CHECK(store->count() == 500);
    QSet<QString> ids;
    for (int i = 0; i < stored.size(); ++i) {
        ids.insert(stored[i].id);
        CHECK(stored[i].version == 1);
        CHECK(stored[i].dateCreated == now);
        CHECK(stored[i].dateExpiry == items[i].dateExpiry);
    }
    CHECK(ids.size() == 500);
    CHECK(store->get(stored[7].id) == stored[7]);
    CHECK(store->summary().byHealth.value(Health::Warning) == 250);
    CHECK(store->list(searchFor("imp499.example")).total == 1);
}

TEST_CASE("the state tag moves with every write and only then", "[store][list]") {
    QTemporaryDir dir;
    auto store = openStore(dir.path());
    const auto now = QDateTime::currentDateTimeUtc();
    QByteArray tag = store->stateTag();
    // Each step must move the tag; the reads between them must not.
    const auto moved = [&](const char* step) {
        INFO(step);
        const QByteArray next = store->stateTag();
        CHECK(next != tag);
        (void)store->list(ListQuery{});
        (void)store->listRaw(ListQuery{});
        (void)store->summary();
        (void)store->count();
        (void)store->all();
        CHECK(store->stateTag() == next);
        tag = next;
    };

    auto fresh = makeItem("Fresh", {"fresh.example.com"});
    setHealth(fresh, Health::Ok);
    ManagedCertificate stored = store->create(fresh, now);
    moved("create");
    stored.comments = QStringLiteral("changed");
    stored = store->update(stored);
    moved("update");
    stored.comments = QStringLiteral("changed again");
    stored = store->updateMany({stored}).value(0);
    moved("updateMany");
    const auto many = store->createMany(
        {makeItem("A", {"a.example.com"}), makeItem("B", {"b.example.com"})}, now);
    moved("createMany");
    store->remove(many.value(0).id);
    moved("remove");
    store->restore({many.value(0)}, false, now);
    moved("restore");
    CHECK(store->refreshHealth(now) == 0);
    CHECK(store->stateTag() == tag); // nothing to refresh: nothing moved
    REQUIRE(store->refreshHealth(now.addDays(200)) >= 1);
    moved("refreshHealth");
    (void)store->backup(now);
    CHECK(store->stateTag() == tag); // a backup copies the data out and changes none of it

    // A write by another connection (another process on the same file, another service on the
    // same database) moves it too.
    QString error;
    INFO(error.toStdString());
    REQUIRE(writeBehindTheStore(dir.path(),
                                "UPDATE manageditem SET name = 'Renamed' WHERE name = ?",
                                {QString("B")}, error));
    moved("another connection");

    // The next opening never answers a tag of this one, though its counters start again.
    store.reset();
    store = openStore(dir.path());
    CHECK(store->stateTag() != tag);
}
