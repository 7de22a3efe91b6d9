#pragma once

// Keys from passphrases, through OpenSSL 3's EVP_KDF: scrypt (RFC 7914), memory-hard, for backup
// packages; PBKDF2-HMAC-SHA256 (RFC 8018) for readers that cannot do scrypt. Both slow by design.

#include <QByteArray>

namespace ck::crypto {

struct ScryptParams {
    quint64 n = quint64(1) << 17; // CPU/memory cost (a power of two): 128 MiB with r = 8
    quint32 r = 8;                // block size
    quint32 p = 1;                // parallelism

    // Bounds for parameters read from a file, so that a hostile package cannot make the service
    // allocate gigabytes or spin for hours: N up to 2^20, r up to 32, p up to 16, and at most
    // 1 GiB of memory.
    bool withinLimits() const;
    quint64 memoryBytes() const { return 128 * quint64(r) * (n + quint64(p) + 2); }
};

// `length` bytes derived from `passphrase` and `salt`. Throws CryptoError.
QByteArray scrypt(const QByteArray& passphrase, const QByteArray& salt, const ScryptParams& params,
                  int length);

QByteArray pbkdf2Sha256(const QByteArray& passphrase, const QByteArray& salt, quint32 iterations,
                        int length);

} // namespace ck::crypto
