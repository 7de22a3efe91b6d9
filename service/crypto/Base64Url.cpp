#include "crypto/Base64Url.h"

namespace ck::crypto {

QByteArray base64UrlEncode(const QByteArray& data) {
    return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

namespace {

// The 6-bit value of a base64url character, or -1.
int sextet(char c) {
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '-')
        return 62;
    if (c == '_')
        return 63;
    return -1;
}

} // namespace

std::optional<QByteArray> base64UrlDecode(const QByteArray& text) {
    // Hand-written because Qt's decoder tolerates padding and non-zero trailing bits, and a
    // JWS or an EAB key that is not canonical base64url is a client bug worth reporting.
    if (text.size() % 4 == 1)
        return std::nullopt;
    QByteArray out;
    out.reserve(text.size() * 3 / 4);
    unsigned accumulator = 0;
    int bits = 0;
    for (const char c : text) {
        const int value = sextet(c);
        if (value < 0)
            return std::nullopt;
        accumulator = (accumulator << 6) | static_cast<unsigned>(value);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.append(static_cast<char>((accumulator >> bits) & 0xFFu));
        }
    }
    // 2 or 4 bits are left over for inputs of length 2 or 3 (mod 4); they must be zero.
    if ((accumulator & ((1u << bits) - 1u)) != 0)
        return std::nullopt;
    return out;
}

} // namespace ck::crypto
