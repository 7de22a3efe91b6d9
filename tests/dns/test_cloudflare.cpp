// The Cloudflare provider (service/dnsapi/CloudflareProvider) against the Cloudflare stand-in
// (tests/standins/cloudflare.py, after https://developers.cloudflare.com/api/): the cases every
// hosted provider passes (StandInCases.h), and what the token may do as the credential test
// says it.

#include "StandInCases.h"
#include "dnsapi/CloudflareProvider.h"

using namespace ck;
using namespace ck::dnsapi;
using namespace ck::test;

namespace {
HostedProvider cloudflare() {
    HostedProvider p;
    p.module = QStringLiteral("cloudflare");
    p.title = QStringLiteral("Cloudflare");
    p.principals = {{"all", QJsonObject{{"secret", "cf-token-all"}}},
                    {"limited", QJsonObject{{"secret", "cf-token-limited"},
                                            {"read", QJsonArray{"*"}},
                                            {"edit", QJsonArray{"deep.example.test"}}}}};
    p.make = [](process::ProcessRunner& runner, const DnsApiStandIn& api, const QString& who,
                HttpDnsOptions o) -> std::unique_ptr<HttpDnsProvider> {
        CloudflareSettings s;
        s.apiToken = who == QLatin1String("wrong") ? QStringLiteral("cf-token-wrong")
                                                   : QStringLiteral("cf-token-") + who;
        s.apiUrl = api.origin() + QStringLiteral("/client/v4");
        return makeCloudflareProvider(runner, s, o);
    };
    p.wrongCredentialWords = {QStringLiteral("list the zones"),
                              QStringLiteral("HTTP 401 \"Invalid access token (code 9109)\""),
                              QStringLiteral("check the API token")};
    p.noRightsWords = {QStringLiteral("HTTP 403 \"Authentication error (code 10000)\""),
                       QStringLiteral("the token lacks Zone › DNS › Edit on example.test")};
    p.writeMethod = QStringLiteral("POST");
    p.writePath = QStringLiteral("/dns_records");
    return p;
}
} // namespace

CK_STANDIN_CASES("Cloudflare", "[dns][cloudflare]", cloudflare)

TEST_CASE("Cloudflare: the credential test says where the token may change records",
          "[dns][cloudflare]") {
    StandInFixture f(cloudflare());
    auto limited = f.make(QStringLiteral("limited"));
    CHECK(runSync(limited->listZones()).size() == 2);
    CHECK(limited->credentialScope() ==
          QStringLiteral("The token may change DNS records in deep.example.test. It may not "
                         "change DNS records in example.test (it lacks Zone › DNS › Edit there)."));
    CHECK(f.api->requests() == QStringList{"GET /client/v4/zones?per_page=50&page=1 -> 200"});

    // Settings that cannot work are refused before anything is sent, naming the field.
    const auto noToken = errorOf<InvalidInputError>([&]() -> awaitable<void> {
        const auto p = makeCloudflareProvider(f.runner, {}, {});
        co_return;
    }());
    CHECK(noToken.field() == QStringLiteral("apiToken"));
    const auto badUrl = errorOf<InvalidInputError>([&]() -> awaitable<void> {
        const auto p = makeCloudflareProvider(
            f.runner, {QStringLiteral("t"), QStringLiteral("ftp://x"), 60}, {});
        co_return;
    }());
    CHECK(badUrl.field() == QStringLiteral("apiUrl"));
    HttpDnsOptions badRoots;
    badRoots.caFile = QStringLiteral("/nonexistent/roots.pem");
    const auto roots = errorOf<InvalidInputError>([&]() -> awaitable<void> {
        const auto p = makeCloudflareProvider(f.runner, {QStringLiteral("t"), {}, 60}, badRoots);
        co_return;
    }());
    CHECK(roots.field() == QStringLiteral("trustedRootFile"));
}

TEST_CASE("Cloudflare: without the stand-in's CA the API is not trusted", "[dns][cloudflare]") {
    StandInFixture f(cloudflare());
    HttpDnsOptions o = StandInFixture::fast();
    CloudflareSettings s{QStringLiteral("cf-token-all"), f.api->origin() + "/client/v4", 60};
    const auto untrusted = makeCloudflareProvider(f.runner, s, o); // no trustedRootFile
    const auto e = errorOf<UpstreamError>(untrusted->listZones());
    INFO(str(e.message()));
    CHECK(e.message().contains(QStringLiteral("could not list the zones: no answer")));
    CHECK(e.message().contains(QStringLiteral("certificate")));
    CHECK(f.api->requests().isEmpty());
}
