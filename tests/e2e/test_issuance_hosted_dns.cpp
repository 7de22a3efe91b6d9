// Issuance end to end with dns-01 through hosted DNS providers' native implementations: the
// Cloudflare stand-in (tests/standins/cloudflare.py, after https://developers.cloudflare.com/api/)
// holds the zone and publishes its TXT values to pebble-challtestsrv, Pebble's DNS. The service
// trusts the stand-in's test CA through the credential's "trustedRootFile", as a user does for
// a private endpoint. A wildcard and its base name need two values at one name at once;
// afterwards the zone holds nothing of ours, on success and on failure, and the token is in no
// answer and no log. And acme-dns (tests/standins/acmedns.py, after
// https://github.com/joohoi/acme-dns#api): Test registers the credential once, stores what the
// server returned and shows the CNAME; with that CNAME in place the names are issued.

#include "DnsApiStandIn.h"
#include "IssuanceFixture.h"

#include <catch2/catch.hpp>

#include <QJsonArray>
#include <QSet>

using namespace ck::test;

namespace {
std::string str(const QString& s) {
    return s.toStdString();
}

const QString kToken = QStringLiteral("cf-e2e-token-all");
const QString kLimitedToken = QStringLiteral("cf-e2e-token-limited");

struct CloudflareSetup {
    IssuanceFixture f;
    DnsApiStandIn api{
        QStringLiteral("cloudflare"),
        QJsonObject{{"zones", QJsonArray{"example.test"}},
                    {"principals", QJsonObject{{"all", QJsonObject{{"secret", kToken}}},
                                               {"limited", QJsonObject{{"secret", kLimitedToken},
                                                                       {"edit", QJsonArray{}}}}}},
                    {"challtestsrv", f.challtestsrv->managementUrl()}}};
    CloudflareSetup() {
        if (!api.start())
            FAIL(str(api.errorString()));
    }
    QString credential(const QString& token) {
        return f.createCredential(QStringLiteral("cloudflare"),
                                  {{"apiToken", token},
                                   {"apiUrl", api.origin() + QStringLiteral("/client/v4")},
                                   {"trustedRootFile", api.caFile()},
                                   {"dnsServer", f.challtestsrv->dnsAddress()}});
    }
    QString item(const QStringList& domains, const QString& credentialId) {
        const QJsonObject dns01{{"type", "dns-01"},
                                {"provider", "cloudflare"},
                                {"credentialId", credentialId},
                                {"parameters", QJsonObject{{"propagationDelaySeconds", 0}}}};
        return f.createItem(domains, {{"challenges", QJsonArray{dns01}}});
    }
    QJsonObject testCredential(const QString& id) {
        const auto answer = f.http->post("/api/credentials/" + str(id) + "/test", QJsonObject{});
        INFO(answer.body);
        REQUIRE(answer.status == 200);
        CHECK(answer.body.find(str(kToken)) == std::string::npos);
        CHECK(answer.body.find(str(kLimitedToken)) == std::string::npos);
        return answer.json();
    }
};
} // namespace

TEST_CASE("dns-01 by Cloudflare: a wildcard and its base name on one certificate",
          "[e2e][acme][dns01][cloudflare]") {
    CloudflareSetup s;
    const QString credential = s.credential(kToken);
    const QJsonObject tested = s.testCredential(credential);
    CHECK(tested["ok"] == true);
    CHECK(tested["zones"] == QJsonArray{"example.test."});
    CHECK(tested["message"].toString().contains(
        QStringLiteral("The token may change DNS records in example.test.")));

    const QString id =
        s.item({QStringLiteral("*.example.test"), QStringLiteral("example.test")}, credential);
    const QJsonObject item = requireIssued(s.f, s.f.requestAndWait(id));
    QSet<QString> domains;
    for (const auto& v : item.value("certificateDomains").toArray())
        domains.insert(v.toString());
    CHECK(domains == QSet<QString>{"*.example.test", "example.test"});
    const QString log = s.f.itemLog(id);
    INFO(str(log));
    const QString record = QStringLiteral("_acme-challenge.example.test.");
    CHECK(log.count(QStringLiteral("Created the TXT record ") + record) == 2);
    CHECK(log.contains(QStringLiteral("with Cloudflare at ") + s.api.origin()));
    CHECK(log.count(QStringLiteral("Removed the TXT record ") + record) == 2);
    CHECK_FALSE(log.contains(kToken));
    CHECK(s.api.records().isEmpty());
    // Two values were at the name at once: two creations, each deleted by its id.
    CHECK(s.api.requests().filter(QRegularExpression("^POST .*/dns_records -> 200$")).size() == 2);
    CHECK(s.api.requests().filter(QRegularExpression("^DELETE .*/dns_records/.* -> 200$")).size() ==
          2);
}

TEST_CASE("dns-01 by Cloudflare with a token that may not edit the zone: the item says so",
          "[e2e][acme][dns01][cloudflare]") {
    CloudflareSetup s;
    const QString credential = s.credential(kLimitedToken);
    const QJsonObject tested = s.testCredential(credential);
    CHECK(tested["ok"] == true); // it may list the zone, and the message says what it may not
    CHECK(tested["message"].toString().contains(
        QStringLiteral("may not change DNS records in example.test")));
    const QString id = s.item({QStringLiteral("www.example.test")}, credential);
    requireCleanFailure(s.f, s.f.requestAndWait(id),
                        {QStringLiteral("Cloudflare at"),
                         QStringLiteral("in the zone example.test."),
                         QStringLiteral("Authentication error"),
                         QStringLiteral("the token lacks Zone › DNS › Edit on example.test")});
    CHECK(s.api.records().isEmpty());

    const QJsonObject wrong = s.testCredential(s.credential(QStringLiteral("not-a-token")));
    CHECK(wrong["ok"] == false);
    CHECK(wrong["message"].toString().contains(QStringLiteral("Invalid access token")));
}

TEST_CASE("dns-01 by acme-dns: Test registers and shows the CNAME, then the names are issued",
          "[e2e][acme][dns01][acmedns]") {
    IssuanceFixture f;
    DnsApiStandIn api{QStringLiteral("acmedns"),
                      QJsonObject{{"domain", "auth.acme-dns.test"},
                                  {"challtestsrv", f.challtestsrv->managementUrl()}}};
    if (!api.start())
        FAIL(str(api.errorString()));
    const QString credential = f.createCredential(QStringLiteral("acme-dns"),
                                                  {{"apiUrl", api.origin()},
                                                   {"allowFrom", "127.0.0.1/32"},
                                                   {"trustedRootFile", api.caFile()},
                                                   {"dnsServer", f.challtestsrv->dnsAddress()}});
    const auto test = [&] {
        const auto answer =
            f.http->post("/api/credentials/" + str(credential) + "/test", QJsonObject{});
        INFO(answer.body);
        REQUIRE(answer.status == 200);
        return answer.json();
    };
    const QJsonObject registered = test();
    const QString cname = registered["cname"].toString();
    INFO(str(registered["message"].toString()));
    CHECK(registered["ok"] == true);
    CHECK(cname.endsWith(QStringLiteral(".auth.acme-dns.test")));
    CHECK(registered["message"].toString().contains(
        QStringLiteral("CNAME record _acme-challenge.<name> pointing to %1.").arg(cname)));
    CHECK(api.requests() == QStringList{"POST /register -> 201"});
    // What the server returned is in the credential now; the key among its secrets.
    const auto listed = f.http->get("/api/credentials").json()["items"].toArray();
    QJsonObject stored;
    for (const QJsonValue c : listed)
        if (c["id"].toString() == credential)
            stored = c.toObject();
    CHECK(stored["fields"].toObject()["fulldomain"] == cname);
    CHECK_FALSE(stored["fields"].toObject()["username"].toString().isEmpty());
    CHECK(stored["secretFields"].toArray().contains(QStringLiteral("password")));
    // Again: registered already, so nothing is registered anew.
    const QJsonObject again = test();
    CHECK(again["message"].toString().contains(QStringLiteral("registered as ") + cname));
    CHECK(api.requests().filter(QStringLiteral("/register")).size() == 1);

    // The user creates the CNAME; the wildcard and its base name share it.
    REQUIRE(f.challtestsrv->setCname(QStringLiteral("_acme-challenge.example.test"), cname));
    const QJsonObject dns01{
        {"type", "dns-01"}, {"provider", "acme-dns"}, {"credentialId", credential}};
    const QString id =
        f.createItem({QStringLiteral("*.example.test"), QStringLiteral("example.test")},
                     {{"challenges", QJsonArray{dns01}}});
    requireIssued(f, f.requestAndWait(id));
    const QString log = f.itemLog(id);
    INFO(str(log));
    CHECK(log.contains(QStringLiteral("with acme-dns at ") + api.origin()));
    CHECK(api.values(cname).size() == 2); // acme-dns keeps them: it has no delete
}
