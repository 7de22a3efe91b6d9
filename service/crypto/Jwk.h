#pragma once

// RFC 7638 JWK thumbprints for any public JWK (not only our own keys), so a key sent by a CA or
// taken from another client's account file can be compared too.

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace ck::crypto {

// The canonical JSON of RFC 7638 §3: only the required members for the "kty" (EC: crv,kty,x,y;
// RSA: e,kty,n; oct: k,kty), in lexicographic order, no whitespace. Built by hand, not by
// QJsonDocument, because the digest depends on the exact bytes. Throws CryptoError on an
// unknown kty or a missing/non-string member.
QByteArray canonicalJwkJson(const QJsonObject& jwk);

// base64url(SHA-256(canonicalJwkJson(jwk))).
QString jwkThumbprint(const QJsonObject& jwk);

} // namespace ck::crypto
