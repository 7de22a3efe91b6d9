// Issuance end to end with dns-01 through the native PowerDNS provider: a real PowerDNS
// Authoritative (gsqlite3, API on) is Pebble's DNS; the service adds and removes the TXT values
// through PowerDNS's HTTP API. A wildcard and its base name need two values at one name at once.
// Afterwards the zone holds no TXT record of ours, on success and on every failure; the
// credential test lists the zones without changing anything and never shows the key; records a
// killed service left are removed at its next start.

#include "IssuanceFixture.h"
#include "StandInApi.h"

#include <catch2/catch.hpp>

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QSet>
#include <QThread>

using namespace ck::test;

namespace {
std::string str(const QString& s) {
    return s.toStdString();
}

IssuanceOptions withPowerDns() {
    IssuanceOptions options;
    options.powerDns = true;
    return options;
}

QJsonObject pdnsRule(const QString& credentialId, const QJsonObject& parameters = {}) {
    return dnsRule(QStringLiteral("powerdns"), credentialId, parameters);
}

QString pdnsCredential(IssuanceFixture& f, const QString& key = {}) {
    return f.createCredential(QStringLiteral("powerdns"),
                              {{"apiUrl", f.powerDns->apiUrl()},
                               {"apiKey", key.isEmpty() ? f.powerDns->apiKey() : key},
                               {"dnsServer", f.powerDns->dnsServer()}});
}

QJsonObject testCredential(IssuanceFixture& f, const QString& id) {
    const auto answer = f.http->post("/api/credentials/" + str(id) + "/test", QJsonObject{});
    INFO(answer.body);
    REQUIRE(answer.status == 200);
    CHECK(answer.body.find(f.powerDns->apiKey().toStdString()) == std::string::npos);
    return answer.json();
}

QStringList leftovers(const IssuanceFixture& f) {
    return f.powerDns->storedTxt(QStringLiteral("_acme-challenge"));
}
} // namespace

TEST_CASE("dns-01 by PowerDNS's API: a wildcard and its base name on one certificate",
          "[e2e][acme][dns01][powerdns]") {
    IssuanceFixture f(withPowerDns());
    const QString apexRecord = QStringLiteral("_acme-challenge.example.test.");
    const QString credential = pdnsCredential(f);

    const QJsonObject tested = testCredential(f, credential);
    CHECK(tested["ok"] == true);
    CHECK(tested["zones"] == QJsonArray{"example.test."});
    CHECK(tested["message"].toString().contains(QStringLiteral("every zone")));

    const QString id =
        f.createItem({QStringLiteral("*.example.test"), QStringLiteral("example.test")},
                     challenges({pdnsRule(credential)}));
    const QJsonObject item = f.requestAndWait(id);
    requireCertificateFor(f, item, {"*.example.test", "example.test"});
    const QString log = f.itemLog(id);
    INFO(str(log));
    CHECK(log.count(QStringLiteral("Created the TXT record ") + apexRecord) == 2);
    CHECK(log.contains(QStringLiteral("for *.example.test with PowerDNS Authoritative")));
    CHECK(log.count(QStringLiteral("Removed the TXT record ") + apexRecord) == 2);
    CHECK_FALSE(log.contains(f.powerDns->apiKey()));
    CHECK(f.powerDns->txtRecords(apexRecord).isEmpty());
    CHECK(leftovers(f).isEmpty());
}

TEST_CASE("dns-01 by PowerDNS set up wrong: a clear error and nothing left in the zone",
          "[e2e][acme][dns01][powerdns]") {
    IssuanceFixture f(withPowerDns());

    SECTION("a wrong API key") {
        const QString credential = pdnsCredential(f, QStringLiteral("not-the-key"));
        const QJsonObject tested = testCredential(f, credential);
        CHECK(tested["ok"] == false);
        CHECK(tested["message"].toString().contains(QStringLiteral("HTTP 401")));
        const QString id =
            f.createItem({QStringLiteral("www.example.test")}, challenges({pdnsRule(credential)}));
        requireCleanFailure(f, f.requestAndWait(id),
                            {QStringLiteral("PowerDNS"), QStringLiteral("HTTP 401"),
                             QStringLiteral("check the key")});
        CHECK(f.item(id).value("renewalFailureMessage").toString().contains(f.powerDns->apiUrl()));
    }
    SECTION("a name in no zone of the server; the record placed for another name is removed") {
        // Pebble orders the authorizations differently from run to run: when the good name
        // comes first, its record is placed and must be gone after the failure.
        const QString credential = pdnsCredential(f);
        const QString id =
            f.createItem({QStringLiteral("good.example.test"), QStringLiteral("www.other.test")},
                         challenges({pdnsRule(credential)}));
        requireCleanFailure(f, f.requestAndWait(id),
                            {QStringLiteral("PowerDNS"),
                             QStringLiteral("find the zone for _acme-challenge.www.other.test."),
                             QStringLiteral("example.test.")});
    }
    SECTION("a zone named in the settings that PowerDNS does not have") {
        const QString credential = pdnsCredential(f);
        const QString id = f.createItem(
            {QStringLiteral("www.example.test")},
            challenges({pdnsRule(credential, QJsonObject{{"zone", "www.example.test"}})}));
        requireCleanFailure(f, f.requestAndWait(id),
                            {QStringLiteral("PowerDNS"),
                             QStringLiteral("in the zone www.example.test."),
                             QStringLiteral("HTTP 404")});
    }
    CHECK(leftovers(f).isEmpty());
}

TEST_CASE("dns-01 by PowerDNS: records left by a service killed mid-request are removed by the "
          "request that continues its order",
          "[e2e][acme][dns01][powerdns][restart]") {
    IssuanceFixture f(withPowerDns());
    const QString credential = pdnsCredential(f);
    // The wait after adding holds the request between creating the records and telling the CA.
    const QString id = f.createItem(
        {QStringLiteral("*.restart.example.test"), QStringLiteral("restart.example.test")},
        challenges({pdnsRule(credential, QJsonObject{{"propagationDelaySeconds", 8}})}));
    f.startRequest(id);
    QDeadlineTimer deadline(30000);
    while (leftovers(f).size() < 2) {
        REQUIRE_FALSE(deadline.hasExpired());
        QThread::msleep(20);
    }
    const QStringList placed = leftovers(f);
    const QDir journals(f.dataDir.filePath(QStringLiteral("dns-records")));
    CHECK(journals.entryList({QStringLiteral("*.json")}, QDir::Files).size() == 1);
    f.service.kill();
    CHECK(leftovers(f) == placed); // nothing removed them: the service died

    if (!f.service.start())
        FAIL("the service did not start again:\n" << str(f.service.output()));
    f.http = std::make_unique<RawHttp>(f.service.port(), f.service.token().toStdString());
    // The records stay while the order is continued (the CA may be validating them: placed
    // anew, they are the same), and go when the request ends; afterwards nothing is left.
    const QJsonObject item = f.waitUntilDone(id, 90000);
    requireIssued(f, item);
    const QString log = f.itemLog(id);
    INFO(str(log));
    CHECK(log.count(QStringLiteral("left from a request the service stopped in the middle of")) ==
          2);
    CHECK(journals.entryList({QStringLiteral("*.json")}, QDir::Files).isEmpty());
    CHECK(leftovers(f).isEmpty());
}

TEST_CASE("dns-01 by an HTTP API that limits, hangs or refuses: the item says so",
          "[e2e][acme][dns01][powerdns][standin]") {
    // Each exchange with the DNS API may take 3 s here (acmeRequestTimeoutSeconds).
    IssuanceOptions options = withPowerDns();
    options.serviceConfig = {{"acmeRequestTimeoutSeconds", 3}};
    IssuanceFixture f(options);
    const QByteArray zones = R"([{"id": "example.test.", "name": "example.test."}])";
    auto item = [&](const StandInApi& api) {
        const QString credential = f.createCredential(QStringLiteral("powerdns"),
                                                      {{"apiUrl", api.url()}, {"apiKey", "k"}});
        return f.createItem({QStringLiteral("www.example.test")},
                            challenges({pdnsRule(credential)}));
    };
    SECTION("429 with a Retry-After beyond the bound") {
        StandInApi api({{429, R"({"error": "Too many requests"})", {{"Retry-After", "600"}}}});
        requireCleanFailure(f, f.requestAndWait(item(api)),
                            {QStringLiteral("PowerDNS"), api.url(),
                             QStringLiteral("limits the rate of requests (HTTP 429"),
                             QStringLiteral("Too many requests"),
                             QStringLiteral("it asked for 600 s more")});
    }
    SECTION("an API that never answers") {
        StandInApi api({});
        requireCleanFailure(
            f, f.requestAndWait(item(api)),
            {QStringLiteral("PowerDNS"), api.url(), QStringLiteral("no answer within 3 s")});
    }
    SECTION("a record the API refuses") {
        StandInApi api({{200, zones, {}},
                        {200, R"({"rrsets": []})", {}},
                        {422, R"({"error": "TXT records are not allowed here"})", {}}});
        requireCleanFailure(
            f, f.requestAndWait(item(api)),
            {QStringLiteral("PowerDNS"), QStringLiteral("in the zone example.test."),
             QStringLiteral("HTTP 422"), QStringLiteral("TXT records are not allowed here")});
    }
    CHECK(leftovers(f).isEmpty());
}
