#pragma once

// Ed25519 signatures (RFC 8032) through OpenSSL 3: the vendor signs license keys offline with a
// private key that never ships; the service verifies them with the public key built into it.

#include <QByteArray>

namespace ck::crypto {

inline constexpr int kEd25519PublicKeySize = 32;
inline constexpr int kEd25519SignatureSize = 64;

struct Ed25519KeyPair {
    QByteArray privateKeyPem; // PKCS#8 PEM, unencrypted: write it with writePrivateFile
    QByteArray publicKey;     // the raw 32 bytes
};

// A new key pair from OpenSSL's CSPRNG. Throws CryptoError.
Ed25519KeyPair ed25519Generate();

// The raw public key of a PKCS#8 Ed25519 private key in PEM (text before the PEM block, such as
// a warning comment, is skipped). Throws CryptoError when it is not an Ed25519 private key.
QByteArray ed25519PublicKey(const QByteArray& privateKeyPem);

// The 64-byte signature of `message`. Throws CryptoError when the PEM is not an Ed25519 key.
QByteArray ed25519Sign(const QByteArray& privateKeyPem, const QByteArray& message);

// Whether `signature` is a valid signature of `message` under the raw 32-byte `publicKey`.
// False (never an exception) for a wrong size, a bad key or a bad signature.
bool ed25519Verify(const QByteArray& publicKey, const QByteArray& message,
                   const QByteArray& signature);

} // namespace ck::crypto
