#include "CryptoTestSupport.h"

#include "crypto/Certificate.h"
#include "crypto/CryptoError.h"
#include "crypto/Pkcs12.h"

#include <QSet>
#include <QTemporaryDir>

#include <catch2/catch.hpp>

#include <openssl/err.h>

using namespace ck::crypto;
using namespace ck::crypto::test;

namespace {

// `openssl pkcs12 <options> -passin pass:<password>` with the file on stdin.
ProcessResult pkcs12(const QByteArray& p12, const QString& password, const QStringList& options) {
    return runOpenssl(QStringList{QStringLiteral("pkcs12"), QStringLiteral("-passin"),
                                  QStringLiteral("pass:") + password} +
                          options,
                      p12);
}

QByteArray readable(const QByteArray& p12, const QString& password, const QStringList& options) {
    const ProcessResult result = pkcs12(p12, password, options);
    INFO(result.output.toStdString());
    REQUIRE(result.exitCode == 0);
    return result.output;
}

QSet<QByteArray> ders(const QByteArray& pem) {
    QSet<QByteArray> out;
    for (const QByteArray& block : splitPemChain(pem))
        out.insert(certificateToDer(block));
    return out;
}

struct Fixture {
    QTemporaryDir dir;
    TestChain chain;
    PrivateKey key;
    Fixture() {
        REQUIRE(dir.isValid());
        chain = makeChainWithOpenssl(dir.path(), QStringLiteral("leaf.example"));
        key = PrivateKey::fromPem(chain.leafKeyPem);
    }
};

} // namespace

TEST_CASE("a PKCS#12 file opens with its password and holds key, leaf and chain", "[pkcs12]") {
    Fixture f;
    const QString password =
        GENERATE(QStringLiteral("s3cret"), QStringLiteral("p\u00e4ss w\u00f6rd"));
    CAPTURE(password.toStdString());
    const QByteArray p12 =
        createPkcs12(f.key, f.chain.leafPem, {f.chain.intermediatePem, f.chain.rootPem}, password,
                     QStringLiteral("My Cert"));

    // The algorithms the header promises, as openssl reports them.
    const QByteArray info =
        readable(p12, password, {QStringLiteral("-info"), QStringLiteral("-noout")});
    CHECK(info.contains("MAC: sha256, Iteration 2048"));
    CHECK(info.contains(
        "PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256"));
    CHECK(info.contains(
        "Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256"));
    CHECK(info.count("Certificate bag") == 3);

    // The key is ours, the leaf is the client certificate, the chain the CA certificates.
    const QByteArray keyPem =
        readable(p12, password, {QStringLiteral("-nocerts"), QStringLiteral("-nodes")});
    CHECK(keyPem.count("-----BEGIN PRIVATE KEY-----") == 1);
    CHECK(PrivateKey::fromPem(keyPem).publicKeyDer() == f.key.publicKeyDer());
    const QByteArray leaf =
        readable(p12, password, {QStringLiteral("-nokeys"), QStringLiteral("-clcerts")});
    CHECK(ders(leaf) == QSet<QByteArray>{certificateToDer(f.chain.leafPem)});
    const QByteArray cas =
        readable(p12, password, {QStringLiteral("-nokeys"), QStringLiteral("-cacerts")});
    CHECK(ders(cas) == QSet<QByteArray>{certificateToDer(f.chain.intermediatePem),
                                        certificateToDer(f.chain.rootPem)});

    // friendlyName and the localKeyID tying the leaf to the key, on both bags.
    const QByteArray all = readable(p12, password, {QStringLiteral("-nodes")});
    CHECK(all.count("friendlyName: My Cert") == 2);
    const qsizetype first = all.indexOf("localKeyID:");
    REQUIRE(first >= 0);
    const QByteArray id = all.mid(first, all.indexOf('\n', first) - first);
    CHECK(all.count(id) == 2);
}

TEST_CASE("a PKCS#12 file does not open with a wrong password", "[pkcs12]") {
    Fixture f;
    const QByteArray p12 = createPkcs12(f.key, f.chain.leafPem, {f.chain.intermediatePem},
                                        QStringLiteral("right"), QStringLiteral("x"));
    for (const char* wrong : {"wrong", "Right", "right ", ""}) {
        CAPTURE(wrong);
        const ProcessResult result =
            pkcs12(p12, QLatin1String(wrong), {QStringLiteral("-info"), QStringLiteral("-noout")});
        CHECK(result.exitCode != 0);
        CHECK(result.output.contains("Mac verify error"));
    }
    // A flipped byte is detected too.
    QByteArray damaged = p12;
    damaged[damaged.size() / 2] = static_cast<char>(damaged[damaged.size() / 2] ^ 0x01);
    CHECK(pkcs12(damaged, QStringLiteral("right"),
                 {QStringLiteral("-info"), QStringLiteral("-noout")})
              .exitCode != 0);
}

TEST_CASE("an empty password gives a file that opens with an empty password", "[pkcs12]") {
    Fixture f;
    const QByteArray p12 = createPkcs12(f.key, f.chain.leafPem, {}, QString(), QString());
    const QByteArray all = readable(p12, QString(), {QStringLiteral("-nodes")});
    CHECK(all.count("-----BEGIN CERTIFICATE-----") == 1); // no chain given, none stored
    CHECK(all.count("-----BEGIN PRIVATE KEY-----") == 1);
    CHECK_FALSE(all.contains("friendlyName")); // none asked for
    CHECK(PrivateKey::fromPem(all).publicKeyDer() == f.key.publicKeyDer());
    CHECK(pkcs12(p12, QStringLiteral("x"), {QStringLiteral("-info"), QStringLiteral("-noout")})
              .exitCode != 0);

    // In-process, as an application would open it.
    const auto* cursor = reinterpret_cast<const unsigned char*>(p12.constData());
    const Pkcs12Ptr parsed(d2i_PKCS12(nullptr, &cursor, static_cast<long>(p12.size())));
    REQUIRE(parsed);
    CHECK(PKCS12_verify_mac(parsed.get(), "", 0) == 1);
    ERR_clear_error();
}

TEST_CASE("createPkcs12 refuses a key that is not the certificate's and bad input", "[pkcs12]") {
    Fixture f;
    using Catch::Matchers::Contains;
    const PrivateKey other = PrivateKey::generate(KeyType::EcP256);
    CHECK_THROWS_WITH(createPkcs12(other, f.chain.leafPem, {}, QStringLiteral("pw"), {}),
                      Contains("does not belong to the private key"));
    CHECK_THROWS_WITH(createPkcs12(PrivateKey(), f.chain.leafPem, {}, QStringLiteral("pw"), {}),
                      Contains("without a key"));
    CHECK_THROWS_AS(createPkcs12(f.key, "garbage", {}, QStringLiteral("pw"), {}), CryptoError);
    CHECK_THROWS_AS(createPkcs12(f.key, f.chain.leafPem, {f.chain.intermediatePem, "garbage"},
                                 QStringLiteral("pw"), {}),
                    CryptoError);
    CHECK(ERR_peek_error() == 0);
}
