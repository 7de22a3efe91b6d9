#include "crypto/Jws.h"

#include "crypto/Digest.h"

#include <QJsonDocument>

namespace ck::crypto {

namespace {

QString text(const QByteArray& base64Url) {
    return QString::fromLatin1(base64Url);
}

QByteArray compactJson(const QJsonObject& object) {
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// Assembles the flattened JWS from the encoded parts and a signer over "protected.payload"
// (RFC 7515 §5.1 step 8: the signing input is the ASCII of both encodings joined by a dot).
template <typename Signer>
QJsonObject flattened(const QJsonObject& protectedHeader, const QByteArray& payload, Signer sign) {
    const QByteArray protectedB64 = base64UrlEncode(compactJson(protectedHeader));
    const QByteArray payloadB64 = payload.isEmpty() ? QByteArray() : base64UrlEncode(payload);
    const QByteArray signature = sign(protectedB64 + '.' + payloadB64);
    return QJsonObject{
        {QStringLiteral("protected"), text(protectedB64)},
        {QStringLiteral("payload"), text(payloadB64)},
        {QStringLiteral("signature"), text(base64UrlEncode(signature))},
    };
}

} // namespace

QJsonObject signJwsObject(const PrivateKey& key, QJsonObject protectedHeader,
                          const QByteArray& payload) {
    protectedHeader.insert(QStringLiteral("alg"), key.jwsAlgorithm());
    return flattened(protectedHeader, payload,
                     [&](const QByteArray& input) { return key.sign(input); });
}

QByteArray signJws(const PrivateKey& key, QJsonObject protectedHeader, const QByteArray& payload) {
    return compactJson(signJwsObject(key, std::move(protectedHeader), payload));
}

QJsonObject signEabJws(const QByteArray& hmacKey, const QString& keyId, const QString& url,
                       const QJsonObject& accountJwk) {
    const QJsonObject header{
        {QStringLiteral("alg"), QStringLiteral("HS256")},
        {QStringLiteral("kid"), keyId},
        {QStringLiteral("url"), url},
    };
    return flattened(header, compactJson(accountJwk),
                     [&](const QByteArray& input) { return hmacSha256(hmacKey, input); });
}

QJsonObject keyChangeInnerJws(const PrivateKey& newKey, const PrivateKey& oldKey,
                              const QString& accountUrl, const QString& keyChangeUrl) {
    const QJsonObject header{
        {QStringLiteral("jwk"), newKey.publicJwk()},
        {QStringLiteral("url"), keyChangeUrl},
    };
    const QJsonObject payload{
        {QStringLiteral("account"), accountUrl},
        {QStringLiteral("oldKey"), oldKey.publicJwk()},
    };
    return signJwsObject(newKey, header, compactJson(payload));
}

} // namespace ck::crypto
