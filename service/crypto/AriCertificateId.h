#pragma once

// The certificate identifier of ACME Renewal Information (RFC 9773 §4.1): how a client names one
// of its certificates to the CA, both in `GET <renewalInfo>/<id>` and in newOrder's `replaces`.

#include <QByteArray>
#include <QString>

namespace ck::crypto {

// base64url(keyIdentifier of the Authority Key Identifier extension) "." base64url(the content
// octets of the DER-encoded serial number, a leading 0x00 included when DER has one), both without
// padding. Throws CryptoError when the certificate does not parse or carries no AKI keyIdentifier
// (RFC 9773 then offers no way to name it).
QString ariCertificateId(const QByteArray& certificatePemOrDer);

} // namespace ck::crypto
