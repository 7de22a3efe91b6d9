#pragma once

// Message digests and HMAC through OpenSSL 3's provider APIs (EVP_Q_digest, EVP_MAC).

#include <QByteArray>

namespace ck::crypto {

QByteArray sha256(const QByteArray& data);

// HMAC-SHA256 (RFC 2104) with EVP_MAC; used for the HS256 External Account Binding.
QByteArray hmacSha256(const QByteArray& key, const QByteArray& data);

// Uppercase hex without separators, the form thumbprints are shown in.
QString toUpperHex(const QByteArray& bytes);

} // namespace ck::crypto
