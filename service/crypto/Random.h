#pragma once

// Random bytes from OpenSSL's CSPRNG (seeded from the kernel), for key files, nonces, tokens and
// file names.

#include <QByteArray>

namespace ck::crypto {

// `count` random bytes; throws CryptoError if the generator fails (it never silently degrades).
QByteArray randomBytes(int count);

// base64url text of `count` random bytes (e.g. 9 bytes -> 12 characters), safe in file names
// and URLs.
QByteArray randomToken(int count);

} // namespace ck::crypto
