// Creating items within the edition's allowance (items::createWithinAllowance) against a real
// store: what fits is created in order, the rest is reported, a dry run writes nothing.

#include "StoreTestSupport.h"
#include "items/ItemCreation.h"

#include <catch2/catch.hpp>

#include <QTemporaryDir>

using namespace ck;
using namespace ck::storetest;

namespace {
const QDateTime kNow = QDateTime::fromString("2026-11-20T10:00:00Z", Qt::ISODate);

licensing::ItemAllowance community() {
    licensing::ItemAllowance a;
    a.limit = kCommunityItemLimit;
    a.holder = QStringLiteral("The Community edition");
    return a;
}

QList<ManagedCertificate> newItems(int count, const QString& prefix) {
    QList<ManagedCertificate> items;
    for (int i = 0; i < count; ++i) {
        const QString name = QStringLiteral("%1%2").arg(prefix).arg(i);
        items << makeItem(name, {name + QStringLiteral(".example.com")});
    }
    return items;
}

QStringList namesOf(const QList<ManagedCertificate>& items) {
    QStringList names;
    for (const auto& item : items)
        names << item.name;
    return names;
}
} // namespace

TEST_CASE("items: a batch creates what fits, in order, and says why the rest did not", "[items]") {
    QTemporaryDir dir;
    auto store = openStore(dir.path());
    store->createMany(newItems(3, "old"), kNow);

    const items::BatchCreation out =
        items::createWithinAllowance(*store, newItems(4, "new"), community(), kNow, false);
    CHECK(namesOf(out.accepted) == QStringList{"new0", "new1"});
    for (const auto& created : out.accepted) {
        CHECK(created.id.size() == 36);
        CHECK(store->contains(created.id));
    }
    CHECK(out.overLimit.contains("at most 5 certificates and 3 are managed already"));
    CHECK(store->count() == 5);

    // At the limit now: nothing more is created, and the reason is given.
    const items::BatchCreation full =
        items::createWithinAllowance(*store, newItems(1, "late"), community(), kNow, false);
    CHECK(full.accepted.isEmpty());
    CHECK(full.overLimit.contains("another certificate cannot be added"));
    CHECK(store->count() == 5);
}

TEST_CASE("items: a dry run answers what would be created and writes nothing", "[items]") {
    QTemporaryDir dir;
    auto store = openStore(dir.path());
    store->createMany(newItems(4, "old"), kNow);

    const items::BatchCreation out =
        items::createWithinAllowance(*store, newItems(3, "new"), community(), kNow, true);
    CHECK(namesOf(out.accepted) == QStringList{"new0"});
    CHECK(out.accepted.first().id.isEmpty()); // not stored
    CHECK_FALSE(out.overLimit.isEmpty());
    CHECK(store->count() == 4);
}

TEST_CASE("items: a batch within the limit, or without one, is created whole", "[items]") {
    QTemporaryDir dir;
    auto store = openStore(dir.path());

    const items::BatchCreation fits =
        items::createWithinAllowance(*store, newItems(5, "a"), community(), kNow, false);
    CHECK(fits.accepted.size() == 5);
    CHECK(fits.overLimit.isEmpty());

    licensing::ItemAllowance unlimited;
    unlimited.limit = 0;
    unlimited.licensed = true;
    const items::BatchCreation all =
        items::createWithinAllowance(*store, newItems(20, "b"), unlimited, kNow, false);
    CHECK(all.accepted.size() == 20);
    CHECK(all.overLimit.isEmpty());
    CHECK(store->count() == 25);

    const items::BatchCreation none =
        items::createWithinAllowance(*store, {}, community(), kNow, false);
    CHECK(none.accepted.isEmpty());
    CHECK(none.overLimit.isEmpty()); // nothing asked, nothing refused
}
