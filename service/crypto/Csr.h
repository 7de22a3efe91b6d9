#pragma once

// PKCS#10 certificate signing requests for ACME finalize (RFC 8555 §7.4).

#include "crypto/PrivateKey.h"

#include <QByteArray>
#include <QStringList>

namespace ck::crypto {

// DER CSR signed with SHA-256 by `key`. Subject CN = the first DNS name when it fits 64
// characters, else an empty subject (with a critical SAN, RFC 5280 §4.2.1.6). subjectAltName
// carries every DNS name (IDNs as A-labels) and IP address (RFC 8738). ACME takes the
// identifiers from the SAN, so the CN is only for software that still reads it.
QByteArray createCsrDer(const PrivateKey& key, const QStringList& dnsNames,
                        const QStringList& ipAddresses = {});

} // namespace ck::crypto
