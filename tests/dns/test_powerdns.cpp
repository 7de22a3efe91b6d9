// The PowerDNS provider (service/dnsapi) against a real PowerDNS Authoritative with the gsqlite3
// backend (tests/e2e/support/PowerDnsProcess), and the shared HTTP-API base's bad paths against a
// stand-in that answers 429, hangs or refuses the record: every failure names the provider, the
// zone and the provider's own words, and nothing is left in the zone.

#include "DnsTestSupport.h"
#include "PowerDnsProcess.h"
#include "StandInApi.h"
#include "dnsapi/PowerDnsProvider.h"
#include "process/ChildProcess.h"

#include <catch2/catch.hpp>

using namespace ck;
using namespace ck::challenges;
using namespace ck::dnsapi;
using namespace std::chrono_literals;

namespace {

DnsTxtRecord record(const QString& domain, const QString& value) {
    QString base = domain.startsWith(QLatin1String("*.")) ? domain.mid(2) : domain;
    return {QStringLiteral("_acme-challenge.") + base + u'.', value, domain};
}

QStringList sorted(QStringList list) {
    list.sort();
    return list;
}

std::string str(const QString& s) {
    return s.toStdString();
}

struct PdnsFixture {
    test::PowerDnsProcess pdns{
        {QStringLiteral("example.test."), QStringLiteral("deep.example.test.")}};
    process::ProcessRunner runner{2};
    PdnsFixture() {
        if (!pdns.start())
            FAIL(str(pdns.errorString()));
    }
    PowerDnsSettings settings(const QString& key = {}) const {
        PowerDnsSettings s;
        s.apiUrl = pdns.apiUrl();
        s.apiKey = key.isEmpty() ? pdns.apiKey() : key;
        s.dnsServer = pdns.dnsServer();
        return s;
    }
    std::unique_ptr<HttpDnsProvider> provider(const QString& key = {}, HttpDnsOptions o = {}) {
        o.requestTimeout = 5s;
        return makePowerDnsProvider(runner, settings(key), o);
    }
    QStringList leftovers() const { return pdns.storedTxt(QStringLiteral("_acme-challenge")); }
};

HttpDnsOptions fast() {
    HttpDnsOptions o;
    o.requestTimeout = 2s;
    o.maxRetryWait = 10s;
    o.maxAttempts = 3;
    return o;
}

QByteArray zonesJson() {
    return R"([{"id": "example.test.", "name": "example.test.", "kind": "Native"}])";
}

} // namespace

TEST_CASE_METHOD(PdnsFixture, "PowerDNS: a wildcard and its base name keep both values at one name",
                 "[dns][powerdns]") {
    auto first = provider();
    auto second = provider(); // as for two authorizations: one provider object each
    CHECK(first->title() ==
          QStringLiteral("PowerDNS Authoritative (HTTP API) at ") + pdns.apiUrl());
    const DnsTxtRecord base = record(QStringLiteral("example.test"), QStringLiteral("value-1"));
    const DnsTxtRecord wild = record(QStringLiteral("*.example.test"), QStringLiteral("value-2"));
    REQUIRE(base.name == wild.name);

    CHECK(test::runSync(first->listZones()) == QStringList{"deep.example.test.", "example.test."});
    CHECK(test::runSync(first->zoneFor(base.name)) == QStringLiteral("example.test."));
    test::runSync(first->present(base));
    test::runSync(second->present(wild));
    test::runSync(second->present(wild)); // again: still one value of it
    CHECK(sorted(pdns.txtRecords(base.name)) == QStringList{base.value, wild.value});
    const auto start = std::chrono::steady_clock::now();
    test::runSync(first->waitForPropagation(base, 10s));
    test::runSync(second->waitForPropagation(wild, 10s));
    CHECK(test::secondsSince(start) < 3.0);

    test::runSync(first->cleanup(base));
    CHECK(pdns.txtRecords(base.name) == QStringList{wild.value});
    test::runSync(first->cleanup(base)); // already gone: not an error
    CHECK(pdns.txtRecords(base.name) == QStringList{wild.value});
    test::runSync(second->cleanup(wild));
    CHECK(pdns.txtRecords(base.name).isEmpty());
    CHECK(leftovers().isEmpty());
}

TEST_CASE_METHOD(PdnsFixture, "PowerDNS: the longest zone wins, a named zone is used as given",
                 "[dns][powerdns]") {
    auto p = provider();
    const DnsTxtRecord deep = record(QStringLiteral("www.deep.example.test"), QStringLiteral("d"));
    CHECK(test::runSync(p->zoneFor(deep.name)) == QStringLiteral("deep.example.test."));
    test::runSync(p->present(deep));
    CHECK(pdns.txtRecords(deep.name) == QStringList{"d"});
    CHECK(leftovers() == QStringList{"_acme-challenge.www.deep.example.test \"d\""});
    test::runSync(p->cleanup(deep));
    CHECK(leftovers().isEmpty());

    // A zone the user names that does not hold the name is refused before anything is sent.
    HttpDnsOptions named;
    named.zone = QStringLiteral("deep.example.test");
    auto wrongZone = provider({}, named);
    const auto refused = test::errorOf<InvalidInputError>(
        wrongZone->present(record(QStringLiteral("www.example.test"), QStringLiteral("x"))));
    CHECK(refused.message().contains(QStringLiteral("not inside the zone deep.example.test.")));
    CHECK(leftovers().isEmpty());
}

TEST_CASE_METHOD(PdnsFixture, "PowerDNS: a wrong API key or a missing zone is a clear error",
                 "[dns][powerdns]") {
    const DnsTxtRecord r = record(QStringLiteral("www.example.test"), QStringLiteral("v"));
    const auto wrongKey =
        test::errorOf<UpstreamError>(provider(QStringLiteral("wrong"))->present(r));
    INFO(str(wrongKey.message()));
    CHECK(wrongKey.message().startsWith(QStringLiteral("PowerDNS Authoritative (HTTP API) at ")));
    CHECK(wrongKey.message().contains(QStringLiteral("list the zones")));
    CHECK(wrongKey.message().contains(QStringLiteral("HTTP 401 \"Unauthorized\"")));
    CHECK(wrongKey.message().contains(QStringLiteral("check the key")));
    CHECK_FALSE(wrongKey.message().contains(pdns.apiKey()));

    const auto noZone = test::errorOf<UpstreamError>(
        provider()->present(record(QStringLiteral("www.other.test"), QStringLiteral("v"))));
    INFO(str(noZone.message()));
    CHECK(noZone.message().contains(
        QStringLiteral("find the zone for _acme-challenge.www.other.test.")));
    CHECK(noZone.message().contains(QStringLiteral("deep.example.test., example.test.")));
    CHECK(noZone.message().contains(QStringLiteral("name the zone")));

    // A named zone PowerDNS does not have: its own words.
    HttpDnsOptions named;
    named.zone = QStringLiteral("other.test");
    const auto unknown = test::errorOf<UpstreamError>(provider({}, named)->present(
        record(QStringLiteral("www.other.test"), QStringLiteral("v"))));
    INFO(str(unknown.message()));
    CHECK(unknown.message().contains(QStringLiteral("in the zone other.test.")));
    CHECK(unknown.message().contains(QStringLiteral("HTTP 404")));
    CHECK(leftovers().isEmpty());

    const auto badUrl = test::errorOf<InvalidInputError>([&]() -> awaitable<void> {
        PowerDnsSettings s = settings();
        s.apiUrl = QStringLiteral("ftp://x");
        const auto p = makePowerDnsProvider(runner, s, {});
        co_return;
    }());
    CHECK(badUrl.field() == QStringLiteral("apiUrl"));
}

TEST_CASE("HTTP DNS API: 429 answers are waited out as Retry-After says, within bounds",
          "[dns][powerdns][ratelimit]") {
    process::ProcessRunner runner{2};
    auto limited = [](const char* retryAfter) {
        return test::CannedAnswer{429, R"({"error": "slow down"})", {{"Retry-After", retryAfter}}};
    };
    SECTION("a short Retry-After is honoured, then the request succeeds") {
        test::StandInApi api({limited("1"), {200, zonesJson(), {}}});
        const auto p =
            makePowerDnsProvider(runner, {api.url(), QStringLiteral("k"), {}, {}, 60}, fast());
        const auto start = std::chrono::steady_clock::now();
        CHECK(test::runSync(p->listZones()) == QStringList{"example.test."});
        CHECK(test::secondsSince(start) >= 0.9);
        CHECK(api.requests().size() == 2);
    }
    SECTION("a provider that keeps limiting fails after the bounded tries, saying so") {
        test::StandInApi api({limited("1")});
        const auto p =
            makePowerDnsProvider(runner, {api.url(), QStringLiteral("k"), {}, {}, 60}, fast());
        const auto e = test::errorOf<UpstreamError>(
            p->present(record(QStringLiteral("www.example.test"), QStringLiteral("v"))));
        INFO(str(e.message()));
        CHECK(e.message().contains(QStringLiteral("limits the rate of requests (HTTP 429")));
        CHECK(e.message().contains(QStringLiteral("slow down")));
        CHECK(e.message().contains(QStringLiteral("after 3 tries")));
        CHECK(api.requests().size() == 3);
    }
    SECTION("a Retry-After beyond the bound is not waited for") {
        test::StandInApi api({limited("3600")});
        const auto p =
            makePowerDnsProvider(runner, {api.url(), QStringLiteral("k"), {}, {}, 60}, fast());
        const auto start = std::chrono::steady_clock::now();
        const auto e = test::errorOf<UpstreamError>(p->listZones());
        CHECK(test::secondsSince(start) < 2.0);
        CHECK(e.message().contains(QStringLiteral("it asked for 3600 s more")));
    }
    CHECK(retryAfterSeconds("  7 ") == 7);
    CHECK(retryAfterSeconds("") == -1);
    CHECK(retryAfterSeconds("soon") == -1);
    CHECK(retryAfterSeconds("Sun, 06 Nov 1994 08:49:37 GMT") == 0); // in the past
}

TEST_CASE("HTTP DNS API: a provider that hangs fails within the time limit",
          "[dns][powerdns][hang]") {
    process::ProcessRunner runner{2};
    test::StandInApi api({}); // never answers
    const auto p =
        makePowerDnsProvider(runner, {api.url(), QStringLiteral("k"), {}, {}, 60}, fast());
    const auto start = std::chrono::steady_clock::now();
    const auto e = test::errorOf<UpstreamError>(
        p->present(record(QStringLiteral("www.example.test"), QStringLiteral("v"))));
    INFO(str(e.message()));
    CHECK(test::secondsSince(start) < 5.0);
    CHECK(e.message().startsWith(QStringLiteral("PowerDNS Authoritative (HTTP API) at ")));
    CHECK(e.message().contains(QStringLiteral("no answer within 2 s")));
}

TEST_CASE("HTTP DNS API: a refused record names the provider, the zone and its words",
          "[dns][powerdns][refused]") {
    process::ProcessRunner runner{2};
    test::StandInApi api(
        {{200, zonesJson(), {}},
         {200, R"({"name": "example.test.", "rrsets": []})", {}},
         {422,
          R"({"error": "Record _acme-challenge.www.example.test./TXT: policy forbids it"})",
          {}}});
    const auto p =
        makePowerDnsProvider(runner, {api.url(), QStringLiteral("k"), {}, {}, 60}, fast());
    const auto e = test::errorOf<UpstreamError>(
        p->present(record(QStringLiteral("www.example.test"), QStringLiteral("v"))));
    INFO(str(e.message()));
    CHECK(e.message() ==
          QStringLiteral("PowerDNS Authoritative (HTTP API) at %1: could not add the TXT record "
                         "_acme-challenge.www.example.test. in the zone example.test.: HTTP 422 "
                         "\"Record _acme-challenge.www.example.test./TXT: policy forbids it\"; the "
                         "provider refused the change")
              .arg(api.url()));
    const auto requests = api.requests();
    REQUIRE(requests.size() == 3);
    CHECK(requests[2].startsWith("PATCH /api/v1/servers/localhost/zones/example.test."));
    CHECK(requests[2].contains(R"("changetype":"REPLACE")"));
    CHECK(requests[2].contains(R"({"content":"\"v\"","disabled":false})"));
}
