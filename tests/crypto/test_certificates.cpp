#include "CryptoTestSupport.h"

#include "crypto/Certificate.h"
#include "crypto/CryptoError.h"
#include "crypto/SelfSigned.h"

#include <QTemporaryDir>
#include <QTimeZone>

#include <catch2/catch.hpp>

#include <openssl/err.h>

using namespace ck::crypto;
using namespace ck::crypto::test;

namespace {

// One value printed by `openssl x509 -noout <option>` ("name=value").
QString opensslField(const QByteArray& pem, const QStringList& options) {
    const ProcessResult result =
        runOpenssl(QStringList{QStringLiteral("x509"), QStringLiteral("-noout")} + options, pem);
    INFO(result.output.toStdString());
    REQUIRE(result.exitCode == 0);
    const QByteArray line = result.output.trimmed();
    return QString::fromUtf8(line.mid(line.indexOf('=') + 1));
}

QDateTime opensslDate(const QByteArray& pem, const char* which) {
    const QString text = opensslField(
        pem, {QLatin1String(which), QStringLiteral("-dateopt"), QStringLiteral("iso_8601")});
    QDateTime date = QDateTime::fromString(text, QStringLiteral("yyyy-MM-dd HH:mm:ss'Z'"));
    date.setTimeZone(QTimeZone::utc());
    return date;
}

QByteArray selfSignedWithOpenssl(const QString& dir, const QStringList& extra) {
    const QString out = dir + QStringLiteral("/self.pem");
    const ProcessResult result = runOpenssl(
        QStringList{QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                    QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                    QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-nodes"),
                    QStringLiteral("-keyout"), dir + QStringLiteral("/self.key"),
                    QStringLiteral("-out"), out} +
        extra);
    INFO(result.output.toStdString());
    REQUIRE(result.exitCode == 0);
    return readFile(out);
}

} // namespace

TEST_CASE("parseCertificate reports what openssl x509 reports", "[certificate]") {
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const TestChain chain = makeChainWithOpenssl(dir.path(), QStringLiteral("leaf.example"));
    const CertificateInfo info = parseCertificate(chain.leafPem);

    const QString sha256 =
        opensslField(chain.leafPem, {QStringLiteral("-fingerprint"), QStringLiteral("-sha256")});
    const QString sha1 =
        opensslField(chain.leafPem, {QStringLiteral("-fingerprint"), QStringLiteral("-sha1")});
    CHECK(info.sha256Thumbprint == QString(sha256).remove(u':'));
    CHECK(info.sha256Thumbprint.size() == 64);
    CHECK(info.sha1Thumbprint == QString(sha1).remove(u':'));

    QString serial = opensslField(chain.leafPem, {QStringLiteral("-serial")}).toLower();
    while (serial.startsWith(u'0'))
        serial.remove(0, 1);
    CHECK(info.serialHex == serial);

    CHECK(info.notBefore == opensslDate(chain.leafPem, "-startdate"));
    CHECK(info.notAfter == opensslDate(chain.leafPem, "-enddate"));
    CHECK(info.notAfter.offsetFromUtc() == 0);
    CHECK(info.notBefore.secsTo(info.notAfter) == 24 * 3600); // -days 1
    CHECK(info.notBefore <= QDateTime::currentDateTimeUtc());

    CHECK(info.issuer == QLatin1String("CN=Certkeeper Test Intermediate"));
    CHECK(info.issuerCommonName == QLatin1String("Certkeeper Test Intermediate"));
    CHECK(info.subject == QLatin1String("CN=leaf.example"));
    CHECK(info.subjectCommonName == QLatin1String("leaf.example"));
    CHECK(info.dnsNames == QStringList{QStringLiteral("leaf.example")});
    CHECK(info.ipAddresses.isEmpty());

    // DER in, the same facts out; certificateToDer is the DER openssl writes.
    const QByteArray der = certificateToDer(chain.leafPem);
    const ProcessResult opensslDer = runOpenssl(
        {QStringLiteral("x509"), QStringLiteral("-outform"), QStringLiteral("DER")}, chain.leafPem);
    REQUIRE(opensslDer.exitCode == 0);
    CHECK(der == opensslDer.output);
    CHECK(certificateToDer(der) == der);
    const CertificateInfo fromDer = parseCertificate(der);
    CHECK(fromDer.sha256Thumbprint == info.sha256Thumbprint);
    CHECK(fromDer.serialHex == info.serialHex);
    CHECK(fromDer.notAfter == info.notAfter);
}

TEST_CASE("names keep their order, IPs are text, DNs are RFC 2253", "[certificate]") {
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QByteArray pem = selfSignedWithOpenssl(
        dir.path(),
        {QStringLiteral("-utf8"), QStringLiteral("-subj"),
         QStringLiteral("/C=CH/O=Z\u00fcrich, Ltd/CN=R3"), QStringLiteral("-set_serial"),
         QStringLiteral("0x00000a1b"), QStringLiteral("-addext"),
         QStringLiteral("subjectAltName=DNS:b.example,IP:192.0.2.1,DNS:a.example,"
                        "IP:2001:db8::1")});
    const CertificateInfo info = parseCertificate(pem);
    CHECK(info.subject == QStringLiteral("CN=R3,O=Z\u00fcrich\\, Ltd,C=CH")); // most specific first
    CHECK(info.issuer == info.subject);
    CHECK(info.issuerCommonName == QLatin1String("R3"));
    CHECK(info.dnsNames == QStringList{QStringLiteral("b.example"), QStringLiteral("a.example")});
    CHECK(info.ipAddresses ==
          QStringList{QStringLiteral("192.0.2.1"), QStringLiteral("2001:db8::1")});
    CHECK(info.serialHex == QLatin1String("a1b")); // no leading zeros, lowercase

    const QByteArray noCn = selfSignedWithOpenssl(
        dir.path(), {QStringLiteral("-subj"), QStringLiteral("/O=No Common Name")});
    CHECK(parseCertificate(noCn).subjectCommonName.isEmpty());
    CHECK(parseCertificate(noCn).dnsNames.isEmpty());
}

TEST_CASE("parseCertificate and certificateToDer reject what is not a certificate",
          "[certificate]") {
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const TestChain chain = makeChainWithOpenssl(dir.path(), QStringLiteral("leaf.example"));
    const QByteArray der = certificateToDer(chain.leafPem);
    QByteArray corrupted = chain.leafPem;
    corrupted[40] = corrupted[40] == 'A' ? 'B' : 'A'; // still base64, no longer valid DER

    for (const QByteArray& bad :
         {QByteArray(), QByteArray("not a certificate"), der.left(der.size() / 2), chain.leafKeyPem,
          corrupted, QByteArray("-----BEGIN CERTIFICATE-----\n@@@\n-----END CERTIFICATE-----\n")}) {
        CAPTURE(bad.left(60).toStdString());
        CHECK_THROWS_AS(parseCertificate(bad), CryptoError);
        CHECK_THROWS_AS(certificateToDer(bad), CryptoError);
    }
    CHECK_THROWS_WITH(parseCertificate("junk"), Catch::Matchers::Contains("Not a certificate"));
    CHECK(ERR_peek_error() == 0);
}

TEST_CASE("splitPemChain finds every certificate block in order", "[certificate]") {
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const TestChain chain = makeChainWithOpenssl(dir.path(), QStringLiteral("leaf.example"));
    QByteArray crlf = chain.intermediatePem;
    crlf.replace("\n", "\r\n");
    const QByteArray bundle = "subject=leaf\n" + chain.leafPem + "\n\n" + chain.leafKeyPem + crlf +
                              "trailing text\r\n" + chain.rootPem.trimmed();

    const QList<QByteArray> blocks = splitPemChain(bundle);
    REQUIRE(blocks.size() == 3);
    CHECK(blocks[0] == chain.leafPem);
    CHECK(blocks[1] == chain.intermediatePem); // CRLF normalised to LF
    CHECK(blocks[2] == chain.rootPem);         // a final newline added
    CHECK(parseCertificate(blocks[1]).subjectCommonName ==
          QLatin1String("Certkeeper Test Intermediate"));

    CHECK(splitPemChain({}).isEmpty());
    CHECK(splitPemChain("garbage without any block").isEmpty());
    CHECK(splitPemChain(chain.leafKeyPem).isEmpty());
    // A truncated last block (a cut-off download) is not a certificate.
    CHECK(splitPemChain(chain.leafPem + chain.rootPem.left(100)).size() == 1);
}

TEST_CASE("certificateMatchesKey tells the certificate's key from any other", "[certificate]") {
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const TestChain chain = makeChainWithOpenssl(dir.path(), QStringLiteral("leaf.example"));
    const PrivateKey leafKey = PrivateKey::fromPem(chain.leafKeyPem);

    CHECK(certificateMatchesKey(chain.leafPem, leafKey));
    CHECK(certificateMatchesKey(certificateToDer(chain.leafPem), leafKey));
    CHECK_FALSE(certificateMatchesKey(chain.intermediatePem, leafKey));
    CHECK_FALSE(certificateMatchesKey(chain.leafPem, PrivateKey::generate(KeyType::EcP256)));
    CHECK_FALSE(certificateMatchesKey(chain.leafPem, PrivateKey::generate(KeyType::Rsa2048)));
    CHECK_FALSE(certificateMatchesKey(chain.leafPem, PrivateKey()));
    CHECK_FALSE(certificateMatchesKey("garbage", leafKey));
    CHECK(ERR_peek_error() == 0);
}

TEST_CASE("verifyChain accepts a good chain and says why a bad one fails",
          "[certificate][verify]") {
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const TestChain chain = makeChainWithOpenssl(dir.path(), QStringLiteral("leaf.example"));
    using Catch::Matchers::Contains;
    const auto error = [](const VerifyResult& result) { return result.error.toStdString(); };

    const VerifyResult good = verifyChain(chain.leafPem, {chain.intermediatePem}, {chain.rootPem});
    CHECK(good.ok);
    CHECK(good.error.isEmpty());

    const VerifyResult noIntermediate = verifyChain(chain.leafPem, {}, {chain.rootPem});
    CHECK_FALSE(noIntermediate.ok);
    CHECK_THAT(error(noIntermediate), Contains("unable to get local issuer certificate"));
    CHECK_THAT(error(noIntermediate), Contains("leaf.example"));

    QTemporaryDir otherDir;
    REQUIRE(otherDir.isValid());
    const TestChain other = makeChainWithOpenssl(otherDir.path(), QStringLiteral("other.example"));
    const VerifyResult wrongRoot =
        verifyChain(chain.leafPem, {chain.intermediatePem}, {other.rootPem});
    CHECK_FALSE(wrongRoot.ok);
    CHECK_FALSE(wrongRoot.error.isEmpty());
    // The test root is not in the system trust store.
    CHECK_FALSE(verifyChain(chain.leafPem, {chain.intermediatePem}, {}).ok);

    const VerifyResult expired =
        verifyChain(issueLeafWithApi(dir.path(), QStringLiteral("leaf.example"), -3, -1),
                    {chain.intermediatePem}, {chain.rootPem});
    CHECK_FALSE(expired.ok);
    CHECK_THAT(error(expired), Contains("certificate has expired"));
    const VerifyResult future =
        verifyChain(issueLeafWithApi(dir.path(), QStringLiteral("leaf.example"), 1, 3),
                    {chain.intermediatePem}, {chain.rootPem});
    CHECK_THAT(error(future), Contains("certificate is not yet valid"));
    const VerifyResult clientOnly = verifyChain(
        issueLeafWithApi(dir.path(), QStringLiteral("leaf.example"), 0, 1, "clientAuth"),
        {chain.intermediatePem}, {chain.rootPem});
    CHECK_THAT(error(clientOnly), Contains("unsuitable certificate purpose"));
    // The API-made leaf is otherwise fine: the failures above are the dates and the purpose.
    CHECK(verifyChain(issueLeafWithApi(dir.path(), QStringLiteral("leaf.example"), 0, 1),
                      {chain.intermediatePem}, {chain.rootPem})
              .ok);

    // Unparseable input is a failed result, not an exception.
    const VerifyResult garbage = verifyChain("garbage", {chain.intermediatePem}, {chain.rootPem});
    CHECK_FALSE(garbage.ok);
    CHECK_THAT(error(garbage), Contains("Not a certificate"));
    CHECK_FALSE(verifyChain(chain.leafPem, {"garbage"}, {chain.rootPem}).ok);
    CHECK_FALSE(verifyChain(chain.leafPem, {chain.intermediatePem}, {"garbage"}).ok);
    CHECK(ERR_peek_error() == 0);
}

namespace {
// `der` with one byte of its EC public point's x coordinate changed: a point that is not on
// the curve, which OpenSSL parses with the certificate and refuses when the key is decoded.
QByteArray withBrokenPublicPoint(QByteArray der) {
    const qsizetype point = der.indexOf(QByteArray::fromHex("034200"));
    REQUIRE(point > 0);
    der[point + 4 + 10] = char(der[point + 4 + 10] ^ 0x55);
    return der;
}
} // namespace

// Found by fuzzing (tests/fuzz/corpus/crypto/crash-undecodable-ca-key.pem): isSelfSigned on a
// chain certificate whose key cannot be decoded left an entry in the thread's OpenSSL error
// queue, and a private key read next on that thread from a file that starts with a certificate
// could not give its public half (its JWK and thumbprint failed).
TEST_CASE("a certificate with an undecodable key leaves nothing behind that spoils a key read "
          "next",
          "[certificate][hostile]") {
    const SelfSignedPair pair = createSelfSigned({QStringLiteral("example.com")}, 30);
    const QByteArray broken = withBrokenPublicPoint(certificateToDer(pair.certPem));
    CHECK_NOTHROW(parseCertificate(broken));
    CHECK_FALSE(isSelfSigned(broken));
    CHECK(ERR_peek_error() == 0);
    // A key file that starts with its certificate, as bundles do: the read that was spoiled.
    const QByteArray bundle = pair.certPem + pair.key.toPem();
    const PrivateKey key = PrivateKey::fromPem(bundle);
    CHECK(key.jwkThumbprint() == pair.key.jwkThumbprint());

    // And a key read does not depend on what any other code left in the queue.
    ERR_raise(ERR_LIB_EVP, EVP_R_DECODE_ERROR); // what the broken certificate left behind
    const PrivateKey again = PrivateKey::fromPem(bundle);
    CHECK(again.jwkThumbprint() == pair.key.jwkThumbprint());
}
