#pragma once

// Reading issued certificates: PEM bundles, the facts the app and renewal need, chain
// verification and the key match check after download.

#include "crypto/PrivateKey.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

namespace ck::crypto {

struct CertificateInfo {
    QDateTime notBefore; // UTC
    QDateTime notAfter;  // UTC
    // Lowercase hex, no separators, no leading zeros: the form Pebble 2.4's
    // /cert-status-by-serial/ answers with (Go big.Int.Text(16)) and accepts (it parses base 16,
    // so any case and leading zeros would work too).
    QString serialHex;
    QString issuer;  // one-line RFC 2253 DN, most specific first: "CN=R3,O=Let's Encrypt,C=US"
    QString subject; // same form; may be empty
    QString issuerCommonName;
    QString subjectCommonName;
    QStringList dnsNames;     // subjectAltName dNSName entries, in certificate order
    QStringList ipAddresses;  // subjectAltName iPAddress entries ("192.0.2.1", "2001:db8::1")
    QString sha256Thumbprint; // uppercase hex of SHA-256 over the DER
    QString sha1Thumbprint;   // uppercase hex of SHA-1 over the DER (what Windows tools show)
};

// Every "-----BEGIN CERTIFICATE-----" block of `pem`, in order, each normalised to LF line
// endings and ending in a newline. Text between and around blocks (and CRLF) is tolerated; the
// blocks themselves are not parsed here.
QList<QByteArray> splitPemChain(const QByteArray& pem);

// Parses one certificate (PEM: the first certificate block; or DER). Throws CryptoError.
CertificateInfo parseCertificate(const QByteArray& pemOrDer);

// DER of a PEM or DER certificate (revocation posts the DER). Throws CryptoError.
QByteArray certificateToDer(const QByteArray& pemOrDer);

struct VerifyResult {
    bool ok = false;
    QString error; // OpenSSL's reason and the depth/subject it failed at; empty when ok
};

// Verifies leaf -> intermediates -> one of trustedRootsPem for TLS server use (purpose
// sslserver), at the current time. An empty trustedRootsPem means the system trust store.
// Unparseable input is reported in the result, not thrown.
VerifyResult verifyChain(const QByteArray& leafPem, const QList<QByteArray>& intermediatesPem,
                         const QList<QByteArray>& trustedRootsPem);

// Whether the certificate signed itself (a root CA). False on unparseable input.
bool isSelfSigned(const QByteArray& certPem);

// The root CA certificate (PEM) above the last certificate of `chainPem`: that certificate
// itself when it is self-signed, else its issuer in the system trust store (OpenSSL's default
// paths, so SSL_CERT_FILE and SSL_CERT_DIR are honoured). Empty when neither has it: ACME CAs
// send the chain without the root, and a test CA's root is in no trust store.
QByteArray findChainRoot(const QList<QByteArray>& chainPem);

// Whether the certificate's public key is the public half of `key`. False on unparseable input.
bool certificateMatchesKey(const QByteArray& certPem, const PrivateKey& key);

} // namespace ck::crypto
