// The outgoing proxy: serviceconfig.json's "proxy" (a malformed one stops the start with the
// field named), the environment's https_proxy / no_proxy, and which destinations go direct.

#include "TestSupport.h"
#include "config/ProxySettings.h"
#include "config/ServiceConfig.h"

#include <QTemporaryDir>

using namespace ck;

namespace {
std::variant<ServiceConfig, ConfigError> load(const QByteArray& text) {
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("serviceconfig.json"));
    cktest::writeFile(path, text);
    return ServiceConfig::loadOrCreate(path);
}

ConfigError errorFor(const QByteArray& text) {
    auto loaded = load(text);
    REQUIRE(std::holds_alternative<ConfigError>(loaded));
    return std::get<ConfigError>(loaded);
}
} // namespace

TEST_CASE("serviceconfig.json's proxy is read and checked", "[config][proxy]") {
    SECTION("a proxy with a credential and exceptions") {
        auto loaded = load(R"({"proxy": {"url": "http://proxy.example.net:3128",
                                         "credentialId": "cred-1",
                                         "noProxy": "localhost, .internal.example"}})");
        REQUIRE(std::holds_alternative<ServiceConfig>(loaded));
        const ProxyConfig& p = std::get<ServiceConfig>(loaded).proxy;
        CHECK(p.url == "http://proxy.example.net:3128");
        CHECK(p.credentialId == "cred-1");
        CHECK(std::get<ServiceConfig>(loaded).toJson().value("proxy").toObject() == p.toJson());
    }
    SECTION("no proxy key, or an empty url: none from the file") {
        auto loaded = load(R"({"proxy": {"url": ""}})");
        REQUIRE(std::holds_alternative<ServiceConfig>(loaded));
        CHECK_FALSE(std::get<ServiceConfig>(loaded).proxy.isSet());
    }
    SECTION("malformed proxies stop the start, naming the field") {
        struct Case {
            QByteArray text;
            QString field;
            QString words;
        };
        const Case cases[] = {
            {R"({"proxy": "http://proxy:3128"})", "proxy", "must be an object"},
            {R"({"proxy": {"url": "proxy:3128"}})", "proxy.url", "http://"},
            {R"({"proxy": {"url": "https://proxy:3128"}})", "proxy.url", "not an http://"},
            {R"({"proxy": {"url": "http://proxy"}})", "proxy.url", "names no port"},
            {R"({"proxy": {"url": "http://proxy:99999"}})", "proxy.url", "not a URL"},
            {R"({"proxy": {"url": "http://alice:pw@proxy:3128"}})", "proxy.url", "credential"},
            {R"({"proxy": {"url": "http://proxy:3128/path"}})", "proxy.url", "has a path"},
            {R"({"proxy": {"url": "http://proxy:3128", "user": "x"}})", "proxy.user",
             "not a proxy setting"},
            {R"({"proxy": {"url": 3128}})", "proxy.url", "must be a string"},
            {R"({"proxy": {"credentialId": "c1"}})", "proxy.url", "credential is named"},
        };
        // The line of the member at fault, inside "proxy".
        const ConfigError onLine3 =
            errorFor("{\n  \"proxy\": {\n    \"url\": \"ftp://p:1\"\n  }\n}");
        CHECK(onLine3.line == 3);
        for (const Case& c : cases) {
            INFO(c.text.toStdString());
            const ConfigError e = errorFor(c.text);
            CHECK(e.field == c.field);
            CHECK(e.message().contains(c.words));
            // The password in a URL is never repeated in the message.
            CHECK_FALSE(e.message().contains("pw@"));
        }
    }
}

TEST_CASE("no_proxy decides which destinations go direct", "[config][proxy]") {
    const OutgoingProxy proxy =
        proxyFromUrl(QStringLiteral("http://127.0.0.1:3128"),
                     QStringLiteral("localhost, .internal.example,10.0.0.1:8443 [::1] EXAMPLE.org"),
                     QStringLiteral("serviceconfig.json"));
    CHECK(proxy.address() == "http://127.0.0.1:3128");
    CHECK(proxy.bypasses("localhost"));
    CHECK(proxy.bypasses("ca.internal.example"));
    CHECK(proxy.bypasses("internal.example"));
    CHECK_FALSE(proxy.bypasses("notinternal.example"));
    CHECK(proxy.bypasses("10.0.0.1"));
    CHECK_FALSE(proxy.bypasses("10.0.0.10"));
    CHECK(proxy.bypasses("::1"));
    CHECK(proxy.bypasses("[::1]"));
    CHECK(proxy.bypasses("www.example.org."));
    CHECK(proxy.appliesTo("acme-v02.api.letsencrypt.org"));

    const OutgoingProxy all =
        proxyFromUrl(QStringLiteral("http://p:1"), QStringLiteral("*"), QStringLiteral("x"));
    CHECK_FALSE(all.appliesTo("anything.example"));
    CHECK_FALSE(OutgoingProxy{}.appliesTo("anything.example"));
}

TEST_CASE("the environment's proxy: https_proxy first, then HTTPS_PROXY", "[config][proxy]") {
    QProcessEnvironment env;
    QString problem;
    CHECK_FALSE(proxyFromEnvironment(env, &problem).has_value());
    CHECK(problem.isEmpty());

    env.insert(QStringLiteral("HTTPS_PROXY"), QStringLiteral("http://upper:1"));
    env.insert(QStringLiteral("https_proxy"), QStringLiteral("bob:se%3Acret@lower:3128"));
    env.insert(QStringLiteral("no_proxy"), QStringLiteral("localhost"));
    const auto proxy = proxyFromEnvironment(env, &problem);
    REQUIRE(proxy.has_value());
    CHECK(proxy->host == "lower");
    CHECK(proxy->port == 3128);
    CHECK(proxy->user == "bob");
    CHECK(proxy->password == "se:cret");
    CHECK(proxy->source == "https_proxy");
    CHECK(proxy->bypasses("localhost"));
    // Diagnostics say which proxy and as whom, never the password.
    CHECK(proxy->describe().contains("http://lower:3128"));
    CHECK(proxy->describe().contains("https_proxy"));
    CHECK(proxy->describe().contains("bob"));
    CHECK_FALSE(proxy->describe().contains("cret"));

    env.insert(QStringLiteral("https_proxy"), QStringLiteral("socks5://bob:hidden@p:1080"));
    CHECK_FALSE(proxyFromEnvironment(env, &problem).has_value());
    CHECK(problem.contains("https_proxy"));
    CHECK(problem.contains("not an http://"));
    CHECK_FALSE(problem.contains("hidden"));
}
