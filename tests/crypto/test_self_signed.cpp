#include "CryptoTestSupport.h"

#include "crypto/Certificate.h"
#include "crypto/CryptoError.h"
#include "crypto/SelfSigned.h"

#include <QCryptographicHash>
#include <QTemporaryDir>

#include <catch2/catch.hpp>

#include <cstdlib>

#include <openssl/err.h>
#include <openssl/pem.h>

using namespace ck::crypto;
using namespace ck::crypto::test;

namespace {

QByteArray opensslOutput(const QStringList& args, const QByteArray& input) {
    const ProcessResult result = runOpenssl(args, input);
    INFO(result.output.toStdString());
    REQUIRE(result.exitCode == 0);
    return result.output;
}

QByteArray x509Text(const QByteArray& pem) {
    return opensslOutput(
        {QStringLiteral("x509"), QStringLiteral("-noout"), QStringLiteral("-text")}, pem);
}

X509Ptr loadPem(const QByteArray& pem) {
    const BioPtr bio(BIO_new_mem_buf(pem.constData(), static_cast<int>(pem.size())));
    X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    REQUIRE(cert);
    return cert;
}

// The seconds between `time` and now (+ offset), as a clock-independent closeness check.
qint64 secondsFromNow(const QDateTime& time, qint64 offset) {
    return std::abs(QDateTime::currentDateTimeUtc().addSecs(offset).secsTo(time));
}

// `openssl verify -x509_strict -purpose sslserver` with the certificate as its own trust anchor.
bool opensslVerifiesAsOwnAnchor(const QByteArray& pem) {
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString file = dir.filePath(QStringLiteral("self.pem"));
    writeFile(file, pem);
    const ProcessResult result = runOpenssl(
        {QStringLiteral("verify"), QStringLiteral("-x509_strict"), QStringLiteral("-purpose"),
         QStringLiteral("sslserver"), QStringLiteral("-CAfile"), file, file});
    INFO(result.output.toStdString());
    return result.exitCode == 0 && result.output.trimmed().endsWith(": OK");
}

} // namespace

TEST_CASE("the tls-alpn-01 certificate follows RFC 8737", "[selfsigned][alpn]") {
    const QString keyAuthorization = QStringLiteral("evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA."
                                                    "9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI");
    const SelfSignedPair pair =
        createTlsAlpnCertificate(QStringLiteral("Example.ORG"), keyAuthorization);
    const QByteArray digest =
        QCryptographicHash::hash(keyAuthorization.toUtf8(), QCryptographicHash::Sha256);

    // As openssl's own DER parser sees it: the OID, critical=TRUE, extnValue = 04 20 <digest>.
    const QByteArray asn1 = opensslOutput({QStringLiteral("asn1parse")}, pair.certPem);
    const QList<QByteArray> lines = asn1.split('\n');
    qsizetype at = -1;
    for (qsizetype i = 0; i < lines.size(); ++i)
        if (lines[i].endsWith(":1.3.6.1.5.5.7.1.31"))
            at = i;
    REQUIRE(at >= 0);
    REQUIRE(at + 2 < lines.size());
    CHECK(lines[at + 1].contains("BOOLEAN"));
    CHECK(lines[at + 1].endsWith(":255"));
    CHECK(lines[at + 2].contains("OCTET STRING"));
    CHECK(lines[at + 2].endsWith("[HEX DUMP]:0420" + digest.toHex().toUpper()));
    CHECK(x509Text(pair.certPem).contains("1.3.6.1.5.5.7.1.31: critical\n"));

    // And through the X.509 API: exactly one such extension.
    const X509Ptr cert = loadPem(pair.certPem);
    const Asn1ObjectPtr oid(OBJ_txt2obj("1.3.6.1.5.5.7.1.31", 1));
    const int index = X509_get_ext_by_OBJ(cert.get(), oid.get(), -1);
    REQUIRE(index >= 0);
    CHECK(X509_get_ext_by_OBJ(cert.get(), oid.get(), index) == -1);
    X509_EXTENSION* extension = X509_get_ext(cert.get(), index);
    CHECK(X509_EXTENSION_get_critical(extension) == 1);
    const ASN1_OCTET_STRING* value = X509_EXTENSION_get_data(extension);
    CHECK(QByteArray(reinterpret_cast<const char*>(ASN1_STRING_get0_data(value)),
                     ASN1_STRING_length(value)) == QByteArray("\x04\x20", 2) + digest);

    // SAN is exactly the (normalised) name; signed by the returned key.
    const CertificateInfo info = parseCertificate(pair.certPem);
    CHECK(info.dnsNames == QStringList{QStringLiteral("example.org")});
    CHECK(info.ipAddresses.isEmpty());
    CHECK(pair.key.type() == KeyType::EcP256);
    CHECK(certificateMatchesKey(pair.certPem, pair.key));
    CHECK(X509_verify(cert.get(), X509_get0_pubkey(cert.get())) == 1);
    CHECK(info.issuer == info.subject);

    // Valid from an hour ago (clock skew) for 7 days.
    CHECK(secondsFromNow(info.notBefore, -3600) < 120);
    CHECK(secondsFromNow(info.notAfter, 7 * 24 * 3600) < 120);
}

TEST_CASE("every tls-alpn-01 certificate has its own key, serial and digest",
          "[selfsigned][alpn]") {
    const SelfSignedPair a =
        createTlsAlpnCertificate(QStringLiteral("a.example"), QStringLiteral("t.1"));
    const SelfSignedPair b =
        createTlsAlpnCertificate(QStringLiteral("a.example"), QStringLiteral("t.2"));
    CHECK(a.key.publicKeyDer() != b.key.publicKeyDer());
    CHECK_FALSE(certificateMatchesKey(a.certPem, b.key));
    const CertificateInfo infoA = parseCertificate(a.certPem);
    const CertificateInfo infoB = parseCertificate(b.certPem);
    CHECK(infoA.serialHex != infoB.serialHex);
    CHECK(infoA.serialHex.size() >= 30); // 128 random bits, positive
    CHECK_FALSE(infoA.serialHex.startsWith(u'-'));
    CHECK(x509Text(a.certPem) != x509Text(b.certPem));

    CHECK_THROWS_AS(createTlsAlpnCertificate(QString(), QStringLiteral("t.1")), CryptoError);
    CHECK_THROWS_AS(createTlsAlpnCertificate(QStringLiteral("*."), QStringLiteral("t.1")),
                    CryptoError);
    CHECK(ERR_peek_error() == 0);
}

TEST_CASE("a self-signed server certificate covers DNS names and IP literals", "[selfsigned]") {
    const SelfSignedPair pair =
        createSelfSigned({QStringLiteral("Host.Example"), QStringLiteral("192.0.2.5"),
                          QStringLiteral(" ::1 "), QStringLiteral(" www.host.example ")},
                         30);
    const CertificateInfo info = parseCertificate(pair.certPem);
    CHECK(info.dnsNames ==
          QStringList{QStringLiteral("host.example"), QStringLiteral("www.host.example")});
    CHECK(info.ipAddresses == QStringList{QStringLiteral("192.0.2.5"), QStringLiteral("::1")});
    CHECK(info.subject == QLatin1String("CN=host.example"));
    CHECK(info.issuer == info.subject);
    CHECK(info.notBefore.secsTo(info.notAfter) == 30 * 24 * 3600 + 3600);
    CHECK(secondsFromNow(info.notBefore, -3600) < 120);
    CHECK(certificateMatchesKey(pair.certPem, pair.key));

    const QByteArray text = x509Text(pair.certPem);
    CHECK(text.contains("X509v3 Basic Constraints: critical\n                CA:FALSE"));
    CHECK(text.contains("TLS Web Server Authentication"));
    CHECK(text.contains("X509v3 Subject Key Identifier"));
    CHECK(text.contains("X509v3 Subject Alternative Name: \n"));

    // A client that pins it as its own trust anchor accepts it for a TLS server.
    const VerifyResult trusted = verifyChain(pair.certPem, {}, {pair.certPem});
    CHECK(trusted.ok);
    CHECK(trusted.error.toStdString() == "");
    CHECK(opensslVerifiesAsOwnAnchor(pair.certPem));
}

TEST_CASE("a self-signed certificate for IP addresses only has an empty subject", "[selfsigned]") {
    const SelfSignedPair pair = createSelfSigned({QStringLiteral("192.0.2.9")}, 1);
    const CertificateInfo info = parseCertificate(pair.certPem);
    CHECK(info.subject.isEmpty());
    CHECK(info.dnsNames.isEmpty());
    CHECK(info.ipAddresses == QStringList{QStringLiteral("192.0.2.9")});
    CHECK(x509Text(pair.certPem).contains("X509v3 Subject Alternative Name: critical\n"));
    // An empty subject and issuer still chain to itself.
    CHECK(verifyChain(pair.certPem, {}, {pair.certPem}).ok);
    CHECK(opensslVerifiesAsOwnAnchor(pair.certPem));
}

TEST_CASE("createSelfSigned rejects no names, bad names and non-positive validity",
          "[selfsigned]") {
    using Catch::Matchers::Contains;
    CHECK_THROWS_WITH(createSelfSigned({}, 30), Contains("at least one DNS name or IP address"));
    CHECK_THROWS_WITH(createSelfSigned({QStringLiteral("a.example")}, 0),
                      Contains("at least one day"));
    CHECK_THROWS_AS(createSelfSigned({QStringLiteral("a.example")}, -5), CryptoError);
    CHECK_THROWS_WITH(createSelfSigned({QStringLiteral("*.")}, 1),
                      Contains("not a valid DNS name"));
    CHECK(ERR_peek_error() == 0);
}
