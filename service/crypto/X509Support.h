#pragma once

// Shared X.509 plumbing for the CSR, certificate and self-signed code: loading certificates,
// PEM output, and the subject/subjectAltName rules every certificate or request we build
// follows. Internal to certkeeper-crypto.

#include "crypto/KeyType.h"
#include "crypto/OpenSslPtr.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace ck::crypto {
// The KeyType of any key (a private key, or the public key of a certificate or CSR); std::nullopt
// for a kind or size Certkeeper does not use. Defined in PrivateKey.cpp.
std::optional<KeyType> detectKeyType(EVP_PKEY* key);
} // namespace ck::crypto

namespace ck::crypto::detail {

// One certificate from PEM (the first CERTIFICATE block) or DER; throws CryptoError.
X509Ptr loadCertificate(const QByteArray& pemOrDer);
// The certificates of a PEM bundle, in order; throws if any block does not parse.
X509StackPtr loadCertificateStack(const QList<QByteArray>& pems);
QByteArray certificateToPem(X509* cert);
// An ASN.1 time as a UTC QDateTime; throws CryptoError when it cannot be read.
QDateTime asn1TimeToUtc(const ASN1_TIME* time);

// A DNS name as it goes into a certificate: trimmed, lowercase, IDNs as A-labels ("xn--"),
// a leading "*." wildcard kept. Throws CryptoError on a name that cannot be encoded.
QByteArray encodeDnsName(const QString& name);

// "CN=<first DNS name>" when there is one that fits the 64-character ub-common-name limit,
// else an empty name. Returns whether the name is empty (the SAN must then be critical,
// RFC 5280 §4.2.1.6).
X509NamePtr subjectFor(const QStringList& dnsNames, bool* empty);

// subjectAltName values: dNSName for each DNS name, iPAddress for each IPv4/IPv6 literal.
GeneralNamesPtr subjectAltNames(const QStringList& dnsNames, const QStringList& ipAddresses);

// The OID of id-pe-acmeIdentifier (RFC 8737 §6.1).
inline constexpr const char* kAcmeIdentifierOid = "1.3.6.1.5.5.7.1.31";

} // namespace ck::crypto::detail
