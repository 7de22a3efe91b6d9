// The ACME Renewal Information certificate identifier (RFC 9773 §4.1): the RFC's own example, and
// certificates made by the openssl tool, whose AKI and serial it prints independently of our code.

#include "CryptoTestSupport.h"
#include "crypto/AriCertificateId.h"
#include "crypto/CryptoError.h"

#include <QTemporaryDir>

#include <catch2/catch.hpp>

using namespace ck::crypto;
using namespace ck::crypto::test;

namespace {

// RFC 9773 §4.1's example certificate: AKI keyIdentifier 69:88:5B:6B:...:C8:D4 and serial
// 0x87654321, whose DER content octets are 00 87 65 43 21 (the top bit is set).
constexpr const char* kRfc9773Example =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIBQzCB66ADAgECAgUAh2VDITAKBggqhkjOPQQDAjAVMRMwEQYDVQQDEwpFeGFt\n"
    "cGxlIENBMCIYDzAwMDEwMTAxMDAwMDAwWhgPMDAwMTAxMDEwMDAwMDBaMBYxFDAS\n"
    "BgNVBAMTC2V4YW1wbGUuY29tMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEeBZu\n"
    "7cbpAYNXZLbbh8rNIzuOoqOOtmxA1v7cRm//AwyMwWxyHz4zfwmBhcSrf47NUAFf\n"
    "qzLQ2PPQxdTXREYEnKMjMCEwHwYDVR0jBBgwFoAUaYhba4dGQEHhs3uEe6CuLN4B\n"
    "yNQwCgYIKoZIzj0EAwIDRwAwRAIge09+S5TZAlw5tgtiVvuERV6cT4mfutXIlwTb\n"
    "+FYN/8oCIClDsqBklhB9KAelFiYt9+6FDj3z4KGVelYM5MdsO3pK\n"
    "-----END CERTIFICATE-----\n";

QByteArray selfSigned(const QString& dir, const QStringList& extra) {
    const QString out = dir + QStringLiteral("/cert.pem");
    const ProcessResult result = runOpenssl(
        QStringList{QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                    QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                    QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-nodes"),
                    QStringLiteral("-keyout"), dir + QStringLiteral("/key.pem"),
                    QStringLiteral("-out"), out, QStringLiteral("-subj"),
                    QStringLiteral("/CN=ari")} +
        extra);
    INFO(result.output.toStdString());
    REQUIRE(result.exitCode == 0);
    return readFile(out);
}

// The identifier as the openssl tool's own output gives it: the AKI key id it prints as hex
// pairs, and its serial with the 0x00 that DER adds when the top bit is set.
QString idFromOpensslOutput(const QByteArray& pem) {
    const ProcessResult aki =
        runOpenssl({QStringLiteral("x509"), QStringLiteral("-noout"), QStringLiteral("-ext"),
                    QStringLiteral("authorityKeyIdentifier")},
                   pem);
    const ProcessResult serial = runOpenssl(
        {QStringLiteral("x509"), QStringLiteral("-noout"), QStringLiteral("-serial")}, pem);
    REQUIRE(aki.exitCode == 0);
    REQUIRE(serial.exitCode == 0);
    const QByteArray keyIdLine = aki.output.split('\n').value(1).trimmed().replace("keyid:", "");
    const QByteArray keyId = QByteArray::fromHex(QByteArray(keyIdLine).replace(':', ""));
    QByteArray serialBytes = QByteArray::fromHex(serial.output.trimmed().mid(7)); // "serial="
    if (static_cast<unsigned char>(serialBytes.at(0)) & 0x80)
        serialBytes.prepend('\0');
    const auto encode = [](const QByteArray& b) {
        return QString::fromLatin1(
            b.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    };
    return encode(keyId) + u'.' + encode(serialBytes);
}

} // namespace

TEST_CASE("The ARI identifier of RFC 9773's example certificate is the RFC's", "[ari]") {
    CHECK(ariCertificateId(QByteArray(kRfc9773Example)) ==
          QStringLiteral("aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE"));
    // DER gives the same as PEM.
    const QByteArray der = QByteArray::fromBase64(QByteArray(kRfc9773Example)
                                                      .replace("-----BEGIN CERTIFICATE-----", "")
                                                      .replace("-----END CERTIFICATE-----", "")
                                                      .replace('\n', ""));
    CHECK(ariCertificateId(der) == QStringLiteral("aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE"));
}

TEST_CASE("The ARI identifier matches what the openssl tool prints", "[ari]") {
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    SECTION("a leaf issued by an intermediate, with a random serial") {
        const TestChain chain = makeChainWithOpenssl(dir.path(), QStringLiteral("ari.example"));
        CHECK(ariCertificateId(chain.leafPem) == idFromOpensslOutput(chain.leafPem));
    }
    SECTION("a serial whose top bit is set keeps DER's leading zero") {
        const QByteArray pem =
            selfSigned(dir.path(), {QStringLiteral("-set_serial"), QStringLiteral("0x80aa")});
        const QString id = ariCertificateId(pem);
        CHECK(id.endsWith(QStringLiteral(".AICq")));
        CHECK(id == idFromOpensslOutput(pem));
    }
    SECTION("a small serial without the top bit set has no leading zero") {
        const QByteArray pem =
            selfSigned(dir.path(), {QStringLiteral("-set_serial"), QStringLiteral("0x7f01")});
        CHECK(ariCertificateId(pem).endsWith(QStringLiteral(".fwE")));
    }
}

TEST_CASE("A certificate without an Authority Key Identifier has no ARI identifier", "[ari]") {
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QByteArray pem = selfSigned(
        dir.path(), {QStringLiteral("-addext"), QStringLiteral("authorityKeyIdentifier=none"),
                     QStringLiteral("-addext"), QStringLiteral("subjectKeyIdentifier=none")});
    CHECK_THROWS_AS(ariCertificateId(pem), CryptoError);
    CHECK_THROWS_AS(ariCertificateId(QByteArray("not a certificate")), CryptoError);
}
