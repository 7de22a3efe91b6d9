// Outgoing HTTPS through an HTTP proxy: a real tinyproxy on a free loopback port, started by the
// test with its own configuration (Foreground, BasicAuth for the credential case). An issuance
// from Pebble, a PowerDNS API call and a webhook go through it (its log names each CONNECT);
// with the proxy stopped the request fails naming the proxy rather than going direct; no_proxy
// is honoured; the environment's https_proxy is used when serviceconfig.json names none; wrong
// proxy credentials and a malformed proxy URL fail clearly, never showing the password.

#include "IssuanceFixture.h"
#include "NotificationReceiver.h"
#include "TinyproxyProcess.h"

#include <catch2/catch.hpp>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

using namespace ck::test;

namespace {
std::string str(const QString& s) {
    return s.toStdString();
}

QString hostPort(const QString& url) {
    const QUrl u(url);
    return QStringLiteral("%1:%2").arg(u.host()).arg(u.port());
}

TinyproxyProcess& started(TinyproxyProcess& proxy) {
    if (!proxy.start())
        FAIL("tinyproxy did not start: " << str(proxy.errorString()));
    return proxy;
}

IssuanceOptions throughProxy(const QJsonObject& proxySetting, bool powerDns = false) {
    IssuanceOptions options;
    options.powerDns = powerDns;
    options.serviceConfig.insert("proxy", proxySetting);
    return options;
}

QString diagnosticsProxy(const IssuanceFixture& f) {
    return f.http->get("/api/system/diagnostics").json().value("outgoingProxy").toString();
}
} // namespace

TEST_CASE("an issuance from Pebble, a DNS API call and a webhook go through the proxy",
          "[e2e][proxy]") {
    TinyproxyProcess proxy;
    started(proxy);
    IssuanceFixture f(throughProxy({{"url", proxy.url()}}, true));
    const QString pebble = hostPort(f.pebble->directoryUrl());
    CHECK(proxy.connectsTo(pebble) >= 1); // the account was registered through it
    CHECK(diagnosticsProxy(f).contains(proxy.url()));
    CHECK(diagnosticsProxy(f).contains("serviceconfig.json"));

    const QString credential =
        f.createCredential(QStringLiteral("powerdns"), {{"apiUrl", f.powerDns->apiUrl()},
                                                        {"apiKey", f.powerDns->apiKey()},
                                                        {"dnsServer", f.powerDns->dnsServer()}});
    const QString id = f.createItem({QStringLiteral("proxied.example.test")},
                                    challenges({dnsRule(QStringLiteral("powerdns"), credential)}));
    requireCertificateFor(f, f.requestAndWait(id), {QStringLiteral("proxied.example.test")});
    // Connections are kept alive, so one tunnel may carry the registration and the whole order;
    // that nothing went direct is the next test's.
    CHECK(proxy.connectsTo(pebble) >= 1);
    CHECK(proxy.connectsTo(hostPort(f.powerDns->apiUrl())) >= 2); // the record added, removed

    NotificationReceiver receiver;
    REQUIRE(receiver.start());
    REQUIRE(f.http
                ->put("/api/settings",
                      QJsonObject{{"notifications",
                                   QJsonObject{{"targets", QJsonObject{{"webhookUrl",
                                                                        receiver.webhookUrl()}}}}}})
                .status == 200);
    const auto sent =
        f.http->post("/api/settings/notifications/test", QJsonObject{{"channel", "webhook"}});
    INFO(sent.body);
    CHECK(sent.status == 200);
    CHECK(receiver.waitForWebhooks(1));
    CHECK(proxy.connectsTo(hostPort(receiver.webhookUrl())) == 1);
    // A tunnel: the proxy saw the host and port only, never the webhook's secret path.
    CHECK_FALSE(proxy.log().contains(NotificationReceiver::webhookSecret()));
}

TEST_CASE("with the proxy stopped, nothing goes direct", "[e2e][proxy]") {
    TinyproxyProcess proxy;
    started(proxy);
    IssuanceFixture f(throughProxy({{"url", proxy.url()}}));
    const QString id = f.createItem({QStringLiteral("nodirect.example.test")});
    proxy.stop();
    // Pebble is up and reachable directly; the request must still fail, naming the proxy.
    const QJsonObject item = f.requestAndWait(id);
    requireCleanFailure(f, item, {proxy.url().mid(7), QStringLiteral("proxy")});
}

TEST_CASE("no_proxy: a destination it names goes direct", "[e2e][proxy]") {
    TinyproxyProcess unused;
    started(unused);
    IssuanceFixture direct(
        throughProxy({{"url", unused.url()}, {"noProxy", "localhost, 127.0.0.1"}}));
    unused.stop(); // would fail every request that went to it
    const QString directId = direct.createItem({QStringLiteral("direct.example.test")});
    requireCertificateFor(direct, direct.requestAndWait(directId),
                          {QStringLiteral("direct.example.test")});
    CHECK(unused.connectsTo(hostPort(direct.pebble->directoryUrl())) == 0);
    CHECK(diagnosticsProxy(direct).contains("not for localhost, 127.0.0.1"));
}

TEST_CASE("the environment's https_proxy, when serviceconfig.json names none", "[e2e][proxy]") {
    TinyproxyProcess proxy;
    started(proxy);
    IssuanceOptions options;
    options.serviceEnvironment.insert(QStringLiteral("https_proxy"), proxy.url());
    IssuanceFixture f(options);
    const QString id = f.createItem({QStringLiteral("fromenv.example.test")});
    requireCertificateFor(f, f.requestAndWait(id), {QStringLiteral("fromenv.example.test")});
    CHECK(proxy.connectsTo(hostPort(f.pebble->directoryUrl())) >= 1);
    CHECK(diagnosticsProxy(f).contains("from https_proxy"));
}

TEST_CASE("proxy authentication from a stored credential", "[e2e][proxy]") {
    TinyproxyProcess proxy({QStringLiteral("certkeeper"), QStringLiteral("proxy-pass-41c9")});
    started(proxy);
    // Without the credential first: the account cannot be registered through the proxy.
    IssuanceOptions options = IssuanceOptions::withoutAccount();
    options.serviceConfig.insert("proxy", QJsonObject{{"url", proxy.url()}});
    IssuanceFixture f(options);
    const auto refused =
        f.http->post("/api/accounts", QJsonObject{{"certificateAuthorityId", "pebble"},
                                                  {"email", "admin@example.test"},
                                                  {"agreeToTerms", true}});
    CHECK(refused.status == 502);
    CHECK(refused.detail().contains("407"));
    CHECK(refused.detail().contains(proxy.url()));

    auto restartWith = [&](const QString& password) {
        const QString credential = f.createCredential(
            QStringLiteral("proxy"), {{"user", "certkeeper"}, {"password", password}});
        f.service.stop();
        QFile file(f.dataDir.filePath(QStringLiteral("serviceconfig.json")));
        REQUIRE(file.open(QIODevice::ReadOnly));
        QJsonObject config = QJsonDocument::fromJson(file.readAll()).object();
        file.close();
        config.insert("proxy", QJsonObject{{"url", proxy.url()}, {"credentialId", credential}});
        REQUIRE(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(QJsonDocument(config).toJson());
        file.close();
        if (!f.service.start())
            FAIL("the service did not start again:\n" << str(f.service.output()));
        f.http = std::make_unique<RawHttp>(f.service.port(), f.service.token().toStdString());
    };

    SECTION("the right password: registered and issued through the proxy") {
        restartWith(QStringLiteral("proxy-pass-41c9"));
        CHECK(diagnosticsProxy(f).contains("as user certkeeper"));
        f.registerAccount();
        const QString id = f.createItem({QStringLiteral("authed.example.test")});
        requireCertificateFor(f, f.requestAndWait(id), {QStringLiteral("authed.example.test")});
    }
    SECTION("a wrong password: refused clearly, never the password") {
        restartWith(QStringLiteral("wrong-pass-0000"));
        const auto wrong =
            f.http->post("/api/accounts", QJsonObject{{"certificateAuthorityId", "pebble"},
                                                      {"email", "admin@example.test"},
                                                      {"agreeToTerms", true}});
        INFO(wrong.body);
        CHECK(wrong.status == 502);
        // tinyproxy answers a wrong password 401 (and no password 407): either is named.
        CHECK(wrong.detail().contains("refused the tunnel"));
        CHECK(wrong.detail().contains("HTTP 401"));
        CHECK(wrong.detail().contains("proxy.credentialId"));
        CHECK(wrong.body.find("wrong-pass-0000") == std::string::npos);
        CHECK_FALSE(diagnosticsProxy(f).contains("wrong-pass"));
    }
}

TEST_CASE("a proxy setting that cannot be used stops the start", "[e2e][proxy]") {
    QTemporaryDir dir;
    ServiceProcess service(dir.path());
    const QJsonObject cases[] = {
        QJsonObject{{"proxy", QJsonObject{{"url", "proxy.example.net:3128"}}}},
        QJsonObject{{"proxy", QJsonObject{{"url", "http://proxy.example.net:3128"},
                                          {"credentialId", "no-such-credential"}}}},
    };
    const char* expected[] = {"proxy.url", "no-such-credential"};
    for (int i = 0; i < 2; ++i) {
        QFile file(dir.filePath(QStringLiteral("serviceconfig.json")));
        REQUIRE(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(QJsonDocument(cases[i]).toJson());
        file.close();
        CHECK_FALSE(service.start());
        INFO(str(service.output()));
        CHECK(service.output().contains(QLatin1String(expected[i])));
    }
    // A malformed https_proxy in the environment too, naming the variable.
    QFile::remove(dir.filePath(QStringLiteral("serviceconfig.json")));
    QProcessEnvironment environment;
    environment.insert(QStringLiteral("https_proxy"), QStringLiteral("socks5://u:hidden@p:1080"));
    service.useBinary({}, environment);
    CHECK_FALSE(service.start());
    CHECK(service.output().contains("https_proxy"));
    CHECK_FALSE(service.output().contains("hidden"));
}
