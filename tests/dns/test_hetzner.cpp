// The Hetzner DNS provider (service/dnsapi/HetznerProvider) against the Hetzner DNS stand-in
// (tests/standins/hetzner.py, after https://dns.hetzner.com/api-docs): the cases every hosted
// provider passes (StandInCases.h). A Hetzner token holds for every zone of one account, so the
// token "without rights" is one of another account, which does not see the zone at all.

#include "StandInCases.h"
#include "dnsapi/HetznerProvider.h"

using namespace ck;
using namespace ck::dnsapi;
using namespace ck::test;

namespace {
HostedProvider hetzner() {
    HostedProvider p;
    p.module = QStringLiteral("hetzner");
    p.title = QStringLiteral("Hetzner DNS");
    p.principals = {{"all", QJsonObject{{"secret", "hz-all"}}},
                    {"limited", QJsonObject{{"secret", "hz-limited"},
                                            {"read", QJsonArray{"deep.example.test"}},
                                            {"edit", QJsonArray{"deep.example.test"}}}}};
    p.limited = HostedProvider::Limited::SeesDeepOnly;
    p.make = [](process::ProcessRunner& runner, const DnsApiStandIn& api, const QString& who,
                HttpDnsOptions o) -> std::unique_ptr<HttpDnsProvider> {
        HetznerSettings s;
        s.apiToken = QStringLiteral("hz-") + who;
        s.apiUrl = api.origin() + QStringLiteral("/api/v1");
        return makeHetznerProvider(runner, s, o);
    };
    p.wrongCredentialWords = {QStringLiteral("list the zones"),
                              QStringLiteral("HTTP 401 \"Invalid authentication credentials\""),
                              QStringLiteral("check the API token")};
    p.noRightsWords = {QStringLiteral("HTTP 404 \"zone not found\""),
                       QStringLiteral("the token's account has no zone example.test"),
                       QStringLiteral("use a token of the account that holds it")};
    p.writeMethod = QStringLiteral("POST");
    p.writePath = QStringLiteral("/records");
    return p;
}
} // namespace

CK_STANDIN_CASES("Hetzner DNS", "[dns][hetzner]", hetzner)

TEST_CASE("Hetzner DNS: the name servers Hetzner lists are the ones asked by default",
          "[dns][hetzner]") {
    StandInFixture f(hetzner());
    HetznerSettings s{QStringLiteral("hz-all"), f.api->origin() + "/api/v1", 60};
    HttpDnsOptions o = StandInFixture::fast();
    o.caFile = f.api->caFile(); // and no dnsServer
    o.propagation = std::chrono::seconds(0);
    const auto p = makeHetznerProvider(f.runner, s, o);
    const auto r = txtRecord(QStringLiteral("example.test"), QStringLiteral("v"));
    runSync(p->present(r));
    // hydrogen.ns.hetzner.com is not reachable from here: the check names it.
    const auto e = errorOf<UpstreamError>(p->waitForPropagation(r, std::chrono::seconds(2)));
    INFO(str(e.message()));
    CHECK(e.message().contains(QStringLiteral("hydrogen.ns.hetzner.com")));
    runSync(p->cleanup(r));
    CHECK(f.api->records().isEmpty());
    CHECK(p->credentialScope().contains(QStringLiteral("every zone of its account")));
}
