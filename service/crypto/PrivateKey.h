#pragma once

// A private key (RSA or ECDSA) for ACME accounts and certificates: generation, PEM I/O, its
// public JWK and thumbprint (RFC 7638) and JWS signatures (RFC 7518).

#include "crypto/Base64Url.h"
#include "crypto/KeyType.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <memory>

#include <openssl/types.h>

namespace ck::crypto {

class PrivateKey {
public:
    // A null key; every operation on it throws CryptoError. Also the moved-from state.
    PrivateKey();
    ~PrivateKey();
    PrivateKey(PrivateKey&&) noexcept;
    PrivateKey& operator=(PrivateKey&&) noexcept;
    PrivateKey(const PrivateKey&) = delete;
    PrivateKey& operator=(const PrivateKey&) = delete;

    static PrivateKey generate(KeyType type);
    // PKCS#8 ("PRIVATE KEY") or traditional ("RSA PRIVATE KEY", "EC PRIVATE KEY"); other PEM
    // blocks before the key (e.g. a certificate) are skipped. Throws CryptoError on garbage, on
    // an encrypted key (we never prompt), and on a key that is not one of the KeyTypes.
    static PrivateKey fromPem(const QByteArray& pem);
    // Takes ownership of `key` (which must be one of the KeyTypes; throws otherwise).
    static PrivateKey adopt(EVP_PKEY* key);

    bool isNull() const { return !m_key; }
    KeyType type() const;
    // Unencrypted PKCS#8 PEM; the caller writes it with writePrivateFile (0600).
    QByteArray toPem() const;
    // DER SubjectPublicKeyInfo: compare keys (keyChange, reuse) without the private half.
    QByteArray publicKeyDer() const;

    // RFC 7638 required members only: EC {crv,kty,x,y} (x/y padded to the field size),
    // RSA {e,kty,n} (minimal big-endian).
    QJsonObject publicJwk() const;
    // base64url(SHA-256(canonical JWK JSON)), the account part of a key authorization.
    QString jwkThumbprint() const;
    // "ES256" (P-256), "ES384" (P-384) or "RS256" (RSA).
    QString jwsAlgorithm() const;
    // A JWS signature over `data`: RSASSA-PKCS1-v1_5 bytes, or ECDSA as fixed-size r||s (64 bytes
    // for ES256, 96 for ES384) rather than OpenSSL's DER.
    QByteArray sign(const QByteArray& data) const;

    // Borrowed pointer for other OpenSSL calls; stays owned by this object.
    EVP_PKEY* native() const { return m_key.get(); }

private:
    struct Free {
        void operator()(EVP_PKEY* key) const;
    };
    PrivateKey(EVP_PKEY* key, KeyType type);
    EVP_PKEY* checked() const;

    std::unique_ptr<EVP_PKEY, Free> m_key;
    KeyType m_type = KeyType::EcP256;
};

} // namespace ck::crypto
