// "Your own CSR" end to end with Pebble: a CSR made by openssl (the key never leaves the test)
// is the item's; its names are the certificate's, the order is finalized with it, the issued
// certificate carries its key, and no private key file is written. A CSR whose signature does
// not verify, or that names nothing, is refused at once with the reason; an export that needs
// the key is refused at save and, run by hand, fails saying why. The CLI adds one with --csr.

#include "CliRun.h"
#include "IssuanceFixture.h"
#include "ManagedProcess.h"

#include <catch2/catch.hpp>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>

using namespace ck::test;

namespace {

// openssl req: a new P-256 key in `keyFile` and a CSR for `subject` with `sans` (may be empty).
QByteArray makeCsr(const QString& keyFile, const QString& subject, const QString& sans) {
    QStringList args{QStringLiteral("req"),
                     QStringLiteral("-new"),
                     QStringLiteral("-newkey"),
                     QStringLiteral("ec"),
                     QStringLiteral("-pkeyopt"),
                     QStringLiteral("ec_paramgen_curve:P-256"),
                     QStringLiteral("-nodes"),
                     QStringLiteral("-keyout"),
                     keyFile,
                     QStringLiteral("-subj"),
                     subject};
    if (!sans.isEmpty())
        args << QStringLiteral("-addext") << QStringLiteral("subjectAltName=") + sans;
    const ToolResult run = runTool(findProgram(QStringLiteral("openssl")), args);
    INFO(run.stdErr.toStdString());
    REQUIRE(run.exitCode == 0);
    return run.stdOut;
}

QByteArray publicKey(const QStringList& args, const QByteArray& input = {}) {
    return runTool(findProgram(QStringLiteral("openssl")), args, input).stdOut;
}

QJsonObject withCsr(const QByteArray& csr, const QJsonArray& tasks = {}) {
    return {{"name", "own csr"},
            {"certificateAuthorityId", "pebble"},
            {"requestConfig",
             QJsonObject{{"csrPem", QString::fromLatin1(csr)},
                         {"subjectAlternativeNames", QJsonArray{"ignored.example.test"}}}},
            {"postRequestTasks", tasks}};
}

} // namespace

TEST_CASE("an item with your own CSR is issued for the CSR's names and key; no key is stored",
          "[e2e][csr]") {
    IssuanceFixture f;
    QTemporaryDir work;
    const QString keyFile = work.filePath(QStringLiteral("mine.key"));
    const QByteArray csr = makeCsr(keyFile, QStringLiteral("/CN=csr.example.test"),
                                   QStringLiteral("DNS:csr.example.test,DNS:www.csr.example.test"));
    const QString exported = work.filePath(QStringLiteral("out/cert.pem"));
    QDir().mkpath(work.filePath(QStringLiteral("out")));
    const auto created = f.http->post(
        "/api/managedcertificates",
        withCsr(csr, {QJsonObject{{"name", "certificate"},
                                  {"type", "export"},
                                  {"parameters",
                                   QJsonObject{{"format", "pemfullchain"}, {"path", exported}}}}}));
    INFO(created.body);
    REQUIRE(created.status == 201);
    const QJsonObject item = created.json();
    const QJsonObject rc = item.value("requestConfig").toObject();
    // The names are the CSR's, not what the body said; the key type is the CSR's key's.
    CHECK(rc.value("primaryDomain").toString() == "csr.example.test");
    CHECK(rc.value("subjectAlternativeNames").toArray() ==
          QJsonArray({"csr.example.test", "www.csr.example.test"}));
    CHECK(rc.value("keyAlgorithm").toString() == "ecdsa-p256");
    const QString id = item.value("id").toString();

    const QJsonObject issued = f.requestAndWait(id);
    requireCertificateFor(f, issued, {"csr.example.test", "www.csr.example.test"});
    CHECK(f.itemLog(id).contains("your own CSR"));
    // The certificate is for the test's own key, which the service never saw.
    const QByteArray mine = publicKey({"pkey", "-in", keyFile, "-pubout"});
    CHECK_FALSE(mine.isEmpty());
    CHECK(publicKey({"x509", "-in", issued.value("certificatePath").toString(), "-noout",
                     "-pubkey"}) == mine);
    CHECK(issued.value("certificateKeyPath").toString().isEmpty());
    CHECK(issued.value("certificatePfxPath").toString().isEmpty());
    const QDir assets(f.dataDir.filePath(QStringLiteral("assets/") + id));
    CHECK(assets.entryList({QStringLiteral("*key*"), QStringLiteral("*.pfx")}, QDir::Files)
              .isEmpty());
    CHECK(publicKey({"x509", "-in", exported, "-noout", "-pubkey"}) == mine);

    // Renewed: the same CSR again, so the same key.
    const QJsonObject renewed = requireIssued(f, f.requestAndWait(id));
    CHECK(renewed.value("certificateThumbprint") != issued.value("certificateThumbprint"));
    CHECK(publicKey({"x509", "-in", renewed.value("certificatePath").toString(), "-noout",
                     "-pubkey"}) == mine);
}

TEST_CASE("a CSR that is altered, names nothing or is not a CSR is refused with the reason",
          "[e2e][csr]") {
    IssuanceFixture f;
    QTemporaryDir work;
    const QByteArray good =
        makeCsr(work.filePath(QStringLiteral("a.key")), QStringLiteral("/CN=a.example.test"),
                QStringLiteral("DNS:a.example.test"));
    SECTION("a signature that does not verify") {
        // One name changed after signing: the bytes under the signature are not what was signed.
        const QByteArray der = publicKey({"req", "-outform", "DER"}, good);
        QByteArray altered = der;
        const qsizetype at = altered.indexOf("a.example.test");
        REQUIRE(at > 0);
        altered[at] = 'b';
        const QByteArray pem = publicKey({"req", "-inform", "DER"}, altered);
        REQUIRE(pem.contains("CERTIFICATE REQUEST"));
        const auto refused = f.http->post("/api/managedcertificates", withCsr(pem));
        CHECK(refused.status == 422);
        CHECK(refused.field() == "requestConfig.csrPem");
        CHECK(refused.detail().contains("signature does not verify"));
    }
    SECTION("no names") {
        const QByteArray nameless =
            makeCsr(work.filePath(QStringLiteral("b.key")), QStringLiteral("/O=Nobody"), {});
        const auto refused = f.http->post("/api/managedcertificates", withCsr(nameless));
        CHECK(refused.status == 422);
        CHECK(refused.detail().contains("names no domain"));
    }
    SECTION("not a CSR") {
        const auto refused = f.http->post("/api/managedcertificates", withCsr("hello"));
        CHECK(refused.status == 422);
        CHECK(refused.detail().contains("not a PEM certificate signing request"));
    }
    SECTION("an export that needs the key") {
        const auto refused = f.http->post(
            "/api/managedcertificates",
            withCsr(good,
                    {QJsonObject{{"name", "key"},
                                 {"type", "export"},
                                 {"parameters", QJsonObject{{"format", "pemkey"},
                                                            {"path", work.filePath("k.pem")}}}}}));
        CHECK(refused.status == 422);
        CHECK(refused.detail().contains("no private key to export"));
    }
    CHECK(f.http->get("/api/managedcertificates").json().value("total").toInt() == 0);
}

TEST_CASE("the CLI adds an item with --csr, and refuses names beside it", "[e2e][csr]") {
    IssuanceFixture f;
    QTemporaryDir work;
    const QString csrFile = work.filePath(QStringLiteral("c.csr"));
    QFile file(csrFile);
    REQUIRE(file.open(QIODevice::WriteOnly));
    file.write(makeCsr(work.filePath(QStringLiteral("c.key")),
                       QStringLiteral("/CN=cli.example.test"),
                       QStringLiteral("DNS:cli.example.test")));
    file.close();
    const ToolResult added = runCli(
        f, {QStringLiteral("add"), QStringLiteral("--name"), QStringLiteral("mine"),
            QStringLiteral("--ca"), QStringLiteral("pebble"), QStringLiteral("--csr"), csrFile});
    INFO(added.stdOut.toStdString() << added.stdErr.toStdString());
    CHECK(added.exitCode == 0);
    CHECK(added.stdOut.contains("for cli.example.test"));
    const ToolResult both =
        runCli(f, {QStringLiteral("add"), QStringLiteral("--name"), QStringLiteral("mine"),
                   QStringLiteral("--csr"), csrFile, QStringLiteral("other.example.test")});
    CHECK(both.exitCode == 2);
    CHECK(both.stdErr.contains("with --csr"));
}
