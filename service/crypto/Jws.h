#pragma once

// JSON Web Signatures in the flattened JSON serialization (RFC 7515 §7.2.2), the only form ACME
// accepts (RFC 8555 §6.2).

#include "crypto/Base64Url.h"
#include "crypto/PrivateKey.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace ck::crypto {

// The request body {"protected":..., "payload":..., "signature":...}. "alg" is set in the
// protected header from the key; the caller supplies nonce, url and jwk or kid. An empty
// payload is encoded as "" (POST-as-GET, RFC 8555 §6.3), not as base64url("{}").
QByteArray signJws(const PrivateKey& key, QJsonObject protectedHeader, const QByteArray& payload);

// The same as an object, for embedding one JWS in another's payload (EAB, keyChange).
QJsonObject signJwsObject(const PrivateKey& key, QJsonObject protectedHeader,
                          const QByteArray& payload);

// RFC 8555 §7.3.4 externalAccountBinding: protected {"alg":"HS256","kid":keyId,"url":url},
// payload = the account's public JWK, MAC = HMAC-SHA256 with the CA-issued key (already
// base64url-decoded by the caller).
QJsonObject signEabJws(const QByteArray& hmacKey, const QString& keyId, const QString& url,
                       const QJsonObject& accountJwk);

// RFC 8555 §7.3.5 inner keyChange JWS: signed by the new key, protected {"alg","jwk":new,"url"}
// with no nonce, payload {"account":accountUrl,"oldKey":old JWK}. The caller posts it as the
// payload of an ordinary kid-signed request by the old key.
QJsonObject keyChangeInnerJws(const PrivateKey& newKey, const PrivateKey& oldKey,
                              const QString& accountUrl, const QString& keyChangeUrl);

} // namespace ck::crypto
