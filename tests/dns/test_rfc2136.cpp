// Rfc2136Provider and DnsQuery against a real BIND9 (tests/e2e/support/Bind9Process): signed
// updates, the SOA walk, propagation checks and the errors users see when something is wrong.
#include "DnsTestSupport.h"
#include "ManagedProcess.h"
#include "challenges/DnsQuery.h"
#include "process/ChildProcess.h"

#include <catch2/catch.hpp>

using namespace ck;
using namespace ck::challenges;
using namespace std::chrono_literals;

namespace {

challenges::DnsTxtRecord record(const QString& domain, const QString& value) {
    QString base = domain.startsWith(QLatin1String("*.")) ? domain.mid(2) : domain;
    return {QStringLiteral("_acme-challenge.") + base + u'.', value, domain};
}

QStringList served(const test::Bind9Process& bind, const QString& name) {
    dns::DnsServer server{bind.address(), bind.port(), {}};
    dns::DnsAnswer a = dns::query(server, name, dns::RecordType::TXT, 2000ms);
    REQUIRE(a.ok());
    return a.values(name, dns::RecordType::TXT);
}

struct BindFixture {
    test::Bind9Process bind;
    process::ProcessRunner runner{2};
    BindFixture() { REQUIRE(bind.start()); }
};

} // namespace

TEST_CASE_METHOD(BindFixture, "present creates the TXT record, cleanup removes it") {
    Rfc2136Provider provider(runner, test::settingsFor(bind));
    CHECK(provider.title() ==
          QStringLiteral("RFC 2136 dynamic update (127.0.0.1:%1)").arg(bind.port()));
    const DnsTxtRecord r =
        record(QStringLiteral("www.example.test"), QStringLiteral("abc-DEF_123"));

    CHECK(test::runSync(provider.zoneFor(r)) == QStringLiteral("example.test."));
    test::runSync(provider.present(r));
    CHECK(bind.txtRecords(r.name) == QStringList{r.value});
    CHECK(served(bind, r.name) == QStringList{r.value});

    const auto start = std::chrono::steady_clock::now();
    test::runSync(provider.waitForPropagation(r, 10s));
    CHECK(test::secondsSince(start) < 2.0);

    test::runSync(provider.cleanup(r));
    CHECK(served(bind, r.name).isEmpty());
    test::runSync(provider.cleanup(r)); // already gone: not an error
}

TEST_CASE_METHOD(BindFixture, "A wildcard and its base name keep both values at one name") {
    Rfc2136Settings settings = test::settingsFor(bind);
    settings.zone = QStringLiteral("example.test"); // no SOA walk
    Rfc2136Provider provider(runner, settings);
    const DnsTxtRecord base = record(QStringLiteral("example.test"), QStringLiteral("value-1"));
    const DnsTxtRecord wild = record(QStringLiteral("*.example.test"), QStringLiteral("value-2"));
    REQUIRE(base.name == wild.name);

    test::runSync(provider.present(base));
    test::runSync(provider.present(wild));
    QStringList both = served(bind, base.name);
    both.sort();
    CHECK(both == QStringList{base.value, wild.value});
    test::runSync(provider.waitForPropagation(base, 5s));
    test::runSync(provider.waitForPropagation(wild, 5s));

    test::runSync(provider.cleanup(base));
    CHECK(served(bind, base.name) == QStringList{wild.value});
    test::runSync(provider.cleanup(wild));
    CHECK(served(bind, base.name).isEmpty());
}

TEST_CASE_METHOD(BindFixture, "A wrong TSIG secret or key name is refused with a clear error") {
    Rfc2136Settings settings = test::settingsFor(bind);
    std::string expectedHint;
    SECTION("wrong secret") {
        settings.tsigSecretBase64 = QStringLiteral("c2VjcmV0IHRoYXQgaXMgbm90IHRoZSBrZXk=");
        expectedHint = "secret is likely wrong";
    }
    SECTION("wrong key name") {
        settings.tsigKeyName = QStringLiteral("no-such-key");
        expectedHint = "does not know a key";
    }
    settings.zone = QStringLiteral("example.test.");
    Rfc2136Provider provider(runner, settings);
    const DnsTxtRecord r = record(QStringLiteral("www.example.test"), QStringLiteral("value"));
    UpstreamError e = test::errorOf<UpstreamError>(provider.present(r));
    INFO(e.message().toStdString());
    CHECK(e.message().contains(
        QStringLiteral("refused the TSIG key '%1'").arg(settings.tsigKeyName)));
    CHECK(e.message().contains(QStringLiteral("check the key name, algorithm and secret")));
    CHECK(e.message().contains(QString::fromStdString(expectedHint)));
    CHECK(e.message().contains(r.name));
    CHECK_FALSE(e.message().contains(settings.tsigSecretBase64));
    CHECK(served(bind, r.name).isEmpty());
}

TEST_CASE_METHOD(BindFixture, "A zone the server does not serve gives a clear error") {
    Rfc2136Settings settings = test::settingsFor(bind);
    const DnsTxtRecord r = record(QStringLiteral("www.other.test"), QStringLiteral("value"));
    SECTION("named zone: the update is refused") {
        settings.zone = QStringLiteral("other.test");
        Rfc2136Provider provider(runner, settings);
        UpstreamError e = test::errorOf<UpstreamError>(provider.present(r));
        INFO(e.message().toStdString());
        CHECK((e.message().contains(QStringLiteral("not authoritative for the zone other.test.")) ||
               e.message().contains(QStringLiteral("refused updates to zone other.test."))));
    }
    SECTION("zone found by SOA queries: none found") {
        Rfc2136Provider provider(runner, settings);
        UpstreamError e = test::errorOf<UpstreamError>(provider.present(r));
        INFO(e.message().toStdString());
        CHECK(e.message().contains(QStringLiteral("is not authoritative for any zone containing")));
        CHECK(e.message().contains(QStringLiteral("REFUSED")));
    }
    SECTION("a record outside the named zone is a validation error") {
        settings.zone = QStringLiteral("example.test");
        Rfc2136Provider provider(runner, settings);
        InvalidInputError e = test::errorOf<InvalidInputError>(provider.present(r));
        CHECK(e.field() == QStringLiteral("zone"));
    }
}

TEST_CASE_METHOD(BindFixture, "Propagation timeouts name the server that lacks the record") {
    Rfc2136Settings settings = test::settingsFor(bind);
    const DnsTxtRecord r = record(QStringLiteral("late.example.test"), QStringLiteral("value"));
    SECTION("the update server") {
        Rfc2136Provider provider(runner, settings);
        const auto start = std::chrono::steady_clock::now();
        UpstreamError e = test::errorOf<UpstreamError>(provider.waitForPropagation(r, 2s));
        INFO(e.message().toStdString());
        CHECK(test::secondsSince(start) < 5.0);
        CHECK(e.message().contains(
            QStringLiteral("127.0.0.1:%1 has no TXT record there").arg(bind.port())));
    }
    SECTION("the zone's nameservers (ns.example.test on port 53, where BIND is not)") {
        settings.checkNameservers = true;
        Rfc2136Provider provider(runner, settings);
        test::runSync(provider.present(r));
        DomainError e = test::errorOf<DomainError>(provider.waitForPropagation(r, 2s));
        INFO(e.message().toStdString());
        CHECK(
            e.message().contains(QStringLiteral("no answer from ns.example.test (127.0.0.1:53)")));
        CHECK_FALSE(e.message().contains(QStringLiteral(":%1 ").arg(bind.port())));
    }
}

TEST_CASE("A server that does not answer times out within the timeout") {
    process::ProcessRunner runner(2);
    Rfc2136Settings settings;
    settings.server = QStringLiteral("127.0.0.1");
    settings.port = test::freeLoopbackPorts(1, true).at(0);
    settings.zone = QStringLiteral("example.test");
    settings.tsigKeyName = QStringLiteral("key");
    settings.tsigSecretBase64 = QStringLiteral("c2VjcmV0");
    settings.timeout = 2s;
    Rfc2136Provider provider(runner, settings);
    const DnsTxtRecord r = record(QStringLiteral("www.example.test"), QStringLiteral("value"));
    const auto start = std::chrono::steady_clock::now();
    UpstreamError e = test::errorOf<UpstreamError>(provider.present(r));
    const double took = test::secondsSince(start);
    INFO(e.message().toStdString());
    CHECK(took < 3.0);
    CHECK(e.message().contains(
        QStringLiteral("no answer from 127.0.0.1:%1 within 2 s").arg(settings.port)));
}

TEST_CASE("Settings that cannot work are rejected up front, naming the setting") {
    process::ProcessRunner runner(1);
    Rfc2136Settings s;
    s.server = QStringLiteral("127.0.0.1");
    s.tsigKeyName = QStringLiteral("key");
    s.tsigSecretBase64 = QStringLiteral("c2VjcmV0");
    auto fieldOf = [&](Rfc2136Settings bad) -> QString {
        try {
            Rfc2136Provider p(runner, bad);
        } catch (const InvalidInputError& e) {
            return e.field();
        }
        return {};
    };
    CHECK(fieldOf(s).isEmpty());
    Rfc2136Settings bad = s;
    bad.tsigAlgorithm = QStringLiteral("hmac-sha3");
    CHECK(fieldOf(bad) == QStringLiteral("tsigAlgorithm"));
    bad = s;
    bad.tsigSecretBase64 = QStringLiteral("not base64!");
    CHECK(fieldOf(bad) == QStringLiteral("tsigSecretBase64"));
    bad = s;
    bad.server.clear();
    CHECK(fieldOf(bad) == QStringLiteral("server"));
    bad = s;
    bad.tsigAlgorithm = QStringLiteral("HMAC-MD5");
    CHECK(fieldOf(bad).isEmpty());
}
