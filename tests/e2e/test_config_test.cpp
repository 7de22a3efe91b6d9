// Test end to end: the checks pass where the configuration works (the token really is served
// by the listener, the webroot and nginx, the TSIG key really updates BIND9), and each failure a
// user meets says what is wrong and what to do: a name that does not resolve or points
// elsewhere, a port another program holds, a webroot the web server does not serve, a wrong
// TSIG secret, the CA down, no account. Whatever Test places is gone afterwards.

#include "PreviewSupport.h"
#include "WebServer.h"

#include <QDir>
#include <QFile>

using namespace ck::test;

namespace {
QJsonObject testOf(const IssuanceFixture& f, const QString& id) {
    return postAction(f, id, "test");
}

QJsonArray webrootChallenge(const QString& path) {
    return {QJsonObject{{"type", "http-01"}, {"provider", "webroot"}, {"webrootPath", path}}};
}

QString tsigCredential(IssuanceFixture& f, const QString& secret, const QString& zone = {}) {
    QJsonObject values{{"server", f.bind9->address()},
                       {"port", QString::number(f.bind9->port())},
                       {"keyName", f.bind9->keyName()},
                       {"algorithm", f.bind9->algorithm()},
                       {"secret", secret}};
    if (!zone.isEmpty())
        values.insert("zone", zone);
    return f.createCredential(QStringLiteral("rfc2136"), values);
}
} // namespace

TEST_CASE("Test passes for the built-in listener: a token served and fetched by the name",
          "[e2e][test][http01]") {
    IssuanceFixture f;
    const QString id =
        f.createItem({QStringLiteral("www.example.test"), QStringLiteral("api.example.test")});
    const QJsonObject report = testOf(f, id);
    INFO(pretty(report));
    CHECK(report.value("ok").toBool());
    for (const auto& v : report.value("checks").toArray())
        CHECK(v.toObject().value("ok").toBool());
    CHECK(checkIn(report, "names").value("message").toString().contains("2 names"));
    CHECK(
        checkIn(report, "dns.www.example.test").value("message").toString().contains("127.0.0.1"));
    const QString served = checkIn(report, "http01.www.example.test").value("message").toString();
    CHECK(served.contains("built-in listener"));
    CHECK(served.contains(QStringLiteral("http://www.example.test:%1/.well-known/acme-challenge/")
                              .arg(f.pebble->httpPort())));
    CHECK(served.contains("served it"));
    CHECK(checkIn(report, "ca.directory").value("message").toString().contains("ACME directory"));
    CHECK(checkIn(report, "ca.account").value("message").toString().contains("admin@example.test"));
    CHECK_FALSE(listening(f.pebble->httpPort())); // the listener closed again
    CHECK(f.itemLog(id).contains("Test: 7 of 7 checks passed"));
}

TEST_CASE("Test of tls-alpn-01: the real TLS listener answers acme-tls/1 for the name",
          "[e2e][test][tlsalpn01]") {
    IssuanceFixture f;
    const QString id =
        f.createItem({QStringLiteral("alpn.example.test")},
                     {{"challenges", QJsonArray{QJsonObject{{"type", "tls-alpn-01"}}}}});
    const QJsonObject report = testOf(f, id);
    INFO(pretty(report));
    CHECK(report.value("ok").toBool());
    CHECK(checkIn(report, "tlsalpn01.alpn.example.test")
              .value("message")
              .toString()
              .contains("completed the handshake"));
    CHECK_FALSE(listening(f.pebble->tlsPort()));
}

TEST_CASE("Test of a webroot: served by nginx, then the folder is as it was; a folder nginx does "
          "not serve is named with what to do",
          "[e2e][test][webroot]") {
    IssuanceFixture f;
    QTemporaryDir served, notServed;
    WebServer nginx(served.path(), f.pebble->httpPort());
    REQUIRE(nginx.start());
    const QString good = f.createItem({QStringLiteral("site.example.test")},
                                      {{"challenges", webrootChallenge(served.path())}});
    const QJsonObject ok = testOf(f, good);
    INFO(pretty(ok));
    CHECK(ok.value("ok").toBool());
    CHECK(checkIn(ok, "http01.site.example.test").value("message").toString().contains("webroot"));
    CHECK(nginx.requestCount(QStringLiteral("/.well-known/acme-challenge/")) >= 1);
    CHECK(QDir(served.path())
              .entryList(QDir::NoDotAndDotDot | QDir::AllEntries | QDir::Hidden)
              .isEmpty());

    const QString wrong = f.createItem({QStringLiteral("other.example.test")},
                                       {{"challenges", webrootChallenge(notServed.path())}});
    const QJsonObject failed = testOf(f, wrong);
    INFO(pretty(failed));
    CHECK_FALSE(failed.value("ok").toBool());
    const QJsonObject check = checkIn(failed, "http01.other.example.test");
    CHECK_FALSE(check.value("ok").toBool());
    CHECK(check.value("message").toString().contains("answered HTTP 404"));
    CHECK(check.value("advice").toString().contains("document root"));
    CHECK(check.value("advice").toString().contains(notServed.path()));
    CHECK(QDir(notServed.path())
              .entryList(QDir::NoDotAndDotDot | QDir::AllEntries | QDir::Hidden)
              .isEmpty());
}

TEST_CASE("Test: a name that does not resolve is reported with what to do", "[e2e][test][dns]") {
    IssuanceFixture f;
    REQUIRE(f.challtestsrv->setDefaultAddresses(QString(), QString()));
    const QString id = f.createItem({QStringLiteral("missing.example.test")});
    const QJsonObject report = testOf(f, id);
    INFO(pretty(report));
    CHECK_FALSE(report.value("ok").toBool());
    const QJsonObject dns = checkIn(report, "dns.missing.example.test");
    CHECK_FALSE(dns.value("ok").toBool());
    CHECK(dns.value("severity").toString() == "error");
    CHECK(dns.value("message").toString().contains("has no A or AAAA record"));
    CHECK(dns.value("message").toString().contains(f.challtestsrv->dnsAddress()));
    CHECK(dns.value("advice").toString().contains("Create an A record"));
    const QJsonObject http = checkIn(report, "http01.missing.example.test");
    CHECK_FALSE(http.value("ok").toBool());
    CHECK(http.value("message").toString().contains("Not tried"));
}

TEST_CASE("Test: a name that points elsewhere, and a port another program holds",
          "[e2e][test][http01]") {
    IssuanceFixture f;
    REQUIRE(f.challtestsrv->setDefaultAddresses(QStringLiteral("127.0.0.1"), QString()));

    SECTION("the name resolves to an address where nothing answers") {
        // 192.0.2.0/24 is reserved for documentation: nothing answers there.
        REQUIRE(f.challtestsrv->addA(QStringLiteral("elsewhere.example.test"),
                                     {QStringLiteral("192.0.2.10")}));
        const QString id = f.createItem({QStringLiteral("elsewhere.example.test")});
        const QJsonObject report = testOf(f, id);
        INFO(pretty(report));
        const QJsonObject check = checkIn(report, "http01.elsewhere.example.test");
        CHECK_FALSE(check.value("ok").toBool());
        CHECK(check.value("severity").toString() == "error");
        CHECK(check.value("message").toString().contains(
            QStringLiteral("192.0.2.10:%1 could not be reached").arg(f.pebble->httpPort())));
        CHECK(check.value("advice").toString().contains("points at this server's public address"));
        CHECK(check.value("advice").toString().contains("firewall"));
    }
    SECTION("another web server holds the challenge port") {
        QTemporaryDir root;
        WebServer nginx(root.path(), f.pebble->httpPort());
        REQUIRE(nginx.start());
        const QString id = f.createItem({QStringLiteral("busy.example.test")});
        const QJsonObject report = testOf(f, id);
        INFO(pretty(report));
        const QJsonObject check = checkIn(report, "http01.busy.example.test");
        CHECK_FALSE(check.value("ok").toBool());
        CHECK(check.value("message").toString().contains("could not be put in place"));
        CHECK(check.value("message").toString().contains(QString::number(f.pebble->httpPort())));
        CHECK(check.value("advice").toString().contains("Another program"));
        CHECK(check.value("advice").toString().contains("webroot"));
    }
}

TEST_CASE("Test of RFC 2136: the key is proven with a probe record that is removed; a wrong "
          "secret is named",
          "[e2e][test][rfc2136]") {
    IssuanceOptions options;
    options.bind9 = true;
    IssuanceFixture f(options);
    const QString record = QStringLiteral("_acme-challenge.dns.example.test.");

    const QString good = tsigCredential(f, f.bind9->keySecretBase64());
    const QString goodItem =
        f.createItem({QStringLiteral("dns.example.test"), QStringLiteral("*.dns.example.test")},
                     {{"challenges",
                       QJsonArray{QJsonObject{
                           {"type", "dns-01"}, {"provider", "rfc2136"}, {"credentialId", good}}}}});
    const QJsonObject ok = testOf(f, goodItem);
    INFO(pretty(ok));
    CHECK(ok.value("ok").toBool());
    const QJsonObject probe = checkIn(ok, "dns01.dns.example.test");
    CHECK(probe.value("ok").toBool());
    CHECK(probe.value("message").toString().contains("nothing is left behind"));
    CHECK(probe.value("message").toString().contains(record));
    // The wildcard shares the record: probed once.
    CHECK(checkIn(ok, "dns01.*.dns.example.test")
              .value("message")
              .toString()
              .contains("same TXT record"));
    CHECK(f.bind9->txtRecords(record).isEmpty());

    // Valid base64, but not the key's secret.
    const QString wrong = tsigCredential(f, QStringLiteral("c2VjcmV0LXRoYXQtaXMtbm90LXRoZS1rZXk="));
    const QString wrongItem =
        f.createItem({QStringLiteral("dns.example.test")},
                     {{"challenges", QJsonArray{QJsonObject{{"type", "dns-01"},
                                                            {"provider", "rfc2136"},
                                                            {"credentialId", wrong}}}}});
    const QJsonObject refused = testOf(f, wrongItem);
    INFO(pretty(refused));
    CHECK_FALSE(refused.value("ok").toBool());
    const QJsonObject check = checkIn(refused, "dns01.dns.example.test");
    CHECK_FALSE(check.value("ok").toBool());
    CHECK(check.value("message").toString().contains("could not be created"));
    CHECK(check.value("message").toString().contains("secret is likely wrong"));
    CHECK(check.value("advice").toString().contains("key name, algorithm and secret"));
    CHECK(f.bind9->txtRecords(record).isEmpty());
    // The secret itself never comes back.
    CHECK_FALSE(pretty(refused).find("c2VjcmV0LXRoYXQtaXMtbm90LXRoZS1rZXk=") != std::string::npos);
}

TEST_CASE("Test of a stored RFC 2136 credential: a probe record is added and removed with its "
          "key; a wrong secret is refused by the server and never shown",
          "[e2e][test][rfc2136][credentials]") {
    IssuanceOptions options;
    options.bind9 = true;
    IssuanceFixture f(options);
    const QString record = QStringLiteral("_certkeeper-test.") + f.bind9->zone();
    const auto testCredential = [&](const QString& id) {
        const auto answer = f.http->post("/api/credentials/" + id.toStdString() + "/test", {});
        REQUIRE(answer.status == 200);
        return answer;
    };

    const QString good = tsigCredential(f, f.bind9->keySecretBase64(), f.bind9->zone());
    const auto works = testCredential(good);
    INFO(works.body);
    CHECK(works.json().value("ok") == QJsonValue(true));
    CHECK(works.json().value("message").toString().contains(record));
    CHECK(works.json().value("message").toString().contains("removed again"));
    CHECK(f.bind9->txtRecords(record).isEmpty());

    const QString secret = QStringLiteral("c2VjcmV0LXRoYXQtaXMtbm90LXRoZS1rZXk=");
    const QString wrong = tsigCredential(f, secret, f.bind9->zone());
    const auto refused = testCredential(wrong);
    INFO(refused.body);
    CHECK(refused.json().value("ok") == QJsonValue(false));
    const QString message = refused.json().value("message").toString();
    CHECK(message.contains("could not be added"));
    CHECK(message.contains("refused the TSIG key"));
    CHECK(message.contains("secret is likely wrong"));
    CHECK(refused.json().value("advice").toString().contains("key name, algorithm and secret"));
    CHECK(f.bind9->txtRecords(record).isEmpty());
    CHECK(refused.body.find(secret.toStdString()) == std::string::npos);
    CHECK(works.body.find(f.bind9->keySecretBase64().toStdString()) == std::string::npos);
    QFile log(f.dataDir.filePath(QStringLiteral("logs/service.log")));
    REQUIRE(log.open(QIODevice::ReadOnly));
    const QByteArray logged = log.readAll();
    CHECK(logged.contains("failed its test"));
    CHECK_FALSE(logged.contains(secret.toLatin1()));
    CHECK_FALSE(logged.contains(f.bind9->keySecretBase64().toLatin1()));
}

TEST_CASE("Test of a DNS script: present and executable passes without running it; a missing "
          "one fails",
          "[e2e][test][script]") {
    IssuanceFixture f;
    QTemporaryDir dir;
    const QString marker = dir.filePath(QStringLiteral("ran"));
    const QString script = dir.filePath(QStringLiteral("dns-hook.sh"));
    QFile file(script);
    REQUIRE(file.open(QIODevice::WriteOnly));
    file.write(QStringLiteral("#!/bin/sh\ntouch '%1'\n").arg(marker).toUtf8());
    file.close();
    file.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    auto scriptChallenge = [](const QString& program) {
        return QJsonArray{
            QJsonObject{{"type", "dns-01"},
                        {"provider", "script"},
                        {"parameters", QJsonObject{{"presentCommand", QJsonArray{program}},
                                                   {"cleanupCommand", QJsonArray{program}}}}}};
    };
    const QString present = f.createItem({QStringLiteral("hook.example.test")},
                                         {{"challenges", scriptChallenge(script)}});
    const QJsonObject ok = testOf(f, present);
    INFO(pretty(ok));
    CHECK(checkIn(ok, "dns01.hook.example.test").value("ok").toBool());
    CHECK_FALSE(QFile::exists(marker));

    const QString absent =
        f.createItem({QStringLiteral("nohook.example.test")},
                     {{"challenges", scriptChallenge(dir.filePath("missing.sh"))}});
    const QJsonObject failed = testOf(f, absent);
    INFO(pretty(failed));
    const QJsonObject check = checkIn(failed, "dns01.nohook.example.test");
    CHECK_FALSE(check.value("ok").toBool());
    CHECK(check.value("message").toString().contains("missing.sh"));
    CHECK(check.value("advice").toString().contains("executable"));
}

TEST_CASE("Test: the CA down, and no account, each say what to do", "[e2e][test][ca]") {
    SECTION("the CA does not answer") {
        IssuanceFixture f;
        const QString id = f.createItem({QStringLiteral("www.example.test")});
        f.pebble->stop();
        const QJsonObject report = testOf(f, id);
        INFO(pretty(report));
        CHECK_FALSE(report.value("ok").toBool());
        const QJsonObject ca = checkIn(report, "ca.directory");
        CHECK_FALSE(ca.value("ok").toBool());
        CHECK(ca.value("message").toString().contains("directory"));
        CHECK(ca.value("advice").toString().contains("can reach 127.0.0.1"));
        const QJsonObject account = checkIn(report, "ca.account");
        CHECK(account.value("severity").toString() == "warning");
        CHECK(account.value("message").toString().contains("could not be checked"));
        CHECK(checkIn(report, "http01.www.example.test").value("ok").toBool()); // unaffected
    }
    SECTION("there is no account for the CA") {
        IssuanceFixture f(IssuanceOptions::withoutAccount());
        const QString id = f.createItem({QStringLiteral("www.example.test")});
        const QJsonObject report = testOf(f, id);
        INFO(pretty(report));
        CHECK_FALSE(report.value("ok").toBool());
        CHECK(checkIn(report, "ca.directory").value("ok").toBool());
        const QJsonObject account = checkIn(report, "ca.account");
        CHECK_FALSE(account.value("ok").toBool());
        CHECK(account.value("message").toString().contains("no ACME account for Pebble"));
        CHECK(
            account.value("advice").toString().contains("certkeeper-cli account add --ca pebble"));
    }
}
