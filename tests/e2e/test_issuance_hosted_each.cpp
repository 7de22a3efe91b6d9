// Every hosted DNS provider through the real service, end to end: a stored credential of its
// type (the catalogue's field names, as the app and the CLI send them) pointing at the
// provider's stand-in (tests/standins/<module>.py, each after the provider's API document named
// at its top) through the credential's own apiUrl and trustedRootFile; Pebble validates a
// wildcard and its base name, whose two values sit at one name at once in the stand-in (which
// publishes them to challtestsrv). Afterwards the stand-in holds no record and the secret is in
// no log. Cloudflare and acme-dns have their own cases in test_issuance_hosted_dns.cpp.

#include "DnsApiStandIn.h"
#include "IssuanceFixture.h"
#include "ManagedProcess.h"

#include <catch2/catch.hpp>

#include <QJsonArray>
#include <QJsonDocument>

#include <functional>

using namespace ck::test;

namespace {
std::string str(const QString& s) {
    return s.toStdString();
}

struct Case {
    QString module;   // the stand-in
    QString provider; // the provider id and its credential type
    QString title;    // as the item's log names it
    QString secret;   // must be in no log
    QJsonObject config;
    std::function<QJsonObject(const DnsApiStandIn&)> credential;
};

// An RSA key and its public half, made with the openssl tool (a service account's key).
std::pair<QString, QString> rsaKey() {
    const ToolResult key =
        runTool(QStringLiteral("openssl"),
                {QStringLiteral("genpkey"), QStringLiteral("-algorithm"), QStringLiteral("RSA"),
                 QStringLiteral("-pkeyopt"), QStringLiteral("rsa_keygen_bits:2048")});
    REQUIRE(key.ok());
    const ToolResult pub = runTool(QStringLiteral("openssl"),
                                   {QStringLiteral("pkey"), QStringLiteral("-pubout")}, key.stdOut);
    REQUIRE(pub.ok());
    return {QString::fromLatin1(key.stdOut), QString::fromLatin1(pub.stdOut)};
}

void issueThrough(const Case& c) {
    INFO(str(c.provider));
    IssuanceFixture f;
    QJsonObject config = c.config;
    config.insert("zones", QJsonArray{"example.test"});
    config.insert("challtestsrv", f.challtestsrv->managementUrl());
    DnsApiStandIn api(c.module, config);
    if (!api.start())
        FAIL(str(api.errorString()));
    QJsonObject values = c.credential(api);
    values.insert("trustedRootFile", api.caFile());
    values.insert("dnsServer", f.challtestsrv->dnsAddress());
    const QString credential = f.createCredential(c.provider, values);

    const auto tested =
        f.http->post("/api/credentials/" + str(credential) + "/test", QJsonObject{});
    INFO(tested.body);
    CHECK(tested.json()["ok"] == true);
    CHECK(tested.json()["zones"] == QJsonArray{"example.test."});
    CHECK(tested.body.find(str(c.secret)) == std::string::npos);

    const QJsonObject dns01{{"type", "dns-01"},
                            {"provider", c.provider},
                            {"credentialId", credential},
                            {"parameters", QJsonObject{{"propagationDelaySeconds", 0}}}};
    const QString id =
        f.createItem({QStringLiteral("*.example.test"), QStringLiteral("example.test")},
                     {{"challenges", QJsonArray{dns01}}});
    requireIssued(f, f.requestAndWait(id, 90000));
    const QString log = f.itemLog(id);
    INFO(str(log));
    CHECK(log.count(QStringLiteral("Created the TXT record _acme-challenge.example.test.")) == 2);
    CHECK(log.contains(QStringLiteral("with %1 at ").arg(c.title)));
    CHECK(log.count(QStringLiteral("Removed the TXT record _acme-challenge.example.test.")) == 2);
    CHECK_FALSE(log.contains(c.secret));
    CHECK(api.records().isEmpty());
}
} // namespace

TEST_CASE("dns-01 by DigitalOcean: a wildcard and its base name", "[e2e][dns01][digitalocean]") {
    issueThrough(
        {"digitalocean", "digitalocean", "DigitalOcean", "dop_v1_e2e",
         QJsonObject{{"principals", QJsonObject{{"t", QJsonObject{{"secret", "dop_v1_e2e"}}}}}},
         [](const DnsApiStandIn& api) {
             return QJsonObject{{"apiToken", "dop_v1_e2e"}, {"apiUrl", api.origin() + "/v2"}};
         }});
}

TEST_CASE("dns-01 by Hetzner DNS: a wildcard and its base name", "[e2e][dns01][hetzner]") {
    issueThrough(
        {"hetzner", "hetzner", "Hetzner DNS", "hz-e2e-token",
         QJsonObject{{"principals", QJsonObject{{"t", QJsonObject{{"secret", "hz-e2e-token"}}}}}},
         [](const DnsApiStandIn& api) {
             return QJsonObject{{"apiToken", "hz-e2e-token"}, {"apiUrl", api.origin() + "/api/v1"}};
         }});
}

TEST_CASE("dns-01 by Route 53: a wildcard and its base name, every request signed",
          "[e2e][dns01][route53]") {
    issueThrough(
        {"route53", "route53", "Amazon Route 53", "r53-e2e-secret",
         QJsonObject{{"region", "us-east-1"},
                     {"principals", QJsonObject{{"k", QJsonObject{{"accessKeyId", "AKIAE2E"},
                                                                  {"secret", "r53-e2e-secret"}}}}}},
         [](const DnsApiStandIn& api) {
             return QJsonObject{{"accessKeyId", "AKIAE2E"},
                                {"secretAccessKey", "r53-e2e-secret"},
                                {"apiUrl", api.origin()}};
         }});
}

TEST_CASE("dns-01 by Azure DNS: a wildcard and its base name, with a client-credentials token",
          "[e2e][dns01][azure]") {
    const QJsonObject app{
        {"tenant", "tenant-1"}, {"clientId", "app-1"}, {"secret", "az-e2e-secret"}};
    issueThrough({"azure", "azure", "Azure DNS", "az-e2e-secret",
                  QJsonObject{{"subscription", "sub-1"},
                              {"resourceGroup", "dns-rg"},
                              {"principals", QJsonObject{{"app", app}}}},
                  [](const DnsApiStandIn& api) {
                      return QJsonObject{
                          {"tenantId", "tenant-1"},          {"clientId", "app-1"},
                          {"clientSecret", "az-e2e-secret"}, {"subscriptionId", "sub-1"},
                          {"apiUrl", api.origin()},          {"authorityUrl", api.origin()}};
                  }});
}

TEST_CASE("dns-01 by Google Cloud DNS: a wildcard and its base name, with a service account",
          "[e2e][dns01][googledns]") {
    const auto [privatePem, publicPem] = rsaKey();
    const QString email = QStringLiteral("dns@my-project.iam.gserviceaccount.com");
    issueThrough(
        {"googledns", "googleclouddns", "Google Cloud DNS", privatePem.section(u'\n', 1, 1),
         QJsonObject{{"project", "my-project"},
                     {"principals", QJsonObject{{"sa", QJsonObject{{"clientEmail", email},
                                                                   {"publicKeyPem", publicPem}}}}}},
         [&](const DnsApiStandIn& api) {
             const QJsonObject key{
                 {"type", "service_account"}, {"project_id", "my-project"},
                 {"private_key_id", "k1"},    {"private_key", privatePem},
                 {"client_email", email},     {"token_uri", api.origin() + "/token"}};
             return QJsonObject{{"serviceAccountKey", QString(QJsonDocument(key).toJson())},
                                {"apiUrl", api.origin() + "/dns/v1"}};
         }});
}
