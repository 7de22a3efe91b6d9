#include "CryptoTestSupport.h"

#include "crypto/CryptoError.h"
#include "crypto/Jwk.h"
#include "crypto/PrivateKey.h"

#include <QJsonDocument>

#include <catch2/catch.hpp>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include <vector>

using namespace ck::crypto;
using namespace ck::crypto::test;

namespace {

struct Expectation {
    KeyType type;
    const char* alg;
    const char* digest;
    int signatureSize; // fixed for ECDSA (r||s), the modulus size for RSA
};

} // namespace

TEST_CASE("every key type generates, round-trips through PEM and signs verifiably", "[keys]") {
    const Expectation expectation = GENERATE(Expectation{KeyType::Rsa2048, "RS256", "SHA256", 256},
                                             Expectation{KeyType::Rsa3072, "RS256", "SHA256", 384},
                                             Expectation{KeyType::Rsa4096, "RS256", "SHA256", 512},
                                             Expectation{KeyType::EcP256, "ES256", "SHA256", 64},
                                             Expectation{KeyType::EcP384, "ES384", "SHA384", 96});
    CAPTURE(keyTypeName(expectation.type).toStdString());
    const bool ecdsa = !isRsa(expectation.type);

    const PrivateKey key = PrivateKey::generate(expectation.type);
    CHECK(key.type() == expectation.type);
    CHECK(key.jwsAlgorithm() == QLatin1String(expectation.alg));

    const QByteArray pem = key.toPem();
    CHECK(pem.startsWith("-----BEGIN PRIVATE KEY-----")); // PKCS#8, unencrypted
    const PrivateKey reloaded = PrivateKey::fromPem(pem);
    CHECK(reloaded.type() == expectation.type);
    CHECK(reloaded.publicKeyDer() == key.publicKeyDer());
    CHECK(reloaded.jwkThumbprint() == key.jwkThumbprint());

    const QByteArray message = "protected.payload";
    const QByteArray signature = reloaded.sign(message);
    CHECK(signature.size() == expectation.signatureSize);

    const EvpPkeyPtr publicKey = publicKeyFromDer(key.publicKeyDer());
    REQUIRE(publicKey);
    CHECK(verifyJoseSignature(publicKey.get(), expectation.digest, message, signature, ecdsa));
    CHECK_FALSE(verifyJoseSignature(publicKey.get(), expectation.digest, "protected.payloaD",
                                    signature, ecdsa));
    // A different key's signature does not verify under this key.
    const PrivateKey other = PrivateKey::generate(expectation.type);
    CHECK_FALSE(verifyJoseSignature(publicKey.get(), expectation.digest, message,
                                    other.sign(message), ecdsa));
}

TEST_CASE("fromPem reads traditional PEM keys too", "[keys]") {
    const PrivateKey key = PrivateKey::generate(KeyType::EcP256);
    // `openssl pkey -traditional` writes "EC PRIVATE KEY", the format older clients store.
    const ProcessResult traditional =
        runOpenssl({QStringLiteral("pkey"), QStringLiteral("-traditional")}, key.toPem());
    REQUIRE(traditional.exitCode == 0);
    REQUIRE(traditional.output.contains("-----BEGIN EC PRIVATE KEY-----"));
    CHECK(PrivateKey::fromPem(traditional.output).publicKeyDer() == key.publicKeyDer());

    const PrivateKey rsa = PrivateKey::generate(KeyType::Rsa2048);
    const ProcessResult rsaTraditional =
        runOpenssl({QStringLiteral("pkey"), QStringLiteral("-traditional")}, rsa.toPem());
    REQUIRE(rsaTraditional.output.contains("-----BEGIN RSA PRIVATE KEY-----"));
    CHECK(PrivateKey::fromPem(rsaTraditional.output).type() == KeyType::Rsa2048);
}

TEST_CASE("fromPem rejects garbage, encrypted and unsupported keys with a message", "[keys]") {
    const auto messageOf = [](const QByteArray& pem) -> std::string {
        try {
            (void)PrivateKey::fromPem(pem);
        } catch (const CryptoError& e) {
            return e.what();
        }
        return {};
    };
    const std::string garbage = messageOf("this is not a key");
    CHECK_THAT(garbage, Catch::Matchers::Contains("No usable private key"));
    CHECK(messageOf("") != std::string());
    CHECK(messageOf("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n") !=
          std::string());

    const PrivateKey key = PrivateKey::generate(KeyType::EcP256);
    const ProcessResult encrypted =
        runOpenssl({QStringLiteral("pkey"), QStringLiteral("-aes256"), QStringLiteral("-passout"),
                    QStringLiteral("pass:secret")},
                   key.toPem());
    REQUIRE(encrypted.exitCode == 0);
    CHECK_THAT(messageOf(encrypted.output), Catch::Matchers::Contains("encrypted"));

    const ProcessResult ed25519 = runOpenssl(
        {QStringLiteral("genpkey"), QStringLiteral("-algorithm"), QStringLiteral("ed25519")});
    REQUIRE(ed25519.exitCode == 0);
    CHECK_THAT(messageOf(ed25519.output), Catch::Matchers::Contains("Unsupported key"));

    // The error queue is left empty for the next caller.
    CHECK(ERR_peek_error() == 0);
}

namespace {

// A PKCS#8 key whose private half is `privateOf`'s and whose public half is `publicOf`'s: what a
// damaged key file holds (found by fuzz_crypto: OpenSSL reads such a file without complaint).
QByteArray mismatchedKeyPem(const PrivateKey& privateOf, const PrivateKey& publicOf) {
    // The builder keeps pointers to the numbers until OSSL_PARAM_BLD_to_param: all live here.
    const OpenSslPtr<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free> builder(OSSL_PARAM_BLD_new());
    const bool rsa = EVP_PKEY_is_a(privateOf.native(), "RSA");
    const auto number = [](const PrivateKey& key, const char* name) {
        BIGNUM* value = nullptr;
        REQUIRE(EVP_PKEY_get_bn_param(key.native(), name, &value) == 1);
        return BignumPtr(value);
    };
    BignumPtr n, e, scalar;
    std::vector<BignumPtr> privateNumbers;
    unsigned char point[133];
    size_t pointLength = 0;
    if (rsa) {
        n = number(publicOf, OSSL_PKEY_PARAM_RSA_N);
        e = number(publicOf, OSSL_PKEY_PARAM_RSA_E);
        REQUIRE(OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) == 1);
        REQUIRE(OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) == 1);
        // PKCS#1 needs the factors too: the other key's, as in the fuzzer's finding.
        for (const char* name : {OSSL_PKEY_PARAM_RSA_D, OSSL_PKEY_PARAM_RSA_FACTOR1,
                                 OSSL_PKEY_PARAM_RSA_FACTOR2, OSSL_PKEY_PARAM_RSA_EXPONENT1,
                                 OSSL_PKEY_PARAM_RSA_EXPONENT2, OSSL_PKEY_PARAM_RSA_COEFFICIENT1}) {
            privateNumbers.push_back(number(privateOf, name));
            REQUIRE(OSSL_PARAM_BLD_push_BN(builder.get(), name, privateNumbers.back().get()) == 1);
        }
    } else {
        REQUIRE(EVP_PKEY_get_octet_string_param(publicOf.native(), OSSL_PKEY_PARAM_PUB_KEY, point,
                                                sizeof point, &pointLength) == 1);
        scalar = number(privateOf, OSSL_PKEY_PARAM_PRIV_KEY);
        REQUIRE(OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME,
                                                "prime256v1", 0) == 1);
        REQUIRE(OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point,
                                                 pointLength) == 1);
        REQUIRE(OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_PRIV_KEY, scalar.get()) == 1);
    }
    const OpenSslPtr<OSSL_PARAM, OSSL_PARAM_free> params(OSSL_PARAM_BLD_to_param(builder.get()));
    const EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, rsa ? "RSA" : "EC", nullptr));
    EVP_PKEY* mixed = nullptr;
    REQUIRE(EVP_PKEY_fromdata_init(ctx.get()) == 1);
    REQUIRE(EVP_PKEY_fromdata(ctx.get(), &mixed, EVP_PKEY_KEYPAIR, params.get()) == 1);
    const EvpPkeyPtr owned(mixed);
    const BioPtr bio(BIO_new(BIO_s_mem()));
    REQUIRE(PEM_write_bio_PrivateKey(bio.get(), mixed, nullptr, nullptr, 0, nullptr, nullptr) == 1);
    char* data = nullptr;
    const long length = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, qsizetype(length));
}

} // namespace

TEST_CASE("fromPem refuses a key whose private and public halves do not match", "[keys]") {
    const KeyType type = GENERATE(KeyType::EcP256, KeyType::Rsa2048);
    CAPTURE(keyTypeName(type).toStdString());
    const PrivateKey key = PrivateKey::generate(type);
    const PrivateKey other = PrivateKey::generate(type);
    const QByteArray damaged = mismatchedKeyPem(key, other);
    // OpenSSL itself reads the file, and it claims `other`'s public key.
    REQUIRE(runOpenssl({QStringLiteral("pkey"), QStringLiteral("-noout")}, damaged).exitCode == 0);
    try {
        (void)PrivateKey::fromPem(damaged);
        FAIL("a damaged key was accepted");
    } catch (const CryptoError& e) {
        CHECK_THAT(std::string(e.what()), Catch::Matchers::Contains("do not match"));
    }
    CHECK(ERR_peek_error() == 0);
    // Both sound halves still read.
    CHECK(PrivateKey::fromPem(key.toPem()).publicKeyDer() == key.publicKeyDer());
}

TEST_CASE("a null key throws instead of crashing", "[keys]") {
    PrivateKey moved = PrivateKey::generate(KeyType::EcP256);
    const PrivateKey target = std::move(moved);
    CHECK_FALSE(target.isNull());
    CHECK(moved.isNull()); // NOLINT(bugprone-use-after-move): the moved-from state is specified
    CHECK_THROWS_AS(moved.sign("x"), CryptoError);
    CHECK_THROWS_AS(PrivateKey().publicJwk(), CryptoError);
}

TEST_CASE("EC JWKs have the RFC 7638 members and fixed-length coordinates", "[jwk]") {
    for (const auto& [type, crv, width] :
         {std::tuple{KeyType::EcP256, "P-256", 32}, std::tuple{KeyType::EcP384, "P-384", 48}}) {
        // Generate several keys so a coordinate with a leading zero byte is likely exercised.
        for (int i = 0; i < 8; ++i) {
            const QJsonObject jwk = PrivateKey::generate(type).publicJwk();
            CHECK(jwk.keys() == QStringList{"crv", "kty", "x", "y"});
            CHECK(jwk.value("kty").toString() == QLatin1String("EC"));
            CHECK(jwk.value("crv").toString() == QLatin1String(crv));
            CHECK(base64UrlDecode(jwk.value("x").toString().toLatin1())->size() == width);
            CHECK(base64UrlDecode(jwk.value("y").toString().toLatin1())->size() == width);
        }
    }
}

TEST_CASE("an RSA JWK has e, kty and n with no leading zero", "[jwk]") {
    const QJsonObject jwk = PrivateKey::generate(KeyType::Rsa2048).publicJwk();
    CHECK(jwk.keys() == QStringList{"e", "kty", "n"});
    CHECK(jwk.value("e").toString() == QLatin1String("AQAB"));
    const QByteArray n = *base64UrlDecode(jwk.value("n").toString().toLatin1());
    CHECK(n.size() == 256);
    CHECK(n.at(0) != 0);
}

namespace {

const char* const kRfc7638N = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1R"
                              "K7aPFFxuhDR1L6tSoc_BJECPebWKRX"
                              "jBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-"
                              "65YGjQR0_FDW2QvzqY368QQMicAt"
                              "aSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-"
                              "bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XP"
                              "ksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
const char* const kRfc7638Thumbprint = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";

} // namespace

TEST_CASE("the RFC 7638 §3.1 thumbprint test vector", "[jwk]") {
    // The example JWK, including members that must not enter the hash.
    const QJsonObject jwk{
        {"kty", "RSA"}, {"n", kRfc7638N}, {"e", "AQAB"}, {"alg", "RS256"}, {"kid", "2011-04-29"}};
    CHECK(canonicalJwkJson(jwk) ==
          QByteArray("{\"e\":\"AQAB\",\"kty\":\"RSA\",\"n\":\"") + kRfc7638N + "\"}");
    CHECK(jwkThumbprint(jwk) == QLatin1String(kRfc7638Thumbprint));

    SECTION("through PrivateKey, from the key's own numbers") {
        // Build the public key from n and e so publicJwk() is tested end to end.
        const QByteArray n = *base64UrlDecode(kRfc7638N);
        const OpenSslPtr<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free> builder(OSSL_PARAM_BLD_new());
        const BignumPtr bnN(BN_bin2bn(reinterpret_cast<const unsigned char*>(n.constData()),
                                      static_cast<int>(n.size()), nullptr));
        const BignumPtr bnE(BN_new());
        REQUIRE(BN_set_word(bnE.get(), 65537) == 1);
        REQUIRE(OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, bnN.get()) == 1);
        REQUIRE(OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, bnE.get()) == 1);
        const OpenSslPtr<OSSL_PARAM, OSSL_PARAM_free> params(
            OSSL_PARAM_BLD_to_param(builder.get()));
        const EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
        EVP_PKEY* raw = nullptr;
        REQUIRE(EVP_PKEY_fromdata_init(ctx.get()) == 1);
        REQUIRE(EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) == 1);
        const PrivateKey publicOnly = PrivateKey::adopt(raw);
        CHECK(publicOnly.type() == KeyType::Rsa2048);
        CHECK(publicOnly.publicJwk().value("n").toString() == QLatin1String(kRfc7638N));
        CHECK(publicOnly.jwkThumbprint() == QLatin1String(kRfc7638Thumbprint));
    }
}

TEST_CASE("the thumbprint hashes the canonical JSON, not Qt's", "[jwk]") {
    const PrivateKey key = PrivateKey::generate(KeyType::EcP256);
    const QJsonObject jwk = key.publicJwk();
    const QByteArray expected = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" +
                                jwk.value("x").toString().toLatin1() + "\",\"y\":\"" +
                                jwk.value("y").toString().toLatin1() + "\"}";
    CHECK(canonicalJwkJson(jwk) == expected);
    const ProcessResult digest = runOpenssl(
        {QStringLiteral("dgst"), QStringLiteral("-sha256"), QStringLiteral("-binary")}, expected);
    REQUIRE(digest.exitCode == 0);
    CHECK(key.jwkThumbprint() == QString::fromLatin1(base64UrlEncode(digest.output)));
    CHECK_THROWS_AS(jwkThumbprint(QJsonObject{{"kty", "OKP"}}), CryptoError);
    CHECK_THROWS_AS(jwkThumbprint(QJsonObject{{"kty", "EC"}, {"crv", "P-256"}}), CryptoError);
}
