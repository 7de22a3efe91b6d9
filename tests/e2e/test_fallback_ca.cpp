// A second CA: an item names fallback CAs; when its own CA fails the request itself (stopped,
// answering 5xx), the request is made again with the next CA and that CA's account, and the
// certificate comes from it. Two real Pebbles with different roots; the first one stopped, or
// behind the ACME extension proxy answering 503. A failure that is the item's own (a challenge
// that fails validation, a name refused by policy) is not taken to the other CA.

#include "AcmeExtensionProxy.h"
#include "IssuanceFixture.h"

#include <catch2/catch.hpp>

#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>

using namespace ck::test;

namespace {
// The fixture's Pebble ("pebble", account registered) and a second Pebble ("pebble-b", its own
// generated roots, its own account), both validating against the service's one set of
// challenge listeners and resolving through the same test DNS.
struct TwoCas {
    IssuanceFixture f;
    std::unique_ptr<PebbleProcess> second;
    QString secondRootFile; // the root the second Pebble issues under

    TwoCas() {
        PebbleProcess::Options o;
        o.dnsServer = f.challtestsrv->dnsAddress();
        o.httpPort = f.pebble->httpPort();
        o.tlsPort = f.pebble->tlsPort();
        second = std::make_unique<PebbleProcess>(o);
        if (!second->start())
            FAIL("the second Pebble did not start: " << second->errorString().toStdString());
        secondRootFile = f.dataDir.filePath(QStringLiteral("pebble-b-root.pem"));
        QFile root(secondRootFile);
        REQUIRE(root.open(QIODevice::WriteOnly));
        root.write(second->rootCertificatePem());
        root.close();
        REQUIRE(second->rootCertificatePem() != f.pebble->rootCertificatePem());
        addCa(QStringLiteral("pebble-b"), QStringLiteral("Pebble B"), second->directoryUrl(),
              second->tlsRootFile());
        f.registerAccount({{"certificateAuthorityId", "pebble-b"}});
    }

    void addCa(const QString& id, const QString& title, const QString& directory,
               const QString& tlsRoot) {
        const auto ca =
            f.http->post("/api/certificateauthorities", QJsonObject{{"id", id},
                                                                    {"title", title},
                                                                    {"directoryUrl", directory},
                                                                    {"trustedRootFile", tlsRoot}});
        INFO(ca.body);
        REQUIRE(ca.status == 201);
    }

    QString createItem(const QString& name, const QString& ca, const QStringList& fallbacks,
                       const QJsonObject& requestConfig = {}) {
        QJsonObject rc = requestConfig;
        rc.insert("fallbackCertificateAuthorityIds", QJsonArray::fromStringList(fallbacks));
        return f.createItem({name}, rc, {{"certificateAuthorityId", ca}});
    }

    // Issued, by the second Pebble: the chain verifies up to its root and not the first's.
    void requireIssuedBySecond(const QJsonObject& item) {
        requireIssued(f, item);
        CHECK(item.value("certificateAuthorityIdUsed").toString() == "pebble-b");
        const QString chain = item.value("certificateFullChainPath").toString();
        CHECK(IssuanceFixture::opensslVerify(secondRootFile, chain).endsWith(": OK"));
        CHECK_FALSE(IssuanceFixture::opensslVerify(f.pebbleRootFile, chain).endsWith(": OK"));
        const QString log = f.itemLog(item.value("id").toString());
        CHECK(log.contains("Issued by the fallback CA Pebble B (pebble-b)"));
    }
};
} // namespace

TEST_CASE("the first CA stopped: the certificate comes from the fallback CA",
          "[e2e][acme][fallback]") {
    TwoCas cas;
    const QString id =
        cas.createItem(QStringLiteral("fallback.example.test"), "pebble", {"pebble-b"});
    cas.f.pebble->stop();
    const QJsonObject item = cas.f.requestAndWait(id);
    cas.requireIssuedBySecond(item);
    const QString log = cas.f.itemLog(id);
    CHECK(log.contains("Pebble (pebble) failed the request itself"));
    CHECK(log.contains("Trying the next CA, Pebble B (pebble-b)"));
    // The status the app shows comes from the stored item.
    CHECK(cas.f.item(id).value("certificateAuthorityIdUsed").toString() == "pebble-b");

    SECTION("revoking uses the CA that issued it") {
        const auto revoked = cas.f.http->post(
            "/api/managedcertificates/" + id.toStdString() + "/revoke", QJsonObject{});
        INFO(revoked.body << "\n" << cas.f.itemLog(id).toStdString());
        CHECK(revoked.status == 200);
        const QString serial = item.value("certificateSerial").toString();
        CHECK(cas.second->certStatusBySerial(serial).value("Status").toString() == "Revoked");
    }
}

TEST_CASE("the first CA answering 503: the fallback CA issues", "[e2e][acme][fallback]") {
    TwoCas cas;
    AcmeExtensionProxy failing(*cas.f.pebble);
    REQUIRE(failing.start());
    cas.addCa(QStringLiteral("pebble-5xx"), QStringLiteral("Pebble answering 503"),
              failing.directoryUrl(), cas.f.pebble->tlsRootFile());
    cas.f.registerAccount({{"certificateAuthorityId", "pebble-5xx"}});
    AcmeFault fault;
    fault.target = QStringLiteral("newOrder");
    fault.times = -1;
    fault.status = 503;
    failing.addFault(fault);

    const QString id =
        cas.createItem(QStringLiteral("busy.example.test"), "pebble-5xx", {"pebble-b"});
    const QJsonObject item = cas.f.requestAndWait(id);
    cas.requireIssuedBySecond(item);
    CHECK(failing.attempts(QStringLiteral("newOrder")) >= 1);
    CHECK(cas.f.itemLog(id).contains("serverInternal"));
}

TEST_CASE("the item's own failures are not taken to the fallback CA", "[e2e][acme][fallback]") {
    TwoCas cas;
    // The fallback behind a proxy that counts what it is asked.
    AcmeExtensionProxy watched(*cas.second);
    REQUIRE(watched.start());
    cas.addCa(QStringLiteral("pebble-watched"), QStringLiteral("Pebble B watched"),
              watched.directoryUrl(), cas.second->tlsRootFile());
    cas.f.registerAccount({{"certificateAuthorityId", "pebble-watched"}});
    const int ordersBefore = watched.attempts(QStringLiteral("newOrder"));

    SECTION("a challenge that fails validation") {
        QTemporaryDir webroot; // nothing serves it: the CA's connection is refused
        const QString id = cas.createItem(
            QStringLiteral("unserved.example.test"), "pebble", {"pebble-watched"},
            {{"challenges", QJsonArray{QJsonObject{{"type", "http-01"},
                                                   {"provider", "webroot"},
                                                   {"webrootPath", webroot.path()}}}}});
        requireCleanFailure(cas.f, cas.f.requestAndWait(id),
                            {QStringLiteral("validate"), QStringLiteral("unserved.example.test")});
        CHECK_FALSE(cas.f.itemLog(id).contains("Trying the next CA"));
    }
    SECTION("a name the CA refuses by policy") {
        AcmeExtensionProxy refusing(*cas.f.pebble);
        REQUIRE(refusing.start());
        cas.addCa(QStringLiteral("pebble-policy"), QStringLiteral("Pebble with a policy"),
                  refusing.directoryUrl(), cas.f.pebble->tlsRootFile());
        cas.f.registerAccount({{"certificateAuthorityId", "pebble-policy"}});
        AcmeFault fault;
        fault.target = QStringLiteral("newOrder");
        fault.times = -1;
        fault.status = 400;
        fault.problemType = QStringLiteral("rejectedIdentifier");
        fault.detail = QStringLiteral("Policy forbids issuing for this name");
        refusing.addFault(fault);
        const QString id = cas.createItem(QStringLiteral("forbidden.example.test"), "pebble-policy",
                                          {"pebble-watched"});
        requireCleanFailure(cas.f, cas.f.requestAndWait(id),
                            {QStringLiteral("rejectedIdentifier"), QStringLiteral("policy")});
        CHECK_FALSE(cas.f.itemLog(id).contains("Trying the next CA"));
    }
    CHECK(watched.attempts(QStringLiteral("newOrder")) == ordersBefore);
}

TEST_CASE("a fallback CA without an account: a clear error naming each CA",
          "[e2e][acme][fallback]") {
    TwoCas cas;
    cas.addCa(QStringLiteral("pebble-c"), QStringLiteral("Pebble C"), cas.second->directoryUrl(),
              cas.second->tlsRootFile()); // no account registered there
    const QString id =
        cas.createItem(QStringLiteral("noaccount.example.test"), "pebble", {"pebble-c"});
    cas.f.pebble->stop();
    const QJsonObject item = cas.f.requestAndWait(id);
    requireCleanFailure(cas.f, item,
                        {QStringLiteral("No CA issued"), QStringLiteral("Pebble (pebble)"),
                         QStringLiteral("Pebble C (pebble-c)"),
                         QStringLiteral("no ACME account for Pebble C")});
    CHECK(item.value("certificateAuthorityIdUsed").toString().isEmpty());
}

TEST_CASE("fallback CAs are validated when saved", "[e2e][acme][fallback]") {
    IssuanceFixture f;
    const auto refused = f.http->post(
        "/api/managedcertificates",
        QJsonObject{{"name", "bad"},
                    {"certificateAuthorityId", "pebble"},
                    {"requestConfig",
                     QJsonObject{{"subjectAlternativeNames", QJsonArray{"bad.example.test"}},
                                 {"fallbackCertificateAuthorityIds", QJsonArray{"pebble"}}}}});
    CHECK(refused.status == 422);
    CHECK(refused.body.find("fallbackCertificateAuthorityIds[0]") != std::string::npos);
    CHECK(refused.body.find("own CA") != std::string::npos);
}
