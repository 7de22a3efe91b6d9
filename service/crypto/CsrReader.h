#pragma once
// Reading a CSR someone else made ("your own CSR"): its names and public key, once its signature
// is shown to be by the key it carries, so the CA is sent only a request the key holder signed.

#include <QByteArray>
#include <QStringList>

namespace ck::crypto {

struct CsrInfo {
    QStringList dnsNames;    // subjectAltName dNSName entries, else the subject's CN
    QStringList ipAddresses; // subjectAltName iPAddress entries
    QString keyType;         // "ecdsa-p256", "rsa2048"... (KeyType names); the key's kind
    QByteArray publicKeyDer; // SubjectPublicKeyInfo, to check the issued certificate against
    QByteArray der;          // the request itself, as sent to finalize
};

// Throws CryptoError saying what is wrong in words a user can act on: not a PEM CSR, a signature
// that does not verify, no names, a key that is not RSA 2048-4096 or ECDSA P-256/P-384.
CsrInfo readCsr(const QByteArray& pem);

// Whether the certificate (PEM or DER) carries the CSR's public key.
bool certificateMatchesPublicKey(const QByteArray& certPem, const QByteArray& publicKeyDer);

} // namespace ck::crypto
