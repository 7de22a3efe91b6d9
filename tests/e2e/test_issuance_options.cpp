// Request options end to end against Pebble: the preferred chain among the ones the CA offers,
// a new key per issuance unless the item asks to keep it, and one request per item at a time.

#include "IssuanceFixture.h"
#include "ManagedProcess.h"

#include <catch2/catch.hpp>

#include <QFile>

using namespace ck::test;

namespace {
std::string str(const QString& s) {
    return s.toStdString();
}

QString openssl(const QStringList& args) {
    const auto r = runTool(findProgram(QStringLiteral("openssl")), args);
    return QString::fromUtf8(r.stdOut + r.stdErr).trimmed();
}

// The public key of a private key file, as PEM: equal for the same key.
QString publicKeyOf(const QString& keyFile) {
    return openssl(
        {QStringLiteral("pkey"), QStringLiteral("-in"), keyFile, QStringLiteral("-pubout")});
}

QString subjectCommonName(const QString& pemFile) {
    const QString subject = openssl({QStringLiteral("x509"), QStringLiteral("-in"), pemFile,
                                     QStringLiteral("-noout"), QStringLiteral("-subject"),
                                     QStringLiteral("-nameopt"), QStringLiteral("multiline")});
    const qsizetype at = subject.indexOf(QStringLiteral("commonName"));
    return at < 0 ? QString() : subject.mid(at).section(u'=', 1).section(u'\n', 0, 0).trimmed();
}

} // namespace

TEST_CASE("the preferred chain is chosen among the alternates the CA offers",
          "[e2e][acme][chain]") {
    IssuanceOptions options;
    options.pebble.extraEnvironment.insert(QStringLiteral("PEBBLE_ALTERNATE_ROOTS"),
                                           QStringLiteral("1"));
    IssuanceFixture f(options);
    QTemporaryDir dir;
    const QString alternateRoot = dir.filePath(QStringLiteral("root1.pem"));
    QFile out(alternateRoot);
    REQUIRE(out.open(QIODevice::WriteOnly));
    out.write(f.pebble->rootCertificatePem(1));
    out.close();
    const QString alternateName = subjectCommonName(alternateRoot);
    REQUIRE_FALSE(alternateName.isEmpty());

    SECTION("by default, the CA's primary chain") {
        const QString id = f.createItem({QStringLiteral("primary.example.test")});
        const QJsonObject item = requireIssued(f, f.requestAndWait(id));
        const QString chain = item.value("certificateFullChainPath").toString();
        CHECK(IssuanceFixture::opensslVerify(f.pebbleRootFile, chain).endsWith(": OK"));
    }
    SECTION("the alternate whose root is named") {
        const QString id = f.createItem({QStringLiteral("alternate.example.test")},
                                        {{"preferredChain", alternateName}});
        const QJsonObject item = requireIssued(f, f.requestAndWait(id));
        const QString chain = item.value("certificateFullChainPath").toString();
        INFO("alternate root: " << str(alternateName));
        CHECK(IssuanceFixture::opensslVerify(alternateRoot, chain).endsWith(": OK"));
    }
    SECTION("a name no chain has: the primary chain, and the request still succeeds") {
        const QString id = f.createItem({QStringLiteral("unknown-chain.example.test")},
                                        {{"preferredChain", "No Such Root"}});
        const QJsonObject item = requireIssued(f, f.requestAndWait(id));
        const QString chain = item.value("certificateFullChainPath").toString();
        CHECK(IssuanceFixture::opensslVerify(f.pebbleRootFile, chain).endsWith(": OK"));
    }
}

TEST_CASE("a new key per issuance unless the item asks to reuse it", "[e2e][acme][keys]") {
    IssuanceFixture f;
    SECTION("new key each time (the default)") {
        const QString id = f.createItem({QStringLiteral("rotate.example.test")});
        const QJsonObject first = requireIssued(f, f.requestAndWait(id));
        const QJsonObject second = requireIssued(f, f.requestAndWait(id));
        CHECK(publicKeyOf(first.value("certificateKeyPath").toString()) !=
              publicKeyOf(second.value("certificateKeyPath").toString()));
        CHECK(second.value("certificatePreviousThumbprint") ==
              first.value("certificateThumbprint"));
        // Every issuance has its own file names: the previous files are still there for
        // whoever reads them.
        CHECK(first.value("certificatePath") != second.value("certificatePath"));
        CHECK(QFile::exists(first.value("certificatePath").toString()));
    }
    SECTION("reuse") {
        const QString id =
            f.createItem({QStringLiteral("keep.example.test")}, {{"reusePrivateKey", true}});
        const QJsonObject first = requireIssued(f, f.requestAndWait(id));
        const QJsonObject second = requireIssued(f, f.requestAndWait(id));
        CHECK(publicKeyOf(first.value("certificateKeyPath").toString()) ==
              publicKeyOf(second.value("certificateKeyPath").toString()));
        CHECK(f.itemLog(id).contains(QStringLiteral("Reusing the previous private key")));
    }
}

TEST_CASE("one item is never requested twice at the same time", "[e2e][acme][concurrency]") {
    IssuanceFixture f;
    const QString id = f.createItem({QStringLiteral("once.example.test")});
    const std::string path = "/api/managedcertificates/" + str(id) + "/request";
    const auto first = f.http->post(path, QJsonObject{});
    const auto second = f.http->post(path, QJsonObject{});
    CHECK(first.status == 202);
    CHECK(second.status == 409);
    CHECK(second.detail().contains(QStringLiteral("already running")));
    requireIssued(f, f.waitUntilDone(id));
    CHECK(f.itemLog(id).count(QStringLiteral("Order created")) == 1);
    // Once it is done, a new request is accepted again.
    CHECK(f.http->post(path, QJsonObject{}).status == 202);
    requireIssued(f, f.waitUntilDone(id));
}
