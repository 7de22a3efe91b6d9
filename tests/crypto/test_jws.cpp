#include "CryptoTestSupport.h"

#include "crypto/Jws.h"

#include <QJsonDocument>
#include <QMessageAuthenticationCode>

#include <catch2/catch.hpp>

using namespace ck::crypto;
using namespace ck::crypto::test;

namespace {

QJsonObject parseObject(const QByteArray& json) {
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    REQUIRE(error.error == QJsonParseError::NoError);
    REQUIRE(document.isObject());
    return document.object();
}

QByteArray decodeMember(const QJsonObject& jws, const char* name) {
    const auto decoded = base64UrlDecode(jws.value(QLatin1String(name)).toString().toLatin1());
    REQUIRE(decoded.has_value());
    return *decoded;
}

} // namespace

TEST_CASE("a flattened JWS verifies as the CA would check it", "[jws]") {
    const KeyType type = GENERATE(KeyType::EcP256, KeyType::EcP384, KeyType::Rsa2048);
    CAPTURE(keyTypeName(type).toStdString());
    const PrivateKey key = PrivateKey::generate(type);
    const QJsonObject header{{"nonce", "abc"},
                             {"url", "https://ca.example/acme/new-order"},
                             {"kid", "https://ca.example/acme/acct/1"}};
    const QByteArray payload = R"({"identifiers":[{"type":"dns","value":"example.org"}]})";

    const QJsonObject jws = parseObject(signJws(key, header, payload));
    CHECK(jws.keys() == QStringList{"payload", "protected", "signature"});

    const QJsonObject protectedHeader = parseObject(decodeMember(jws, "protected"));
    CHECK(protectedHeader.value("alg").toString() == key.jwsAlgorithm());
    CHECK(protectedHeader.value("nonce").toString() == QLatin1String("abc"));
    CHECK(protectedHeader.value("kid").toString() ==
          QLatin1String("https://ca.example/acme/acct/1"));
    CHECK(decodeMember(jws, "payload") == payload);

    // RFC 7515 §5.2: verify over ASCII(BASE64URL(protected) "." BASE64URL(payload)).
    const QByteArray signingInput = jws.value("protected").toString().toLatin1() + '.' +
                                    jws.value("payload").toString().toLatin1();
    const EvpPkeyPtr publicKey = publicKeyFromDer(key.publicKeyDer());
    const char* digest = type == KeyType::EcP384 ? "SHA384" : "SHA256";
    CHECK(verifyJoseSignature(publicKey.get(), digest, signingInput, decodeMember(jws, "signature"),
                              !isRsa(type)));
    CHECK_FALSE(verifyJoseSignature(publicKey.get(), digest, signingInput + "x",
                                    decodeMember(jws, "signature"), !isRsa(type)));
}

TEST_CASE("POST-as-GET has an empty payload member", "[jws]") {
    const PrivateKey key = PrivateKey::generate(KeyType::EcP256);
    const QJsonObject jws = parseObject(signJws(key, {{"url", "https://ca.example/o/1"}}, {}));
    REQUIRE(jws.contains("payload"));
    CHECK(jws.value("payload").toString() == QString(""));
    const QByteArray signingInput = jws.value("protected").toString().toLatin1() + '.';
    const EvpPkeyPtr publicKey = publicKeyFromDer(key.publicKeyDer());
    CHECK(verifyJoseSignature(publicKey.get(), "SHA256", signingInput,
                              decodeMember(jws, "signature"), true));
}

TEST_CASE("the EAB JWS is an HS256 MAC over the account JWK", "[jws][eab]") {
    const PrivateKey account = PrivateKey::generate(KeyType::EcP256);
    const QByteArray hmacKey =
        *base64UrlDecode("zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W");
    const QString url = QStringLiteral("https://ca.example/acme/new-account");
    const QJsonObject eab = signEabJws(hmacKey, QStringLiteral("kid-1"), url, account.publicJwk());

    const QJsonObject header = parseObject(decodeMember(eab, "protected"));
    CHECK(header == QJsonObject{{"alg", "HS256"}, {"kid", "kid-1"}, {"url", url}});
    CHECK(parseObject(decodeMember(eab, "payload")) == account.publicJwk());

    // Independently: Qt's own HMAC implementation over the same signing input.
    const QByteArray signingInput = eab.value("protected").toString().toLatin1() + '.' +
                                    eab.value("payload").toString().toLatin1();
    const QByteArray expected =
        QMessageAuthenticationCode::hash(signingInput, hmacKey, QCryptographicHash::Sha256);
    CHECK(decodeMember(eab, "signature") == expected);
    CHECK(decodeMember(eab, "signature").size() == 32);
}

TEST_CASE("the keyChange inner JWS is signed by the new key over the old key", "[jws]") {
    const PrivateKey oldKey = PrivateKey::generate(KeyType::EcP256);
    const PrivateKey newKey = PrivateKey::generate(KeyType::EcP384);
    const QJsonObject inner = keyChangeInnerJws(newKey, oldKey, QStringLiteral("https://ca/acct/1"),
                                                QStringLiteral("https://ca/key-change"));
    const QJsonObject header = parseObject(decodeMember(inner, "protected"));
    CHECK(header.value("alg").toString() == QLatin1String("ES384"));
    CHECK(header.value("jwk").toObject() == newKey.publicJwk());
    CHECK(header.value("url").toString() == QLatin1String("https://ca/key-change"));
    CHECK_FALSE(header.contains("nonce"));
    const QJsonObject payload = parseObject(decodeMember(inner, "payload"));
    CHECK(payload.value("account").toString() == QLatin1String("https://ca/acct/1"));
    CHECK(payload.value("oldKey").toObject() == oldKey.publicJwk());
    const EvpPkeyPtr publicKey = publicKeyFromDer(newKey.publicKeyDer());
    CHECK(verifyJoseSignature(publicKey.get(), "SHA384",
                              inner.value("protected").toString().toLatin1() + '.' +
                                  inner.value("payload").toString().toLatin1(),
                              decodeMember(inner, "signature"), true));
}
