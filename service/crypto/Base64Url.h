#pragma once

// base64url without padding (RFC 4648 §5, RFC 7515 §2): the encoding of every JOSE member and
// of the ACME key authorization digest.

#include <QByteArray>

#include <optional>

namespace ck::crypto {

QByteArray base64UrlEncode(const QByteArray& data);

// Strict decoder: only the URL-safe alphabet, no padding, no whitespace, and the unused low
// bits of the last character must be zero (so every byte string has exactly one encoding).
// Anything else is std::nullopt.
std::optional<QByteArray> base64UrlDecode(const QByteArray& text);

} // namespace ck::crypto
