// The lexicon bridge (service/dnsapi/Lexicon*): lexicon's list of providers as DnsProviderTypes
// (secret fields, native twins, providers left out), finding lexicon's interpreter, a service
// catalogue checking dns-01 rules and credentials that name lexicon providers, the real discovery
// against the installed lexicon, and LexiconProvider against a real PowerDNS through lexicon's
// own powerdns provider: both values of a wildcard and its base name kept, exactly one removed,
// a wrong key and a server that never answers each ending in an error that names the provider,
// the zone and lexicon's words, with no secret in it and nothing left in the zone.

#include "DnsTestSupport.h"
#include "PowerDnsProcess.h"
#include "SilentServer.h"
#include "dnsapi/LexiconCatalogue.h"
#include "dnsapi/LexiconProvider.h"
#include "logging/ItemLog.h"
#include "model/DnsCatalogue.h"
#include "model/Validation.h"
#include "process/ChildProcess.h"

#include <catch2/catch.hpp>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

using namespace ck;
using namespace ck::dnsapi;
using namespace std::chrono_literals;

namespace {

std::string str(const QString& s) {
    return s.toStdString();
}

// What the bridge's `catalogue` prints, trimmed to a few providers of each kind.
const QByteArray kListing = R"({"lexiconVersion": "3.11.7", "providers": [
 {"name": "auto", "available": true, "doc": "Module provider for auto", "options": []},
 {"name": "gandi", "available": true, "doc": "Provide support to Lexicon for Gandi LiveDNS",
  "options": [
   {"name": "auth_token", "flag": "--auth-token", "help": "specify Gandi API key", "default": "",
    "isFlag": false, "choices": []},
   {"name": "api_protocol", "flag": "--api-protocol", "help": "(optional) protocol", "default": "",
    "isFlag": false, "choices": ["rpc", "rest"]}]},
 {"name": "digitalocean", "available": true, "doc": "Module provider for Digital Ocean",
  "options": [{"name": "auth_token", "flag": "--auth-token", "help": "specify token",
               "default": "", "isFlag": false, "choices": []}]},
 {"name": "aliyun", "available": true, "doc": "Module provider for Aliyun", "options": [
   {"name": "auth_key_id", "flag": "--auth-key-id", "help": "specify access key id",
    "default": "", "isFlag": false, "choices": []},
   {"name": "auth_secret", "flag": "--auth-secret", "help": "specify access secret",
    "default": "", "isFlag": false, "choices": []}]},
 {"name": "oci", "available": false, "doc": "OCI", "options": []},
 {"name": "broken", "error": "ImportError: no module", "available": false},
 {"name": "zeit", "available": true, "doc": "Compatibility layer for Zeit", "options": []}
]})";

const DnsProviderType* findIn(const QList<DnsProviderType>& list, const QString& id) {
    for (const auto& t : list)
        if (t.id == id)
            return &t;
    return nullptr;
}

const CredentialField* fieldOf(const DnsProviderType& t, const QString& name) {
    for (const auto& f : t.credentialFields)
        if (f.name == name)
            return &f;
    return nullptr;
}

ManagedCertificate itemWithRule(const QString& provider, const QJsonObject& parameters = {}) {
    ManagedCertificate m;
    m.name = QStringLiteral("lexicon");
    m.requestConfig.subjectAlternativeNames = {QStringLiteral("www.example.com")};
    ChallengeConfig rule;
    rule.type = QStringLiteral("dns-01");
    rule.provider = provider;
    rule.credentialId = QStringLiteral("c1");
    rule.parameters = parameters;
    m.requestConfig.challenges = {rule};
    return m;
}

QStringList fieldsOf(const QList<FieldError>& errors) {
    QStringList fields;
    for (const auto& e : errors)
        fields << e.field;
    return fields;
}

// The service's catalogue as the real discovery leaves it.
struct Discovered {
    LiveDnsCatalogue live;
    logging::Logger log;
    process::ProcessRunner runner{2};
    explicit Discovered(const QString& path = qEnvironmentVariable("PATH")) {
        test::runSync(discoverLexiconProviders(live, runner, log, path, 60s));
    }
};

} // namespace

TEST_CASE("lexicon's providers become DnsProviderTypes with its options as credential fields",
          "[dns][lexicon]") {
    const LexiconProviders found = lexiconProvidersFromJson(kListing);
    CHECK(found.version == QStringLiteral("3.11.7"));
    CHECK(found.left == QStringList{"auto", "zeit"});
    CHECK(found.unusable == QStringList{"oci", "broken"});
    REQUIRE(found.providers.size() == 3);
    CHECK(found.nativeTwins == 1);

    const DnsProviderType* gandi = findIn(found.providers, QStringLiteral("lexicon:gandi"));
    REQUIRE(gandi);
    CHECK(gandi->title == QStringLiteral("Gandi (via lexicon)"));
    CHECK(gandi->credentialType == QStringLiteral("lexicon:gandi"));
    CHECK(gandi->nativeProvider.isEmpty());
    QStringList names;
    for (const auto& f : gandi->credentialFields)
        names << f.name;
    CHECK(names == QStringList{"auth_token", "api_protocol", "zone", "dnsServer"});
    CHECK(fieldOf(*gandi, "auth_token")->secret);
    CHECK_FALSE(fieldOf(*gandi, "auth_token")->required); // one of two options: not known
    CHECK(fieldOf(*gandi, "auth_token")->help.contains(QStringLiteral("LEXICON_GANDI_AUTH_TOKEN")));
    CHECK_FALSE(fieldOf(*gandi, "api_protocol")->secret);
    CHECK(fieldOf(*gandi, "api_protocol")->help.contains(QStringLiteral("One of: rpc, rest")));
    CHECK_FALSE(fieldOf(*gandi, "zone")->required);
    QStringList parameters;
    for (const auto& p : gandi->parameters)
        parameters << p.key;
    CHECK(parameters == QStringList{"zone", "propagationDelaySeconds", "timeoutSeconds"});

    const DnsProviderType* aliyun = findIn(found.providers, QStringLiteral("lexicon:aliyun"));
    REQUIRE(aliyun);
    CHECK_FALSE(fieldOf(*aliyun, "auth_key_id")->secret);
    CHECK(fieldOf(*aliyun, "auth_secret")->secret);
    CHECK(fieldOf(*aliyun, "auth_key_id")->title == QStringLiteral("Key ID"));

    const DnsProviderType* ocean = findIn(found.providers, QStringLiteral("lexicon:digitalocean"));
    REQUIRE(ocean);
    CHECK(ocean->nativeProvider == QStringLiteral("digitalocean")); // menus offer the native one
    CHECK(fieldOf(*ocean, "auth_token")->required);                 // its only option
    CHECK(ocean->title == QStringLiteral("Digital Ocean (via lexicon)"));

    CHECK_THROWS_AS(lexiconProvidersFromJson("not json"), UpstreamError);
    CHECK_THROWS_AS(lexiconProvidersFromJson(R"({"version": 1})"), UpstreamError);
}

TEST_CASE("lexicon: which option names hold a secret, and where lexicon reads each option",
          "[dns][lexicon]") {
    for (const char* secret :
         {"auth_token", "auth_password", "auth_secret", "auth_api_key", "auth_key", "auth_psw",
          "auth_application_secret", "auth_consumer_key", "auth_key_content", "auth_pass_phrase",
          "auth_2fa", "auth_service_account_info", "auth_api_password"})
        CHECK(isSecretOption(QString::fromLatin1(secret)));
    for (const char* plain :
         {"auth_username", "auth_key_id", "auth_key_file", "auth_key_is_global", "pdns_server",
          "zone_id", "auth_customer_id", "ib_host", "auth_id", "auth_client_ip", "resource_group"})
        CHECK_FALSE(isSecretOption(QString::fromLatin1(plain)));
    CHECK(lexiconVariable("powerdns", "auth_token") ==
          QStringLiteral("LEXICON_POWERDNS_AUTH_TOKEN"));
    CHECK(lexiconProviderName("lexicon:gandi") == QStringLiteral("gandi"));
    CHECK(lexiconProviderName("powerdns").isEmpty());
    CHECK(nativeTwinOf("route53") == QStringLiteral("route53"));
    CHECK(nativeTwinOf("gandi").isEmpty());
}

TEST_CASE("lexicon's interpreter comes from the #! line of the lexicon program on PATH",
          "[dns][lexicon]") {
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString bin = dir.filePath(QStringLiteral("bin"));
    REQUIRE(QDir().mkpath(bin));
    SECTION("found") {
        QFile lexicon(bin + QStringLiteral("/lexicon"));
        REQUIRE(lexicon.open(QIODevice::WriteOnly));
        lexicon.write("#!/usr/bin/env python3 -s\nprint('x')\n");
        lexicon.close();
        lexicon.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        const LexiconRuntime r = findLexiconRuntime(QStringLiteral("/nonexistent:") + bin);
        INFO(str(r.problem));
        REQUIRE(r.ok());
        CHECK(r.lexicon == bin + QStringLiteral("/lexicon"));
        CHECK(r.interpreter == QStringLiteral("/usr/bin/env"));
        CHECK(r.arguments == QStringList{"python3", "-s"});
        const process::ProcessSpec spec =
            bridgeSpec(r, {QStringLiteral("catalogue")}, {{"LEXICON_X_AUTH_TOKEN", "s3cret"}}, 5s);
        CHECK(spec.arguments == QStringList{"python3", "-s", "-", "catalogue"});
        CHECK(spec.input == lexiconBridgeScript());
        CHECK(spec.input.contains("def catalogue("));
    }
    SECTION("no #! line") {
        QFile lexicon(bin + QStringLiteral("/lexicon"));
        REQUIRE(lexicon.open(QIODevice::WriteOnly));
        lexicon.write("ELF...");
        lexicon.close();
        lexicon.setPermissions(QFile::ReadOwner | QFile::ExeOwner);
        CHECK(findLexiconRuntime(bin).problem.contains(QStringLiteral("no #! line")));
    }
    SECTION("not installed") {
        const LexiconRuntime r = findLexiconRuntime(bin);
        CHECK_FALSE(r.ok());
        CHECK(r.problem.contains(QStringLiteral("lexicon is not installed")));
    }
}

TEST_CASE("A service's catalogue checks dns-01 rules and credentials naming lexicon providers",
          "[dns][lexicon][validation]") {
    const DnsCatalogue catalogue(lexiconProvidersFromJson(kListing).providers);
    CHECK(catalogue.find(QStringLiteral("powerdns"))); // the built-in ones stay
    REQUIRE(catalogue.find(QStringLiteral("lexicon:gandi")));
    REQUIRE(catalogue.findCredentialType(QStringLiteral("lexicon:gandi")));
    CHECK(catalogue.findCredentialType(QStringLiteral("eab")));

    ManagedCertificate ok = itemWithRule(QStringLiteral("lexicon:gandi"),
                                         {{"zone", "example.com"}, {"timeoutSeconds", 30}});
    CHECK(validateManagedCertificate(ok, catalogue).isEmpty());
    ManagedCertificate twin = itemWithRule(QStringLiteral("lexicon:digitalocean"));
    CHECK(validateManagedCertificate(twin, catalogue).isEmpty()); // usable by id

    ManagedCertificate builtInOnly = itemWithRule(QStringLiteral("lexicon:gandi"));
    CHECK(fieldsOf(validateManagedCertificate(builtInOnly)) ==
          QStringList{"requestConfig.challenges[0].provider"});

    ManagedCertificate unknown = itemWithRule(QStringLiteral("lexicon:nosuch"));
    const auto errors = validateManagedCertificate(unknown, catalogue);
    REQUIRE(fieldsOf(errors) == QStringList{"requestConfig.challenges[0].provider"});
    CHECK(errors.first().detail.contains(QStringLiteral("lexicon:gandi")));
    CHECK_FALSE(errors.first().detail.contains(QStringLiteral("lexicon:digitalocean")));

    ManagedCertificate slow =
        itemWithRule(QStringLiteral("lexicon:gandi"), {{"timeoutSeconds", 2}});
    CHECK(fieldsOf(validateManagedCertificate(slow, catalogue)) ==
          QStringList{"requestConfig.challenges[0].parameters.timeoutSeconds"});

    const QString title = QStringLiteral("mine");
    CHECK(validateCredential("lexicon:gandi", title, {{"auth_token", "t"}}, catalogue).isEmpty());
    CHECK(fieldsOf(validateCredential("lexicon:digitalocean", title, {{"zone", "example.com"}},
                                      catalogue)) == QStringList{"values.auth_token"});
    CHECK(fieldsOf(validateCredential("lexicon:gandi", title, {{"auth_tokn", "t"}}, catalogue)) ==
          QStringList{"values.auth_tokn"});
    CHECK(fieldsOf(validateCredential("lexicon:gandi", title, {{"auth_token", "t"}})) ==
          QStringList{"type"}); // the built-in types alone do not know it
}

TEST_CASE("lexicon's providers found on this machine, and a clear note without lexicon",
          "[dns][lexicon][discovery]") {
    SECTION("installed") {
        Discovered d;
        INFO(str(d.live.note()));
        REQUIRE(d.live.complete());
        const auto catalogue = d.live.current();
        int offered = 0, lexicon = 0;
        for (const auto& t : catalogue->providers()) {
            offered += t.nativeProvider.isEmpty() ? 1 : 0;
            lexicon += lexiconProviderName(t.id).isEmpty() ? 0 : 1;
        }
        CHECK(lexicon >= 60);
        CHECK(offered >= 70); // more than the Windows product offers
        CHECK(catalogue->find(QStringLiteral("lexicon:powerdns"))->nativeProvider ==
              QStringLiteral("powerdns"));
        CHECK(d.live.note().startsWith(QStringLiteral("lexicon 3.")));
        const auto* gandi = catalogue->findCredentialType(QStringLiteral("lexicon:gandi"));
        REQUIRE(gandi);
        CHECK(gandi->field(QStringLiteral("auth_token"))->secret);
    }
    SECTION("not on PATH") {
        Discovered d(QStringLiteral("/nonexistent-certkeeper"));
        REQUIRE(d.live.complete());
        CHECK(d.live.current()->providers().size() == dnsProviderTypes().size());
        CHECK(d.live.note().contains(QStringLiteral("lexicon is not installed")));
    }
}

namespace {
challenges::DnsTxtRecord record(const QString& domain, const QString& value) {
    QString base = domain.startsWith(QLatin1String("*.")) ? domain.mid(2) : domain;
    return {QStringLiteral("_acme-challenge.") + base + u'.', value, domain};
}

QStringList sorted(QStringList list) {
    list.sort();
    return list;
}

struct LexiconPdns : Discovered {
    test::PowerDnsProcess pdns{{QStringLiteral("example.test.")}};
    QTemporaryDir logs;
    logging::Logger serviceLog;
    logging::ItemLog itemLog{logs.path(), QStringLiteral("item"), serviceLog};
    LexiconPdns() {
        if (!pdns.start())
            FAIL(str(pdns.errorString()));
    }
    LexiconSettings settings(const QString& key, const QString& server = {}) const {
        LexiconSettings s;
        s.provider = QStringLiteral("powerdns");
        s.options = {{QStringLiteral("auth_token"), key},
                     {QStringLiteral("pdns_server"), server.isEmpty() ? pdns.apiUrl() : server}};
        s.dnsServer = pdns.dnsServer();
        s.timeout = 60s;
        s.searchPath = qEnvironmentVariable("PATH");
        return s;
    }
    std::unique_ptr<LexiconProvider> provider(const LexiconSettings& s) {
        auto p = std::make_unique<LexiconProvider>(runner, live, s);
        p->attachLog(itemLog);
        return p;
    }
    QString logText() const {
        QFile f(itemLog.path());
        return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
    }
};
} // namespace

TEST_CASE_METHOD(LexiconPdns, "lexicon's powerdns: a wildcard and its base name keep both values",
                 "[dns][lexicon][powerdns]") {
    auto first = provider(settings(pdns.apiKey()));
    auto second = provider(settings(pdns.apiKey()));
    CHECK(first->title() == QStringLiteral("PowerDNS (via lexicon)"));
    const auto base = record(QStringLiteral("example.test"), QStringLiteral("value-1"));
    const auto wild = record(QStringLiteral("*.example.test"), QStringLiteral("value-2"));
    test::runSync(first->present(base));
    test::runSync(second->present(wild));
    CHECK(sorted(pdns.txtRecords(base.name)) == QStringList{"value-1", "value-2"});
    test::runSync(first->waitForPropagation(base, 20s));
    test::runSync(second->waitForPropagation(wild, 20s));

    test::runSync(first->cleanup(base));
    CHECK(pdns.txtRecords(base.name) == QStringList{"value-2"}); // exactly that value
    test::runSync(second->cleanup(wild));
    test::runSync(second->cleanup(wild)); // already gone: done
    CHECK(pdns.storedTxt(QStringLiteral("_acme-challenge")).isEmpty());
    CHECK_FALSE(logText().contains(pdns.apiKey()));
}

TEST_CASE_METHOD(LexiconPdns,
                 "lexicon's powerdns: a zone it cannot find, a wrong key, a server "
                 "that never answers",
                 "[dns][lexicon][powerdns]") {
    const auto r = record(QStringLiteral("www.example.test"), QStringLiteral("value-3"));
    SECTION("a wrong key: PowerDNS answers 401") {
        const QString wrong = QStringLiteral("wrong-key-7d1f0c");
        const auto e = test::errorOf<UpstreamError>(provider(settings(wrong))->present(r));
        INFO(str(e.message()));
        CHECK(e.message().startsWith(QStringLiteral("PowerDNS (via lexicon): could not add the "
                                                    "TXT record _acme-challenge.www.example.test. "
                                                    "in the zone example.test.")));
        CHECK(e.message().contains(QStringLiteral("401")));
        CHECK(e.message().contains(QStringLiteral("check the credential's fields")));
        CHECK_FALSE(e.message().contains(wrong));
        CHECK_FALSE(logText().contains(wrong));
    }
    SECTION("a server that accepts and never answers: the time limit stops lexicon") {
        test::SilentServer silent;
        LexiconSettings s =
            settings(pdns.apiKey(), QStringLiteral("http://127.0.0.1:%1").arg(silent.port));
        s.timeout = 5s;
        const auto e = test::errorOf<UpstreamError>(provider(s)->present(r));
        INFO(str(e.message()));
        CHECK(e.message().contains(QStringLiteral("did not finish within 5 s")));
        CHECK(e.message().contains(QStringLiteral("raise the rule's timeoutSeconds")));
        CHECK_FALSE(e.message().contains(pdns.apiKey()));
    }
    SECTION("the zone named is not the record's") {
        LexiconSettings s = settings(pdns.apiKey());
        s.zone = QStringLiteral("other.test");
        const auto e = test::errorOf<InvalidInputError>(provider(s)->present(r));
        CHECK(e.message().contains(QStringLiteral("not inside the zone other.test.")));
    }
    CHECK(pdns.storedTxt(QStringLiteral("_acme-challenge")).isEmpty());
}
