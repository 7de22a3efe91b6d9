#pragma once

// Self-signed certificates: the tls-alpn-01 validation certificate (RFC 8737) and plain
// self-signed server certificates (tests, e.g. Pebble's own TLS certificate, or a placeholder
// until the first issuance).

#include "crypto/PrivateKey.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace ck::crypto {

struct SelfSignedPair {
    PrivateKey key;     // a fresh ECDSA P-256 key
    QByteArray certPem; // the certificate, PEM
};

// RFC 8737 §3: subjectAltName with exactly `dnsName`, and the critical id-pe-acmeIdentifier
// extension (1.3.6.1.5.5.7.1.31) whose extnValue is the DER OCTET STRING of
// SHA-256(keyAuthorization) (04 20 <32 bytes>). Valid from one hour ago (clock skew) for 7 days:
// long enough for a slow validation, short enough to be useless elsewhere.
SelfSignedPair createTlsAlpnCertificate(const QString& dnsName, const QString& keyAuthorization);

// A self-signed server certificate (CA:FALSE, serverAuth) for `names`; entries that are IPv4 or
// IPv6 literals become iPAddress SANs, the rest dNSName. Valid from one hour ago for `days`.
SelfSignedPair createSelfSigned(const QStringList& names, int days);

} // namespace ck::crypto
