#pragma once
// The cases every hosted DNS provider is tested with, against its stand-in (tests/standins):
// two values at one name (a wildcard and its base name) beside a value someone else put there,
// the zone by longest match, a wrong credential, a credential without rights on the zone, a zone
// that is not there, 429 with Retry-After, a provider that hangs and a record it refuses. Each
// failure must name the provider and the zone and carry the provider's words, and the stand-in
// must hold nothing of ours afterwards. A provider's test file describes its stand-in and how
// to make the provider for a principal, and runs each case in a TEST_CASE of its own.

#include "ChallTestSrvProcess.h"
#include "DnsApiStandIn.h"
#include "DnsTestSupport.h"
#include "dnsapi/HttpDnsProvider.h"

#include <catch2/catch.hpp>

#include <QJsonArray>
#include <QRegularExpression>
#include <QThread>

#include <functional>
#include <memory>

namespace ck::test {

struct HostedProvider {
    QString module; // the stand-in's module: "cloudflare"
    QString title;  // how errors start: "Cloudflare at "
    // The stand-in's principals: "all" edits every zone, "limited" is as `limited` says
    // (provider's own keys beside "read" and "edit").
    QJsonObject principals;
    enum class Limited {
        EditsDeepOnly, // reads both zones, edits deep.example.test only (per-zone rights)
        ReadOnly,      // reads both zones, edits none (rights for the whole account)
        SeesDeepOnly,  // sees and edits deep.example.test only (a token has every right or none)
    };
    Limited limited = Limited::EditsDeepOnly;
    QJsonObject extraConfig; // more of the stand-in's config
    // The provider for a principal of the stand-in ("wrong": a credential it does not know).
    std::function<std::unique_ptr<dnsapi::HttpDnsProvider>(
        process::ProcessRunner&, const DnsApiStandIn&, const QString& principal,
        dnsapi::HttpDnsOptions)>
        make;
    QStringList wrongCredentialWords; // in the error of the "wrong" credential
    QStringList noRightsWords;        // in the error of "limited" adding in example.test
    // How the provider says "slow down": 429 with Retry-After unless it answers otherwise
    // (Route 53: 400 with the code Throttling, no Retry-After).
    QJsonObject rateLimit{{"status", 429}, {"headers", QJsonObject{{"Retry-After", "1"}}}};
    QString writeMethod; // of the request that adds a value ("POST")
    QString writePath;   // a part of its path, for the refusal fault
};

inline std::string str(const QString& s) {
    return s.toStdString();
}

inline challenges::DnsTxtRecord txtRecord(const QString& domain, const QString& value) {
    const QString base = domain.startsWith(QLatin1String("*.")) ? domain.mid(2) : domain;
    return {QStringLiteral("_acme-challenge.") + base + u'.', value, domain};
}

class StandInFixture {
public:
    explicit StandInFixture(const HostedProvider& p) : provider(p) {
        if (!challtestsrv.start())
            FAIL(str(challtestsrv.errorString()));
        QJsonObject config = p.extraConfig;
        config.insert("zones", QJsonArray{"example.test", "deep.example.test"});
        config.insert("principals", p.principals);
        config.insert("challtestsrv", challtestsrv.managementUrl());
        api = std::make_unique<DnsApiStandIn>(p.module, config);
        if (!api->start())
            FAIL(str(api->errorString()));
    }
    std::unique_ptr<dnsapi::HttpDnsProvider> make(const QString& principal = "all",
                                                  dnsapi::HttpDnsOptions o = fast()) {
        o.caFile = api->caFile();
        o.dnsServer = challtestsrv.dnsAddress();
        return provider.make(runner, *api, principal, o);
    }
    static dnsapi::HttpDnsOptions fast() {
        dnsapi::HttpDnsOptions o;
        o.requestTimeout = std::chrono::seconds(2);
        o.maxRetryWait = std::chrono::seconds(10);
        o.maxAttempts = 3;
        return o;
    }
    // The error must start with the provider and hold each word; the stand-in holds nothing.
    void requireClear(const DomainError& e, const QStringList& words) const {
        INFO(str(e.message()));
        CHECK(e.message().startsWith(provider.title + QStringLiteral(" at ") + api->origin()));
        for (const QString& w : words)
            CHECK(e.message().contains(w));
        CHECK(api->records().isEmpty());
    }

    HostedProvider provider;
    ChallTestSrvProcess challtestsrv;
    std::unique_ptr<DnsApiStandIn> api;
    process::ProcessRunner runner{2};
};

inline void twoValuesAtOneName(const HostedProvider& p) {
    using namespace std::chrono_literals;
    StandInFixture f(p);
    const auto base = txtRecord(QStringLiteral("example.test"), QStringLiteral("value-base"));
    const auto wild = txtRecord(QStringLiteral("*.example.test"), QStringLiteral("value-wild"));
    f.api->putValues(base.name, {QStringLiteral("someone-else")});
    auto first = f.make();
    auto second = f.make(); // one provider object per authorization, as in a request
    CHECK(runSync(first->listZones()) == QStringList{"deep.example.test.", "example.test."});
    runSync(first->present(base));
    runSync(second->present(wild));
    runSync(second->present(wild)); // again: still one value of it
    CHECK(f.api->values(base.name) == QStringList{"someone-else", "value-base", "value-wild"});
    runSync(first->waitForPropagation(base, 10s)); // at challtestsrv, as Pebble sees it
    runSync(second->waitForPropagation(wild, 10s));
    runSync(first->cleanup(base));
    CHECK(f.api->values(base.name) == QStringList{"someone-else", "value-wild"});
    runSync(first->cleanup(base)); // gone already: not an error
    runSync(second->cleanup(wild));
    CHECK(f.api->values(base.name) == QStringList{"someone-else"});
    f.api->putValues(base.name, {});
    CHECK(f.api->records().isEmpty());
}

inline void longestZone(const HostedProvider& p) {
    StandInFixture f(p);
    auto provider = f.make();
    const auto deep = txtRecord(QStringLiteral("www.deep.example.test"), QStringLiteral("d"));
    CHECK(runSync(provider->zoneFor(deep.name)) == QStringLiteral("deep.example.test."));
    runSync(provider->present(deep));
    CHECK(f.api->records().keys() == QStringList{deep.name});
    runSync(provider->cleanup(deep));
    CHECK(f.api->records().isEmpty());
    // A zone the user names is used as given (found without listing).
    dnsapi::HttpDnsOptions named = StandInFixture::fast();
    named.zone = QStringLiteral("example.test");
    auto inNamed = f.make(QStringLiteral("all"), named);
    CHECK(runSync(inNamed->zoneFor(deep.name)) == QStringLiteral("example.test."));
}

// For providers that log in for a token: one that lives 62 s is renewed a minute early, so after
// 2.5 s the next change fetches a new one (`tokenRequest`: how the log shows that request).
inline void tokenRenewedBeforeExpiry(HostedProvider p, const QString& tokenRequest) {
    p.extraConfig.insert("tokenLifetime", 62);
    StandInFixture f(p);
    auto provider = f.make();
    const auto first = txtRecord(QStringLiteral("a.example.test"), QStringLiteral("1"));
    const auto second = txtRecord(QStringLiteral("b.example.test"), QStringLiteral("2"));
    runSync(provider->present(first));
    CHECK(f.api->requests().filter(tokenRequest).size() == 1);
    QThread::msleep(2500);
    runSync(provider->present(second));
    const QStringList seen = f.api->requests();
    INFO(str(seen.join(u'\n')));
    CHECK(seen.filter(tokenRequest).size() == 2);
    CHECK(seen.filter(QRegularExpression(" -> 401$")).isEmpty());
    runSync(provider->cleanup(first));
    runSync(provider->cleanup(second));
    CHECK(f.api->records().isEmpty());
}

inline void wrongCredential(const HostedProvider& p) {
    StandInFixture f(p);
    const auto e = errorOf<UpstreamError>(
        f.make(QStringLiteral("wrong"))
            ->present(txtRecord(QStringLiteral("www.example.test"), QStringLiteral("v"))));
    f.requireClear(e, p.wrongCredentialWords);
}

inline void noRightsOnTheZone(const HostedProvider& p) {
    using Limited = HostedProvider::Limited;
    StandInFixture f(p);
    dnsapi::HttpDnsOptions o = StandInFixture::fast();
    if (p.limited == Limited::SeesDeepOnly) // it cannot find example.test: the user names it
        o.zone = QStringLiteral("example.test");
    auto limited = f.make(QStringLiteral("limited"), o);
    CHECK(runSync(limited->listZones()) ==
          (p.limited == Limited::SeesDeepOnly
               ? QStringList{"deep.example.test."}
               : QStringList{"deep.example.test.", "example.test."}));
    const auto e = errorOf<UpstreamError>(
        limited->present(txtRecord(QStringLiteral("www.example.test"), QStringLiteral("v"))));
    f.requireClear(e, QStringList{QStringLiteral("in the zone example.test.")} + p.noRightsWords);
    if (p.limited == Limited::ReadOnly)
        return;
    // Where it may edit, it does.
    auto inDeep = f.make(QStringLiteral("limited"));
    const auto deep = txtRecord(QStringLiteral("www.deep.example.test"), QStringLiteral("d"));
    runSync(inDeep->present(deep));
    CHECK(f.api->values(deep.name) == QStringList{"d"});
    runSync(inDeep->cleanup(deep));
    CHECK(f.api->records().isEmpty());
}

inline void zoneNotFound(const HostedProvider& p) {
    StandInFixture f(p);
    const auto e = errorOf<UpstreamError>(
        f.make()->present(txtRecord(QStringLiteral("www.other.test"), QStringLiteral("v"))));
    f.requireClear(e, {QStringLiteral("find the zone for _acme-challenge.www.other.test."),
                       QStringLiteral("deep.example.test., example.test.")});
}

inline void rateLimited(const HostedProvider& p) {
    StandInFixture f(p);
    const auto limitFault = [&](int count) {
        QJsonObject fault = p.rateLimit;
        fault.insert("message", "Rate limited, slow down");
        fault.insert("count", count);
        return fault;
    };
    // Two "slow down" answers (Retry-After: 1, or the base's 1 s and 2 s without), then the
    // real answers.
    f.api->addFault(limitFault(2));
    auto provider = f.make();
    const auto r = txtRecord(QStringLiteral("www.example.test"), QStringLiteral("v"));
    const auto start = std::chrono::steady_clock::now();
    runSync(provider->present(r));
    CHECK(secondsSince(start) >= 1.9);
    CHECK(f.api->values(r.name) == QStringList{"v"});
    runSync(provider->cleanup(r));
    CHECK(f.api->records().isEmpty());

    // One that keeps limiting: a clear error after the bounded tries, with its words.
    f.api->addFault(limitFault(-1));
    const auto e = errorOf<UpstreamError>(f.make()->present(r));
    f.requireClear(e, {QStringLiteral("limits the rate of requests (HTTP %1")
                           .arg(p.rateLimit.value("status").toInt()),
                       QStringLiteral("Rate limited, slow down"), QStringLiteral("after 3 tries")});
}

inline void hangs(const HostedProvider& p) {
    StandInFixture f(p);
    f.api->addFault({{"hang", true}, {"count", -1}});
    const auto start = std::chrono::steady_clock::now();
    const auto e = errorOf<UpstreamError>(
        f.make()->present(txtRecord(QStringLiteral("www.example.test"), QStringLiteral("v"))));
    CHECK(secondsSince(start) < 8.0);
    f.requireClear(e, {QStringLiteral("no answer within 2 s")});
}

inline void refusesTheRecord(const HostedProvider& p) {
    StandInFixture f(p);
    f.api->addFault({{"method", p.writeMethod},
                     {"path", p.writePath},
                     {"status", 400},
                     {"message", "TXT records are not allowed at this name by policy"},
                     {"count", -1}});
    const auto e = errorOf<UpstreamError>(
        f.make()->present(txtRecord(QStringLiteral("www.example.test"), QStringLiteral("v"))));
    f.requireClear(e, {QStringLiteral("add the TXT record _acme-challenge.www.example.test."),
                       QStringLiteral("in the zone example.test."), QStringLiteral("HTTP 400"),
                       QStringLiteral("TXT records are not allowed at this name by policy")});
}

} // namespace ck::test

// Every case above as a TEST_CASE named after the provider; `P` is a function returning the
// HostedProvider.
#define CK_STANDIN_CASES(NAME, TAG, P)                                                             \
    TEST_CASE(NAME ": a wildcard and its base name keep both values beside another", TAG) {        \
        ck::test::twoValuesAtOneName(P());                                                         \
    }                                                                                              \
    TEST_CASE(NAME ": the longest zone wins, a named zone is used as given", TAG) {                \
        ck::test::longestZone(P());                                                                \
    }                                                                                              \
    TEST_CASE(NAME ": a wrong credential is a clear error", TAG) {                                 \
        ck::test::wrongCredential(P());                                                            \
    }                                                                                              \
    TEST_CASE(NAME ": a credential without rights on the zone is a clear error", TAG) {            \
        ck::test::noRightsOnTheZone(P());                                                          \
    }                                                                                              \
    TEST_CASE(NAME ": a name in no zone is a clear error", TAG) {                                  \
        ck::test::zoneNotFound(P());                                                               \
    }                                                                                              \
    TEST_CASE(NAME ": 429 with Retry-After is waited out, within bounds", TAG) {                   \
        ck::test::rateLimited(P());                                                                \
    }                                                                                              \
    TEST_CASE(NAME ": a provider that hangs fails within the time limit", TAG) {                   \
        ck::test::hangs(P());                                                                      \
    }                                                                                              \
    TEST_CASE(NAME ": a refused record names the provider, the zone and its words", TAG) {         \
        ck::test::refusesTheRecord(P());                                                           \
    }
