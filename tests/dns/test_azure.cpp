// The Azure DNS provider (service/dnsapi/AzureDnsProvider) against the Azure stand-in
// (tests/standins/azure.py, after https://learn.microsoft.com/rest/api/dns/ and
// https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow), which
// issues the OAuth token itself and checks it on every Resource Manager call: the cases every
// hosted provider passes (StandInCases.h), and the etag that keeps another writer's value.

#include "StandInCases.h"
#include "dnsapi/AzureDnsProvider.h"

using namespace ck;
using namespace ck::dnsapi;
using namespace ck::test;

namespace {
const QString kTenant = QStringLiteral("72f988bf-86f1-41af-91ab-2d7cd011db47");
const QString kSubscription = QStringLiteral("11111111-2222-3333-4444-555555555555");

HostedProvider azure() {
    HostedProvider p;
    p.module = QStringLiteral("azure");
    p.title = QStringLiteral("Azure DNS");
    p.principals = {
        {"all",
         QJsonObject{{"tenant", kTenant}, {"clientId", "app-all"}, {"secret", "secret-all"}}},
        {"limited", QJsonObject{{"tenant", kTenant},
                                {"clientId", "app-limited"},
                                {"secret", "secret-limited"},
                                {"edit", QJsonArray{"deep.example.test"}}}}};
    p.extraConfig = {{"subscription", kSubscription}, {"resourceGroup", "dns-rg"}};
    p.make = [](process::ProcessRunner& runner, const DnsApiStandIn& api, const QString& who,
                HttpDnsOptions o) -> std::unique_ptr<HttpDnsProvider> {
        AzureDnsSettings s;
        s.tenantId = kTenant;
        s.clientId = who == QLatin1String("limited") ? QStringLiteral("app-limited")
                                                     : QStringLiteral("app-all");
        s.clientSecret = QStringLiteral("secret-") + who; // "wrong": a wrong secret
        s.subscriptionId = kSubscription;
        s.apiUrl = api.origin();
        s.authorityUrl = api.origin();
        return makeAzureDnsProvider(runner, s, o);
    };
    p.wrongCredentialWords = {QStringLiteral("get an access token from"),
                              QStringLiteral("HTTP 401 \"invalid_client: AADSTS7000215: Invalid "
                                             "client secret provided."),
                              QStringLiteral("check the tenant, client id and client secret")};
    p.noRightsWords = {QStringLiteral("HTTP 403 \"AuthorizationFailed: The client 'app-limited'"),
                       QStringLiteral("Microsoft.Network/dnszones/TXT/write"),
                       QStringLiteral("lacks the role DNS Zone Contributor on example.test")};
    p.writeMethod = QStringLiteral("PUT");
    p.writePath = QStringLiteral("/TXT/");
    return p;
}
} // namespace

CK_STANDIN_CASES("Azure DNS", "[dns][azure]", azure)

TEST_CASE("Azure DNS: one token for many calls, and writes only over the set as read",
          "[dns][azure]") {
    StandInFixture f(azure());
    auto p = f.make();
    const auto base = txtRecord(QStringLiteral("example.test"), QStringLiteral("b"));
    const auto wild = txtRecord(QStringLiteral("*.example.test"), QStringLiteral("w"));
    runSync(p->present(base));
    runSync(p->present(wild));
    runSync(p->cleanup(base));
    runSync(p->cleanup(wild));
    const QStringList seen = f.api->requests();
    INFO(str(seen.join(u'\n')));
    CHECK(seen.filter(QStringLiteral("/oauth2/v2.0/token")).size() == 1);
    // New set: If-None-Match; later ones If-Match on the etag read (a stale one would be 412).
    CHECK(seen.filter(QRegularExpression(
                          "^PUT .*/TXT/_acme-challenge\\?api-version=2018-05-01 -> 20[01]$"))
              .size() == 3);
    CHECK(seen.filter(QRegularExpression("^DELETE .*/TXT/_acme-challenge.* -> 200$")).size() == 1);
    CHECK(f.api->records().isEmpty());

    // A zone the user names is found in the subscription's list (for its resource group).
    HttpDnsOptions named = StandInFixture::fast();
    named.zone = QStringLiteral("deep.example.test");
    auto inNamed = f.make(QStringLiteral("all"), named);
    const auto deep = txtRecord(QStringLiteral("x.deep.example.test"), QStringLiteral("d"));
    runSync(inNamed->present(deep));
    CHECK(f.api->values(deep.name) == QStringList{"d"});
    runSync(inNamed->cleanup(deep));
    CHECK(f.api->records().isEmpty());
}

TEST_CASE("Azure DNS: a set another writer keeps changing is retried, then refused in words",
          "[dns][azure]") {
    StandInFixture f(azure());
    auto p = f.make();
    const auto base = txtRecord(QStringLiteral("example.test"), QStringLiteral("b"));
    const QJsonObject changedMeanwhile{
        {"method", "PUT"},
        {"path", "/TXT/"},
        {"status", 412},
        {"code", "PreconditionFailed"},
        {"message", "The condition in the If-Match header was not met."}};

    // Once: the set is read again and written over what is there now.
    QJsonObject once = changedMeanwhile;
    once.insert("count", 1);
    f.api->addFault(once);
    runSync(p->present(base));
    CHECK(f.api->values(base.name) == QStringList{"b"});
    runSync(p->cleanup(base));

    // Always: three tries, then an error that says another program is changing the name.
    QJsonObject always = changedMeanwhile;
    always.insert("count", -1);
    f.api->addFault(always);
    const auto e = errorOf<UpstreamError>(p->present(base));
    f.requireClear(e, {QStringLiteral("could not add the TXT record _acme-challenge.example.test. "
                                      "in the zone example.test.: the TXT records at the name "
                                      "kept changing while this one was added; another program "
                                      "is changing them")});
    CHECK(f.api->requests().filter(QRegularExpression("^PUT .*/TXT/.* -> 412$")).size() == 4);
    CHECK(f.api->records().isEmpty());
}

TEST_CASE("Azure DNS: a token is renewed a minute before it expires", "[dns][azure]") {
    tokenRenewedBeforeExpiry(azure(), QStringLiteral("/oauth2/v2.0/token"));
}
