#pragma once
// A private key written as a JWK (RFC 7518 §6.2.2 EC, §6.3.2 RSA), as certbot keeps its ACME
// account key (accounts/.../private_key.json): read into a PrivateKey, so an account made by
// certbot can be imported by its key.

#include "crypto/PrivateKey.h"

#include <QJsonObject>

namespace ck::crypto {

// Throws CryptoError naming what is missing or wrong (a public JWK, an unknown kty or curve, a
// member that is not base64url, a key OpenSSL refuses).
PrivateKey privateKeyFromJwk(const QJsonObject& jwk);

} // namespace ck::crypto
