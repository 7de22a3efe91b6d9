#include "crypto/Base64Url.h"
#include "crypto/KeyType.h"
#include "crypto/Random.h"

#include <catch2/catch.hpp>

using namespace ck::crypto;

TEST_CASE("base64url encodes the RFC 4648 test vectors without padding", "[base64url]") {
    // RFC 4648 §10, with the padding removed (RFC 7515 §2).
    const std::pair<const char*, const char*> vectors[] = {
        {"", ""},           {"f", "Zg"},          {"fo", "Zm8"},          {"foo", "Zm9v"},
        {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"},
    };
    for (const auto& [plain, encoded] : vectors) {
        CAPTURE(plain);
        CHECK(base64UrlEncode(QByteArray(plain)) == QByteArray(encoded));
        const auto decoded = base64UrlDecode(QByteArray(encoded));
        REQUIRE(decoded.has_value());
        CHECK(*decoded == QByteArray(plain));
    }
}

TEST_CASE("base64url uses the URL-safe alphabet", "[base64url]") {
    const QByteArray bytes("\xfb\xff\xfe", 3); // standard base64: "+//+"
    CHECK(base64UrlEncode(bytes) == "-__-");
    CHECK(base64UrlDecode("-__-") == bytes);
}

TEST_CASE("base64url decoding rejects malformed input", "[base64url]") {
    const char* bad[] = {
        "Zg==",      // padding
        "Zm8=",      // padding
        "Z",         // impossible length
        "Zm9vY",     // impossible length (5 mod 4 == 1)
        "Zm9v YmFy", // whitespace
        "Zm9v\nYmFy",
        "Zm+v", // standard-alphabet '+'
        "Zm/v", // standard-alphabet '/'
        "Zh",   // non-zero trailing bits ("f" is "Zg")
        "Zm9",  // non-zero trailing bits ("fo" is "Zm8")
        "Zm9v\x80",
    };
    for (const char* text : bad) {
        CAPTURE(text);
        CHECK_FALSE(base64UrlDecode(QByteArray(text)).has_value());
    }
}

TEST_CASE("base64url round-trips every byte value", "[base64url]") {
    QByteArray all;
    for (int i = 0; i < 256; ++i)
        all.append(static_cast<char>(i));
    for (int length = 0; length <= all.size(); length += 37) {
        const QByteArray slice = all.left(length);
        CHECK(base64UrlDecode(base64UrlEncode(slice)) == slice);
    }
}

TEST_CASE("random helpers give fresh bytes of the requested size", "[random]") {
    CHECK(randomBytes(0).isEmpty());
    CHECK(randomBytes(32).size() == 32);
    CHECK(randomBytes(32) != randomBytes(32));
    const QByteArray token = randomToken(9);
    CHECK(token.size() == 12);
    CHECK(base64UrlDecode(token).has_value());
}

TEST_CASE("key type names round-trip and unknown names are rejected", "[keytype]") {
    for (const auto type :
         {KeyType::Rsa2048, KeyType::Rsa3072, KeyType::Rsa4096, KeyType::EcP256, KeyType::EcP384})
        CHECK(keyTypeFromName(keyTypeName(type)) == type);
    CHECK(keyTypeName(KeyType::EcP256) == QStringLiteral("ecdsa-p256"));
    CHECK(keyTypeFromName(QStringLiteral("RSA2048")) == KeyType::Rsa2048);
    CHECK_FALSE(keyTypeFromName(QStringLiteral("rsa1024")).has_value());
    CHECK_FALSE(keyTypeFromName(QStringLiteral("ecdsa-p521")).has_value());
    CHECK_FALSE(keyTypeFromName(QString()).has_value());
}
