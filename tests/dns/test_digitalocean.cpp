// The DigitalOcean provider (service/dnsapi/DigitalOceanProvider) against the DigitalOcean
// stand-in (tests/standins/digitalocean.py, after
// https://docs.digitalocean.com/reference/api/api-reference/#tag/Domain-Records): the cases every
// hosted provider passes (StandInCases.h), and its name servers read for the propagation check.

#include "StandInCases.h"
#include "dnsapi/DigitalOceanProvider.h"

using namespace ck;
using namespace ck::dnsapi;
using namespace ck::test;

namespace {
HostedProvider digitalOcean() {
    HostedProvider p;
    p.module = QStringLiteral("digitalocean");
    p.title = QStringLiteral("DigitalOcean");
    // Token scopes hold for the whole team: "limited" has domain:read only.
    p.principals = {{"all", QJsonObject{{"secret", "dop_v1_all"}}},
                    {"limited", QJsonObject{{"secret", "dop_v1_limited"}, {"edit", QJsonArray{}}}}};
    p.limited = HostedProvider::Limited::ReadOnly;
    p.make = [](process::ProcessRunner& runner, const DnsApiStandIn& api, const QString& who,
                HttpDnsOptions o) -> std::unique_ptr<HttpDnsProvider> {
        DigitalOceanSettings s;
        s.apiToken = QStringLiteral("dop_v1_") + who;
        s.apiUrl = api.origin() + QStringLiteral("/v2");
        return makeDigitalOceanProvider(runner, s, o);
    };
    p.wrongCredentialWords = {
        QStringLiteral("list the zones"),
        QStringLiteral("HTTP 401 \"Unable to authenticate you (unauthorized)\""),
        QStringLiteral("check the personal access token")};
    p.noRightsWords = {
        QStringLiteral("HTTP 403 \"You are not authorized to perform this operation (forbidden)\""),
        QStringLiteral("the token may not change the records of example.test"),
        QStringLiteral("domain:create and domain:delete")};
    p.writeMethod = QStringLiteral("POST");
    p.writePath = QStringLiteral("/records");
    return p;
}
} // namespace

CK_STANDIN_CASES("DigitalOcean", "[dns][digitalocean]", digitalOcean)

TEST_CASE("DigitalOcean: without a DNS server to check, the zone's name servers are read",
          "[dns][digitalocean]") {
    StandInFixture f(digitalOcean());
    DigitalOceanSettings s{QStringLiteral("dop_v1_all"), f.api->origin() + "/v2", 30};
    HttpDnsOptions o = StandInFixture::fast();
    o.caFile = f.api->caFile(); // and no dnsServer
    const auto p = makeDigitalOceanProvider(f.runner, s, o);
    const auto r = txtRecord(QStringLiteral("example.test"), QStringLiteral("v"));
    runSync(p->present(r));
    runSync(p->cleanup(r));
    CHECK(f.api->requests().filter(QStringLiteral("type=NS&name=example.test")).size() == 1);
    CHECK(f.api->records().isEmpty());
    CHECK(p->title() == QStringLiteral("DigitalOcean at ") + f.api->origin() + "/v2");
}
