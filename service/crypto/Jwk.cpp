#include "crypto/Jwk.h"

#include "crypto/Base64Url.h"
#include "crypto/CryptoError.h"
#include "crypto/Digest.h"

#include <QStringList>

namespace ck::crypto {

namespace {

// JSON string escaping per RFC 8259 for the few characters that need it. Real JWK members are
// base64url or fixed names, so this only matters for hostile input, but the output must still be
// valid JSON.
QByteArray jsonString(const QString& value) {
    QByteArray out = "\"";
    for (const QChar c : value) {
        const char16_t u = c.unicode();
        if (u == u'"' || u == u'\\') {
            out += '\\';
            out += static_cast<char>(u);
        } else if (u < 0x20) {
            out += QByteArray("\\u00") + QByteArray::number(u, 16).rightJustified(2, '0');
        } else {
            out += QString(c).toUtf8();
        }
    }
    out += '"';
    return out;
}

QStringList requiredMembers(const QString& kty) {
    // Already in lexicographic (code point) order, as §3.2 requires.
    if (kty == QLatin1String("EC"))
        return {QStringLiteral("crv"), QStringLiteral("kty"), QStringLiteral("x"),
                QStringLiteral("y")};
    if (kty == QLatin1String("RSA"))
        return {QStringLiteral("e"), QStringLiteral("kty"), QStringLiteral("n")};
    if (kty == QLatin1String("oct"))
        return {QStringLiteral("k"), QStringLiteral("kty")};
    return {};
}

} // namespace

QByteArray canonicalJwkJson(const QJsonObject& jwk) {
    const QString kty = jwk.value(QLatin1String("kty")).toString();
    const QStringList members = requiredMembers(kty);
    if (members.isEmpty())
        throw CryptoError(QStringLiteral("JWK thumbprint: unsupported key type \"%1\"").arg(kty));
    QByteArray json = "{";
    for (const QString& name : members) {
        const QJsonValue value = jwk.value(name);
        if (!value.isString())
            throw CryptoError(
                QStringLiteral("JWK thumbprint: member \"%1\" is missing or not a string")
                    .arg(name));
        if (json.size() > 1)
            json += ',';
        json += jsonString(name) + ':' + jsonString(value.toString());
    }
    json += '}';
    return json;
}

QString jwkThumbprint(const QJsonObject& jwk) {
    return QString::fromLatin1(base64UrlEncode(sha256(canonicalJwkJson(jwk))));
}

} // namespace ck::crypto
