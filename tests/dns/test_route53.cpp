// The Route 53 provider (service/dnsapi/Route53Provider) and its Signature Version 4 signing
// (dnsapi/AwsSigV4): the signing against AWS's published test suite (aws-sig-v4-test-suite,
// https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html), and the provider
// against the Route 53 stand-in (tests/standins/route53.py, after
// https://docs.aws.amazon.com/Route53/latest/APIReference/), which recomputes every signature
// from the request it receives: the cases every hosted provider passes (StandInCases.h).

#include "StandInCases.h"
#include "dnsapi/AwsSigV4.h"
#include "dnsapi/Route53Provider.h"

using namespace ck;
using namespace ck::dnsapi;
using namespace ck::test;

namespace {
HostedProvider route53() {
    HostedProvider p;
    p.module = QStringLiteral("route53");
    p.title = QStringLiteral("Amazon Route 53");
    p.principals = {{"all", QJsonObject{{"accessKeyId", "AKIAALL"}, {"secret", "secret-all"}}},
                    {"limited", QJsonObject{{"accessKeyId", "AKIALIMITED"},
                                            {"secret", "secret-limited"},
                                            {"edit", QJsonArray{"deep.example.test"}}}}};
    p.extraConfig = {{"region", "us-east-1"}, {"pendingPolls", 1}};
    p.make = [](process::ProcessRunner& runner, const DnsApiStandIn& api, const QString& who,
                HttpDnsOptions o) -> std::unique_ptr<HttpDnsProvider> {
        Route53Settings s;
        s.accessKeyId = who == QLatin1String("limited") ? QStringLiteral("AKIALIMITED")
                                                        : QStringLiteral("AKIAALL");
        s.secretAccessKey = QStringLiteral("secret-") + who;
        s.apiUrl = api.origin();
        return makeRoute53Provider(runner, s, o);
    };
    // "wrong": a known key id with a wrong secret: the signature does not match.
    p.wrongCredentialWords = {QStringLiteral("list the zones"),
                              QStringLiteral("HTTP 403 \"SignatureDoesNotMatch: The request "
                                             "signature we calculated does not match"),
                              QStringLiteral("AWS did not accept the access key")};
    p.noRightsWords = {QStringLiteral("HTTP 403 \"AccessDenied: User: "
                                      "arn:aws:iam::123456789012:user/limited is not authorized"),
                       QStringLiteral("the key's IAM policy does not allow this on the hosted "
                                      "zone example.test")};
    p.rateLimit = {{"status", 400}, {"code", "Throttling"}};
    p.writeMethod = QStringLiteral("POST");
    p.writePath = QStringLiteral("/rrset/");
    return p;
}

// AWS's test suite: key AKIDEXAMPLE, region us-east-1, service "service", 2015-08-30 12:36 UTC.
QByteArray suiteAuthorization(const QString& method, const QString& url) {
    net::OutgoingHttp r;
    r.method = method;
    r.url = url;
    sigv4::sign(r,
                {QStringLiteral("AKIDEXAMPLE"),
                 QStringLiteral("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
                 {}},
                {QStringLiteral("us-east-1"), QStringLiteral("service")},
                QDateTime(QDate(2015, 8, 30), QTime(12, 36), Qt::UTC));
    for (const auto& [name, value] : r.headers)
        if (name == "Authorization")
            return value;
    return {};
}
} // namespace

TEST_CASE("SigV4 signs as AWS's published test suite does", "[dns][route53][sigv4]") {
    const QByteArray prefix = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/"
                              "aws4_request, SignedHeaders=host;x-amz-date, Signature=";
    // get-vanilla
    CHECK(suiteAuthorization("GET", "https://example.amazonaws.com/") ==
          prefix + "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    // get-vanilla-query-order-key-case: the query is sorted before signing
    CHECK(suiteAuthorization("GET", "https://example.amazonaws.com/?Param2=value2&Param1=value1") ==
          prefix + "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
    // post-vanilla, post-vanilla-query
    CHECK(suiteAuthorization("POST", "https://example.amazonaws.com/") ==
          prefix + "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
    CHECK(suiteAuthorization("POST", "https://example.amazonaws.com/?Param1=value1") ==
          prefix + "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11");
    // The derived key of AWS's "derive a signing key" example (IAM, 2012-02-15).
    CHECK(sigv4::signingKey(QStringLiteral("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
                            QStringLiteral("20120215"),
                            {QStringLiteral("us-east-1"), QStringLiteral("iam")})
              .toHex() == "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
    CHECK(sigv4::hostHeader(QUrl("https://127.0.0.1:8443/x")) == "127.0.0.1:8443");
    CHECK(sigv4::hostHeader(QUrl("https://route53.amazonaws.com/x")) == "route53.amazonaws.com");
}

CK_STANDIN_CASES("Route 53", "[dns][route53]", route53)

TEST_CASE("Route 53: each change is one atomic batch, waited for until INSYNC", "[dns][route53]") {
    StandInFixture f(route53());
    auto p = f.make();
    const auto base = txtRecord(QStringLiteral("example.test"), QStringLiteral("b"));
    const auto wild = txtRecord(QStringLiteral("*.example.test"), QStringLiteral("w"));
    runSync(p->present(base));
    runSync(p->present(wild));
    const QStringList seen = f.api->requests();
    INFO(str(seen.join(u'\n')));
    // The second value: the set as read is deleted and created with both, in one batch; each
    // change was asked after until INSYNC (PENDING first).
    CHECK(
        seen.filter(QRegularExpression("^POST /2013-04-01/hostedzone/Z.*/rrset/ -> 200$")).size() ==
        2);
    CHECK(seen.filter(QRegularExpression("^GET /2013-04-01/change/C.* -> 200$")).size() == 4);
    CHECK(f.api->values(base.name) == QStringList{"b", "w"});
    // Another writer added a value to the set: removing ours deletes the set as it is now and
    // creates it with theirs kept.
    f.api->putValues(base.name, {QStringLiteral("b"), QStringLiteral("w"), QStringLiteral("x")});
    runSync(p->cleanup(base));
    CHECK(f.api->values(base.name) == QStringList{"w", "x"});
    runSync(p->cleanup(wild));
    f.api->putValues(base.name, {});
    CHECK(f.api->records().isEmpty());
    CHECK(p->credentialScope().contains(QStringLiteral("ChangeResourceRecordSets")));
}

TEST_CASE("Route 53: a change that never gets INSYNC ends in an error saying so, and is undone",
          "[dns][route53]") {
    HostedProvider stuck = route53();
    stuck.extraConfig.insert("pendingPolls", 1000);
    StandInFixture f(stuck);
    Route53Settings s;
    s.accessKeyId = QStringLiteral("AKIAALL");
    s.secretAccessKey = QStringLiteral("secret-all");
    s.apiUrl = f.api->origin();
    s.insyncTimeout = std::chrono::seconds(2); // 300 s in service
    HttpDnsOptions o = StandInFixture::fast();
    o.caFile = f.api->caFile();
    o.dnsServer = f.challtestsrv.dnsAddress();
    const auto p = makeRoute53Provider(f.runner, s, o);
    const auto r = txtRecord(QStringLiteral("www.example.test"), QStringLiteral("v"));
    const auto e = errorOf<UpstreamError>(p->present(r));
    INFO(str(e.message()));
    CHECK(e.message().contains(QStringLiteral("is still PENDING after 2 s; Route 53 usually "
                                              "takes under a minute: try again later")));
    // What a request does after a failure: the removal is sent (and also not INSYNC in time).
    const auto removal = errorOf<UpstreamError>(p->cleanup(r));
    CHECK(removal.message().contains(QStringLiteral("could not remove the TXT record")));
    CHECK(f.api->records().isEmpty());
}
