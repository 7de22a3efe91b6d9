// Issuance end to end against Pebble with http-01 (the built-in listener and a webroot served by
// nginx) and tls-alpn-01: the certificate verifies against Pebble's root, the files are private,
// the PFX opens, and nothing placed for the CA is left behind.

#include "IssuanceFixture.h"
#include "ManagedProcess.h"
#include "WebServer.h"

#include <catch2/catch.hpp>

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QTcpSocket>

using namespace ck::test;

namespace {
std::string str(const QString& s) {
    return s.toStdString();
}

QFileDevice::Permissions ownerOnly() {
    return QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadUser |
           QFileDevice::WriteUser;
}

bool listening(int port) {
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), quint16(port));
    return socket.waitForConnected(500);
}

ToolResult openssl(const QStringList& args) {
    return runTool(findProgram(QStringLiteral("openssl")), args);
}

} // namespace

TEST_CASE("http-01 by the built-in listener: a certificate that verifies, in private files",
          "[e2e][acme][http01]") {
    IssuanceFixture f;
    const QString id = f.createItem({QStringLiteral("www.example.test")});
    const QJsonObject item = f.requestAndWait(id);
    requireIssued(f, item);

    CHECK(item.value("certificateDomains").toArray() == QJsonArray{"www.example.test"});
    CHECK(item.value("certificateThumbprint").toString().size() == 64);
    CHECK_FALSE(item.value("certificateSerial").toString().isEmpty());
    CHECK(QDateTime::fromString(item.value("dateExpiry").toString(), Qt::ISODateWithMs) >
          QDateTime::currentDateTimeUtc().addDays(30));
    const auto healthy = f.http->get("/api/managedcertificates?status=OK").json();
    CHECK(healthy.value("total").toInt() == 1);

    const QString fullChain = item.value("certificateFullChainPath").toString();
    CHECK(IssuanceFixture::opensslVerify(f.pebbleRootFile, fullChain).endsWith(": OK"));
    for (const char* key : {"certificatePath", "certificateChainPath", "certificateFullChainPath",
                            "certificateKeyPath", "certificatePfxPath"}) {
        const QFileInfo file(item.value(QLatin1String(key)).toString());
        INFO(key);
        REQUIRE(file.exists());
        CHECK(file.permissions() == ownerOnly());
        CHECK(file.absolutePath().startsWith(f.dataDir.filePath(QStringLiteral("assets"))));
    }
    const auto pfx = openssl({QStringLiteral("pkcs12"), QStringLiteral("-in"),
                              item.value("certificatePfxPath").toString(), QStringLiteral("-noout"),
                              QStringLiteral("-passin"), QStringLiteral("pass:")});
    CHECK(pfx.ok());
    const QString log = f.itemLog(id);
    CHECK(log.contains(QStringLiteral("Answering http-01 for www.example.test")));
    CHECK(log.contains(QStringLiteral("www.example.test validated")));
    // The listener is only up while an order needs it.
    CHECK_FALSE(listening(f.pebble->httpPort()));
}

TEST_CASE("RSA keys of each size and several names on one certificate", "[e2e][acme][http01]") {
    const int bits = GENERATE(2048, 3072, 4096);
    INFO("rsa" << bits);
    IssuanceFixture f;
    const QStringList names{QStringLiteral("a.example.test"), QStringLiteral("b.example.test"),
                            QStringLiteral("c.example.test")};
    const QString id = f.createItem(names, {{"keyAlgorithm", QStringLiteral("rsa%1").arg(bits)}});
    const QJsonObject item = f.requestAndWait(id);
    requireIssued(f, item);
    CHECK(item.value("certificateDomains").toArray().size() == 3);
    const auto text = openssl({QStringLiteral("x509"), QStringLiteral("-in"),
                               item.value("certificatePath").toString(), QStringLiteral("-noout"),
                               QStringLiteral("-text")});
    CHECK(text.stdOut.contains(QStringLiteral("Public-Key: (%1 bit)").arg(bits).toUtf8()));
    for (const auto& name : names)
        CHECK(text.stdOut.contains(("DNS:" + name).toUtf8()));
}

TEST_CASE("ECDSA P-384 and a PFX password from a stored credential", "[e2e][acme][http01]") {
    IssuanceFixture f;
    const QString password = QStringLiteral("s3cret-pfx-pass");
    const QString credential =
        f.createCredential(QStringLiteral("pfx-password"), {{"password", password}});
    const QString id =
        f.createItem({QStringLiteral("p384.example.test")},
                     {{"keyAlgorithm", "ecdsa-p384"}, {"pfxPasswordCredentialId", credential}});
    const QJsonObject item = f.requestAndWait(id);
    requireIssued(f, item);
    const QString pfx = item.value("certificatePfxPath").toString();
    CHECK(openssl({QStringLiteral("pkcs12"), QStringLiteral("-in"), pfx, QStringLiteral("-noout"),
                   QStringLiteral("-passin"), QStringLiteral("pass:") + password})
              .ok());
    CHECK_FALSE(
        openssl({QStringLiteral("pkcs12"), QStringLiteral("-in"), pfx, QStringLiteral("-noout"),
                 QStringLiteral("-passin"), QStringLiteral("pass:wrong")})
            .ok());
    const auto key = openssl({QStringLiteral("pkey"), QStringLiteral("-in"),
                              item.value("certificateKeyPath").toString(), QStringLiteral("-noout"),
                              QStringLiteral("-text")});
    CHECK(key.stdOut.contains("NIST CURVE: P-384"));
    // The credential is in use: it cannot be deleted, and the secret never comes back.
    const auto del = f.http->del("/api/credentials/" + str(credential));
    CHECK(del.status == 409);
    CHECK(f.http->get("/api/credentials").body.find(str(password)) == std::string::npos);
    CHECK(f.itemLog(id).indexOf(password) < 0);
}

TEST_CASE("http-01 by a webroot that nginx serves; the files placed are removed",
          "[e2e][acme][http01][webroot]") {
    IssuanceFixture f;
    QTemporaryDir webroot;
    WebServer nginx(webroot.path(), f.pebble->httpPort());
    REQUIRE(nginx.start());
    const QString id =
        f.createItem({QStringLiteral("site.example.test")},
                     {{"challenges", QJsonArray{QJsonObject{{"type", "http-01"},
                                                            {"provider", "webroot"},
                                                            {"webrootPath", webroot.path()}}}}});
    const QJsonObject item = f.requestAndWait(id);
    requireIssued(f, item);
    CHECK(f.itemLog(id).contains(QStringLiteral("Placed the http-01 response")));
    CHECK_FALSE(QDir(webroot.filePath(QStringLiteral(".well-known"))).exists());
    CHECK(nginx.requestCount(QStringLiteral("/.well-known/acme-challenge/")) >= 1);
}

TEST_CASE("tls-alpn-01 by the built-in TLS listener", "[e2e][acme][tlsalpn01]") {
    IssuanceFixture f;
    const QString id =
        f.createItem({QStringLiteral("alpn.example.test")},
                     {{"challenges", QJsonArray{QJsonObject{{"type", "tls-alpn-01"}}}}});
    const QJsonObject item = f.requestAndWait(id);
    requireIssued(f, item);
    CHECK(f.itemLog(id).contains(QStringLiteral("Answering tls-alpn-01 for alpn.example.test")));
    CHECK_FALSE(listening(f.pebble->tlsPort()));
}

TEST_CASE("an IP address identifier next to a name", "[e2e][acme][http01]") {
    IssuanceFixture f;
    const QString id = f.createItem({QStringLiteral("ip.example.test")},
                                    {{"ipIdentifiers", QJsonArray{"127.0.0.1"}}});
    const QJsonObject item = f.requestAndWait(id);
    requireIssued(f, item);
    const auto text = openssl({QStringLiteral("x509"), QStringLiteral("-in"),
                               item.value("certificatePath").toString(), QStringLiteral("-noout"),
                               QStringLiteral("-ext"), QStringLiteral("subjectAltName")});
    CHECK(text.stdOut.contains("IP Address:127.0.0.1"));
    CHECK(text.stdOut.contains("DNS:ip.example.test"));
}
