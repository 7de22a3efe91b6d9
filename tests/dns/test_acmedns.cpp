// The acme-dns provider (service/dnsapi/AcmeDnsProvider) against the acme-dns stand-in
// (tests/standins/acmedns.py, after https://github.com/joohoi/acme-dns#api), which publishes the
// registration's values to challtestsrv. acme-dns has no zones: every value goes to the
// registration's own name (the user's _acme-challenge names are CNAMEs to it), it keeps the two
// latest values and it has no delete. Registration through the credential test is end to end, in
// tests/e2e/test_issuance_hosted_dns.cpp.

#include "StandInCases.h"
#include "dnsapi/AcmeDnsProvider.h"

using namespace ck;
using namespace ck::dnsapi;
using namespace ck::test;
using namespace std::chrono_literals;

namespace {
const QString kUser = QStringLiteral("c36f50e8-4632-44f0-83fe-e070fef28a10");
const QString kSubdomain = QStringLiteral("8e5700ea-a4bf-41c7-8a77-e990661dcc6a");
const QString kFull = kSubdomain + QStringLiteral(".auth.acme-dns.test");

// A 43-character value, as the ACME digests are.
QString digest(char c) {
    return QString(43, QLatin1Char(c));
}

struct AcmeDnsFixture {
    ChallTestSrvProcess challtestsrv;
    std::unique_ptr<DnsApiStandIn> api;
    process::ProcessRunner runner{2};
    AcmeDnsFixture() {
        if (!challtestsrv.start())
            FAIL(str(challtestsrv.errorString()));
        const QJsonObject registered{
            {"username", kUser}, {"secret", "the-key"}, {"subdomain", kSubdomain}};
        const QJsonObject elsewhere{{"username", "0d4b8a65-6f0c-4ea4-9b39-17d2c1c0a7b1"},
                                    {"secret", "other-key"},
                                    {"subdomain", "3f2b0b59-5d1e-4d35-9a1c-0cb0f3a1a8d2"},
                                    {"allowfrom", QJsonArray{"192.0.2.0/24"}}};
        api = std::make_unique<DnsApiStandIn>(
            QStringLiteral("acmedns"),
            QJsonObject{{"domain", "auth.acme-dns.test"},
                        {"principals", QJsonObject{{"reg", registered}, {"elsewhere", elsewhere}}},
                        {"challtestsrv", challtestsrv.managementUrl()}});
        if (!api->start())
            FAIL(str(api->errorString()));
    }
    std::unique_ptr<AcmeDnsProvider> make(AcmeDnsSettings s = {},
                                          HttpDnsOptions o = StandInFixture::fast()) {
        if (s.username.isEmpty() && s.password.isEmpty()) {
            s.username = kUser;
            s.password = QStringLiteral("the-key");
            s.subdomain = kSubdomain;
            s.fulldomain = kFull;
        }
        s.apiUrl = api->origin();
        o.caFile = api->caFile();
        o.dnsServer = challtestsrv.dnsAddress();
        return std::make_unique<AcmeDnsProvider>(runner, s, o);
    }
    void requireClear(const DomainError& e, const QStringList& words) const {
        INFO(str(e.message()));
        CHECK(e.message().startsWith(QStringLiteral("acme-dns at ") + api->origin()));
        for (const QString& w : words)
            CHECK(e.message().contains(w));
        CHECK(api->records().isEmpty());
    }
};
} // namespace

TEST_CASE("acme-dns: a wildcard's and its base name's values at the registration's name",
          "[dns][acmedns]") {
    AcmeDnsFixture f;
    auto first = f.make();
    auto second = f.make();
    const auto base = txtRecord(QStringLiteral("example.test"), digest('a'));
    const auto wild = txtRecord(QStringLiteral("*.example.test"), digest('b'));
    CHECK(test::runSync(first->zoneFor(base.name)) == kFull + u'.');
    test::runSync(first->present(base));
    test::runSync(second->present(wild));
    CHECK(f.api->values(kFull) == QStringList{digest('a'), digest('b')});
    // Asked at the registration's name, where the CNAME leads and the CA looks.
    test::runSync(first->waitForPropagation(base, 10s));
    test::runSync(second->waitForPropagation(wild, 10s));
    // No delete in acme-dns: cleanup changes nothing, and the next values push these out.
    test::runSync(first->cleanup(base));
    test::runSync(second->cleanup(wild));
    test::runSync(first->present(txtRecord(QStringLiteral("example.test"), digest('c'))));
    CHECK(f.api->values(kFull) == QStringList{digest('b'), digest('c')});
    CHECK(first->credentialScope().contains(QStringLiteral("cannot touch any zone of yours")));
    CHECK(f.api->requests().filter(QStringLiteral("POST /update -> 200")).size() == 3);
}

TEST_CASE("acme-dns: a wrong key, a registration for other networks, an unregistered credential",
          "[dns][acmedns]") {
    AcmeDnsFixture f;
    const auto r = txtRecord(QStringLiteral("www.example.test"), digest('v'));
    AcmeDnsSettings wrong{{}, kUser, QStringLiteral("not-the-key"), kSubdomain, kFull, {}};
    f.requireClear(test::errorOf<UpstreamError>(f.make(wrong)->present(r)),
                   {QStringLiteral("set the TXT value for _acme-challenge.www.example.test."),
                    QStringLiteral("in the zone ") + kFull,
                    QStringLiteral("HTTP 401 \"forbidden\""),
                    QStringLiteral("did not accept the user and key")});
    AcmeDnsSettings elsewhere{
        {},
        QStringLiteral("0d4b8a65-6f0c-4ea4-9b39-17d2c1c0a7b1"),
        QStringLiteral("other-key"),
        QStringLiteral("3f2b0b59-5d1e-4d35-9a1c-0cb0f3a1a8d2"),
        QStringLiteral("3f2b0b59-5d1e-4d35-9a1c-0cb0f3a1a8d2.auth.acme-dns.test"),
        {}};
    f.requireClear(test::errorOf<UpstreamError>(f.make(elsewhere)->present(r)),
                   {QStringLiteral("HTTP 401 \"forbidden\""),
                    QStringLiteral("not in the registration's allowed networks")});

    auto p = std::make_unique<AcmeDnsProvider>(
        f.runner, AcmeDnsSettings{f.api->origin(), {}, {}, {}, {}, {}}, HttpDnsOptions{});
    const auto notYet = test::errorOf<InvalidInputError>(p->present(r));
    CHECK(notYet.message().contains(QStringLiteral("not registered yet: press Test on it")));
    CHECK(f.api->requests().filter(QStringLiteral("/update")).size() == 2); // the two above

    // Half a registration cannot work: the field is named before anything is sent.
    const auto half = test::errorOf<InvalidInputError>([&]() -> awaitable<void> {
        AcmeDnsProvider q(f.runner, {f.api->origin(), kUser, {}, {}, {}, {}}, {});
        co_return;
    }());
    CHECK(half.field() == QStringLiteral("password"));
}

TEST_CASE("acme-dns: 429, a server that hangs and a refused value are clear errors",
          "[dns][acmedns]") {
    AcmeDnsFixture f;
    const auto r = txtRecord(QStringLiteral("www.example.test"), digest('v'));
    SECTION("429 with Retry-After is waited out") {
        f.api->addFault({{"status", 429},
                         {"message", "too_many_requests"},
                         {"headers", QJsonObject{{"Retry-After", "1"}}},
                         {"count", 1}});
        const auto start = std::chrono::steady_clock::now();
        test::runSync(f.make()->present(r));
        CHECK(test::secondsSince(start) >= 0.9);
        CHECK(f.api->values(kFull) == QStringList{digest('v')});
    }
    SECTION("a server that hangs") {
        f.api->addFault({{"hang", true}, {"count", -1}});
        f.requireClear(test::errorOf<UpstreamError>(f.make()->present(r)),
                       {QStringLiteral("no answer within 2 s")});
    }
    SECTION("a refused value") {
        f.api->addFault({{"path", "/update"}, {"status", 400}, {"message", "bad_txt"}});
        f.requireClear(test::errorOf<UpstreamError>(f.make()->present(r)),
                       {QStringLiteral("in the zone ") + kFull,
                        QStringLiteral("HTTP 400 \"bad_txt\""),
                        QStringLiteral("the provider refused the change")});
    }
}
