// The edition's allowance as a pure question: how many of N new items fit next to U used, and
// whether the rest are refused. At the edges: nothing used, exactly at the limit, past it (an
// expired license's items stay), no limit, and no new items at all.

#include "licensing/LicenseManager.h"

#include <catch2/catch.hpp>

using namespace ck;
using namespace ck::licensing;

namespace {
ItemAllowance community() {
    ItemAllowance a;
    a.limit = kCommunityItemLimit;
    a.holder = QStringLiteral("The Community edition");
    return a;
}

ItemAllowance unlimited() {
    ItemAllowance a;
    a.limit = 0;
    a.holder = QStringLiteral("Your professional license (tests@example.com)");
    a.licensed = true;
    return a;
}
} // namespace

TEST_CASE("allowance: with nothing used, up to the limit fits", "[license][allowance]") {
    REQUIRE(kCommunityItemLimit == 5);
    const ItemAllowance a = community();
    const AllowanceFit three = a.fit(0, 3);
    CHECK(three.fitting == 3);
    CHECK_FALSE(three.refused);
    CHECK(three.reason.isEmpty());

    const AllowanceFit five = a.fit(0, 5);
    CHECK(five.fitting == 5);
    CHECK_FALSE(five.refused);

    const AllowanceFit six = a.fit(0, 6);
    CHECK(six.fitting == 5);
    CHECK(six.refused);
    CHECK(six.reason.contains("Community edition manages at most 5 certificates and 0 are "
                              "managed already, so 6 more certificates cannot be added"));
}

TEST_CASE("allowance: a batch that ends exactly at the limit fits; one more does not",
          "[license][allowance]") {
    const ItemAllowance a = community();
    CHECK(a.fit(2, 3).fitting == 3);
    CHECK_FALSE(a.fit(2, 3).refused);
    CHECK(a.fit(4, 1).fitting == 1);
    CHECK_FALSE(a.fit(4, 1).refused);

    const AllowanceFit partly = a.fit(3, 4);
    CHECK(partly.fitting == 2);
    CHECK(partly.refused);
    CHECK(partly.reason.contains("4 more certificates"));

    const AllowanceFit atLimit = a.fit(5, 1);
    CHECK(atLimit.fitting == 0);
    CHECK(atLimit.refused);
    CHECK(atLimit.reason.contains("5 are managed already, so another certificate cannot be"));
}

TEST_CASE("allowance: past the limit, nothing fits and nothing goes negative",
          "[license][allowance]") {
    const ItemAllowance a = community(); // e.g. a license expired with 8 items
    const AllowanceFit f = a.fit(8, 2);
    CHECK(f.fitting == 0);
    CHECK(f.refused);
    CHECK(f.reason.contains("8 are managed already"));
}

TEST_CASE("allowance: no limit lets everything in", "[license][allowance]") {
    const ItemAllowance a = unlimited();
    const AllowanceFit f = a.fit(5000, 5000);
    CHECK(f.fitting == 5000);
    CHECK_FALSE(f.refused);
    CHECK(f.reason.isEmpty());
}

TEST_CASE("allowance: no new items fit trivially, even past the limit", "[license][allowance]") {
    for (int used : {0, 5, 8}) {
        const AllowanceFit f = community().fit(used, 0);
        CHECK(f.fitting == 0);
        CHECK_FALSE(f.refused);
    }
    CHECK(unlimited().fit(12, 0).fitting == 0);
    CHECK_FALSE(unlimited().fit(12, 0).refused);
}

TEST_CASE("allowance: require refuses exactly what fit refuses, with its reason",
          "[license][allowance]") {
    const ItemAllowance a = community();
    for (int used = 0; used <= 7; ++used) {
        for (int adding = 0; adding <= 7; ++adding) {
            const AllowanceFit f = a.fit(used, adding);
            if (f.refused) {
                try {
                    a.require(used, adding);
                    FAIL("require let in what fit refused");
                } catch (const LimitReachedError& e) {
                    CHECK(e.message() == f.reason);
                }
            } else {
                CHECK_NOTHROW(a.require(used, adding));
            }
        }
    }
}
