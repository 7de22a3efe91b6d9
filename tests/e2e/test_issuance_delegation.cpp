// dns-01 through CNAME delegation, end to end with real DNS servers: BIND9 serves example.test,
// where `_acme-challenge.<name>` is a CNAME into a second zone, and answers Pebble's questions
// as a resolver does (following the CNAME). The TXT values go to the CNAME's target: into a
// second BIND9 zone by RFC 2136 (followed by itself, or named by the rule's delegation), and into
// a PowerDNS zone through its HTTP API. Preview shows the chain, Test checks that the CNAME
// points where the rule says, and nothing is left in either zone afterwards.

#include "PreviewSupport.h"

#include <QJsonArray>

using namespace ck::test;

namespace {
const QString kAuthZone = QStringLiteral("auth.test.");

// BIND9 serving example.test, with the challenge names of example.test (and so *.example.test)
// and www.example.test delegated into auth.test; lost.example.test delegates nowhere.
IssuanceOptions withDelegatingZones() {
    IssuanceOptions options;
    options.bind9 = true;
    Bind9Process::Options& o = options.bind9Options;
    // www's own A record: below it, _acme-challenge.www makes the wildcard's A not cover it.
    o.extraRecords = {QStringLiteral("_acme-challenge IN CNAME _acme-challenge.auth.test."),
                      QStringLiteral("_acme-challenge.www IN CNAME _acme-challenge.www.auth.test."),
                      QStringLiteral("www IN A 127.0.0.1")};
    o.moreZones = {kAuthZone};
    o.resolver = true;
    return options;
}

QString tsigCredential(IssuanceFixture& f) {
    // No zone: the provider finds the zone of the name it writes, auth.test.
    return f.createCredential(QStringLiteral("rfc2136"),
                              {{"server", f.bind9->address()},
                               {"port", QString::number(f.bind9->port())},
                               {"keyName", f.bind9->keyName()},
                               {"algorithm", f.bind9->algorithm()},
                               {"secret", f.bind9->keySecretBase64()}});
}

QJsonObject delegatedRule(QJsonObject rule, const QString& target) {
    rule.insert("delegatedTo", target);
    return rule;
}

QStringList authLeftovers(const IssuanceFixture& f) {
    QStringList left;
    for (const QString& name : {QStringLiteral("_acme-challenge.auth.test."),
                                QStringLiteral("_acme-challenge.www.auth.test.")})
        left += f.bind9->txtRecords(name);
    return left;
}
} // namespace

TEST_CASE("dns-01 through a CNAME into a second zone: followed by itself, or as the rule says",
          "[e2e][acme][dns01][delegation]") {
    IssuanceFixture f(withDelegatingZones());
    const QString credential = tsigCredential(f);
    // The apex and the wildcard follow the CNAME found; www's rule names the target itself.
    const QString id =
        f.createItem({QStringLiteral("example.test"), QStringLiteral("*.example.test"),
                      QStringLiteral("www.example.test")},
                     challenges({delegatedRule(dnsRule(QStringLiteral("rfc2136"), credential, {},
                                                       QStringLiteral("www.example.test")),
                                               QStringLiteral("_acme-challenge.www.auth.test")),
                                 dnsRule(QStringLiteral("rfc2136"), credential)}));

    // Preview: where each record goes, read from the DNS without changing it.
    const QJsonArray steps = postAction(f, id, "preview").value("steps").toArray();
    const QJsonObject apex = stepIn(steps, QStringLiteral("validation.example.test"));
    INFO(pretty(apex));
    CHECK(apex.value("description")
              .toString()
              .contains("`_acme-challenge.example.test. → _acme-challenge.auth.test.`"));
    CHECK(joined(apex, "errors").isEmpty());
    const QJsonObject www = stepIn(steps, QStringLiteral("validation.www.example.test"));
    CHECK(www.value("description")
              .toString()
              .contains("The rule delegates it: the record is created at "
                        "`_acme-challenge.www.auth.test.`"));
    CHECK(www.value("description").toString().contains("The chain is there"));

    // Test: the probe goes where the request's record would, and is removed.
    const QJsonObject report = postAction(f, id, "test");
    INFO(pretty(report));
    CHECK(report.value("ok").toBool());
    const QString probe = checkIn(report, "dns01.www.example.test").value("message").toString();
    CHECK(probe.contains("_acme-challenge.www.auth.test. (_acme-challenge.www.example.test. → "
                         "_acme-challenge.www.auth.test. leads there)"));
    CHECK(probe.contains("nothing is left behind"));
    CHECK(authLeftovers(f).isEmpty());

    const QJsonObject item = f.requestAndWait(id);
    requireIssued(f, item);
    const QString log = f.itemLog(id);
    CHECK(log.contains(
        "The CNAME _acme-challenge.example.test. → _acme-challenge.auth.test. is followed"));
    CHECK(log.contains("The challenge of www.example.test is delegated"));
    CHECK(log.contains("Created the TXT record _acme-challenge.auth.test. for *.example.test"));
    CHECK(authLeftovers(f).isEmpty());
    CHECK(f.bind9->txtRecords(QStringLiteral("_acme-challenge.example.test.")).isEmpty());
}

TEST_CASE("A delegation whose CNAME is missing is named by Preview and Test before the CA "
          "refuses it",
          "[e2e][acme][dns01][delegation]") {
    IssuanceFixture f(withDelegatingZones());
    const QString credential = tsigCredential(f);
    const QString id =
        f.createItem({QStringLiteral("lost.example.test")},
                     challenges({delegatedRule(dnsRule(QStringLiteral("rfc2136"), credential),
                                               QStringLiteral("_acme-challenge.lost.auth.test"))}));

    const QJsonArray steps = postAction(f, id, "preview").value("steps").toArray();
    const QJsonObject lost = stepIn(steps, QStringLiteral("validation.lost.example.test"));
    INFO(pretty(lost));
    CHECK(joined(lost, "errors")
              .contains("_acme-challenge.lost.example.test. is not a CNAME to "
                        "_acme-challenge.lost.auth.test."));
    CHECK(joined(lost, "errors").contains("Create the CNAME"));

    const QJsonObject report = postAction(f, id, "test");
    INFO(pretty(report));
    CHECK_FALSE(report.value("ok").toBool());
    const QJsonObject check = checkIn(report, "dns01.lost.example.test");
    CHECK(check.value("message").toString().contains("no CNAME"));
    CHECK(check.value("advice").toString().contains(
        "_acme-challenge.lost.example.test. → _acme-challenge.lost.auth.test."));
    CHECK(f.bind9->txtRecords(QStringLiteral("_acme-challenge.lost.auth.test.")).isEmpty());

    // A rule that cannot be a delegation is refused when it is saved, naming the field.
    QJsonObject broken = f.item(id);
    QJsonObject rc = broken.value("requestConfig").toObject();
    rc.insert("challenges", QJsonArray{delegatedRule(dnsRule(QStringLiteral("rfc2136"), credential),
                                                     QStringLiteral("not a name"))});
    broken.insert("requestConfig", rc);
    const auto refused = f.http->put("/api/managedcertificates/" + str(id), broken);
    INFO(refused.body);
    CHECK(refused.status == 422);
    CHECK(refused.body.find("requestConfig.challenges[0].delegatedTo") != std::string::npos);
    CHECK(refused.body.find("is not a DNS name") != std::string::npos);
}

TEST_CASE("dns-01 delegated to a PowerDNS zone: the value is placed through its HTTP API",
          "[e2e][acme][dns01][delegation][powerdns]") {
    PowerDnsProcess pdns({QStringLiteral("pdns-auth.test.")});
    REQUIRE(pdns.start());
    IssuanceOptions options;
    options.bind9 = true;
    options.bind9Options.extraRecords = {
        QStringLiteral("_acme-challenge.api IN CNAME _acme-challenge.api.pdns-auth.test."),
        QStringLiteral("api IN A 127.0.0.1")};
    options.bind9Options.forwardedZones = {
        {QStringLiteral("pdns-auth.test."),
         QStringLiteral("127.0.0.1 port %1").arg(pdns.dnsPort())}};
    options.bind9Options.resolver = true;
    IssuanceFixture f(options);
    const QString credential = f.createCredential(
        QStringLiteral("powerdns"),
        {{"apiUrl", pdns.apiUrl()}, {"apiKey", pdns.apiKey()}, {"dnsServer", pdns.dnsServer()}});
    const QString id = f.createItem(
        {QStringLiteral("api.example.test")},
        challenges({delegatedRule(dnsRule(QStringLiteral("powerdns"), credential),
                                  QStringLiteral("_acme-challenge.api.pdns-auth.test"))}));
    const QJsonObject report = postAction(f, id, "test");
    INFO(pretty(report));
    CHECK(report.value("ok").toBool());

    const QJsonObject item = f.requestAndWait(id);
    requireIssued(f, item);
    CHECK(f.itemLog(id).contains("The challenge of api.example.test is delegated: "
                                 "_acme-challenge.api.example.test. → "
                                 "_acme-challenge.api.pdns-auth.test."));
    CHECK(pdns.storedTxt(QStringLiteral("_acme-challenge")).isEmpty());
}
