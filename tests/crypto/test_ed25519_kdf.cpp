// Ed25519 (license keys) and the passphrase KDFs (backup packages) against published test
// vectors and the openssl command-line tool as an independent signer and verifier.

#include "CryptoTestSupport.h"

#include "crypto/CryptoError.h"
#include "crypto/Ed25519.h"
#include "crypto/Kdf.h"

#include <QTemporaryDir>

#include <catch2/catch.hpp>

using namespace ck::crypto;
using namespace ck::crypto::test;

namespace {
// RFC 8032 section 7.1, test 1 (empty message).
const QByteArray kRfcSecret =
    QByteArray::fromHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
const QByteArray kRfcPublic =
    QByteArray::fromHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
const QByteArray kRfcSignature = QByteArray::fromHex(
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e3970"
    "1cf9b46bd25bf5f0595bbe24655141438e7a100b");

// PKCS#8 PEM of a raw Ed25519 secret (RFC 8410: the fixed DER prefix, then the 32 bytes).
QByteArray pemOf(const QByteArray& secret) {
    const QByteArray der = QByteArray::fromHex("302e020100300506032b657004220420") + secret;
    return "-----BEGIN PRIVATE KEY-----\n" + der.toBase64() + "\n-----END PRIVATE KEY-----\n";
}
} // namespace

TEST_CASE("Ed25519 matches RFC 8032 and refuses what it should", "[crypto][ed25519]") {
    const QByteArray pem = "A comment before the key is skipped\n" + pemOf(kRfcSecret);
    CHECK(ed25519PublicKey(pem) == kRfcPublic);
    CHECK(ed25519Sign(pem, {}) == kRfcSignature); // Ed25519 is deterministic
    CHECK(ed25519Verify(kRfcPublic, {}, kRfcSignature));

    QByteArray flipped = kRfcSignature;
    flipped[10] = char(flipped[10] ^ 0x01);
    CHECK_FALSE(ed25519Verify(kRfcPublic, {}, flipped));
    CHECK_FALSE(ed25519Verify(kRfcPublic, "x", kRfcSignature));
    CHECK_FALSE(ed25519Verify(kRfcPublic.left(31), {}, kRfcSignature));
    CHECK_FALSE(ed25519Verify(kRfcPublic, {}, kRfcSignature.left(63)));
    CHECK_THROWS_AS(ed25519Sign("not a key", "x"), CryptoError);
}

TEST_CASE("a generated Ed25519 key signs what openssl verifies", "[crypto][ed25519]") {
    const auto pair = ed25519Generate();
    CHECK(pair.publicKey.size() == kEd25519PublicKeySize);
    CHECK(ed25519PublicKey(pair.privateKeyPem) == pair.publicKey);
    const QByteArray message = "certkeeper-license-v1.payload";
    const QByteArray signature = ed25519Sign(pair.privateKeyPem, message);
    CHECK(ed25519Verify(pair.publicKey, message, signature));

    QTemporaryDir dir;
    writeFile(dir.filePath("key.pem"), pair.privateKeyPem);
    writeFile(dir.filePath("message"), message);
    writeFile(dir.filePath("sig"), signature);
    CHECK(runOpenssl(
              {"pkey", "-in", dir.filePath("key.pem"), "-pubout", "-out", dir.filePath("pub.pem")})
              .exitCode == 0);
    const auto verified =
        runOpenssl({"pkeyutl", "-verify", "-pubin", "-inkey", dir.filePath("pub.pem"), "-rawin",
                    "-in", dir.filePath("message"), "-sigfile", dir.filePath("sig")});
    INFO(verified.output.toStdString());
    CHECK(verified.exitCode == 0);
}

TEST_CASE("scrypt and PBKDF2 match their RFC test vectors", "[crypto][kdf]") {
    // RFC 7914 section 12, the second vector.
    ScryptParams params;
    params.n = 1024;
    params.r = 8;
    params.p = 16;
    CHECK(scrypt("password", "NaCl", params, 64).toHex() ==
          "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff1"
          "09279d9830dac727afb94a83ee6d8360cbdfa2cc0640");
    // RFC 7914 section 11 (PBKDF2-HMAC-SHA256, c = 1).
    CHECK(pbkdf2Sha256("passwd", "salt", 1, 64).toHex() ==
          "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664"
          "b39d77ef317c71b845b1e30bd509112041d3a19783");
}

TEST_CASE("scrypt parameters from a file are bounded", "[crypto][kdf]") {
    ScryptParams params;
    CHECK(params.withinLimits()); // the defaults we write
    params.n = quint64(1) << 30;
    CHECK_FALSE(params.withinLimits());
    params.n = 1000; // not a power of two
    CHECK_FALSE(params.withinLimits());
    params.n = 1024;
    params.p = 0;
    CHECK_FALSE(params.withinLimits());
    params.p = 1;
    params.r = 1000;
    CHECK_FALSE(params.withinLimits());
    CHECK_THROWS_AS(scrypt("x", "salt", params, 32), CryptoError);
}
