#pragma once

// Files a user names as extra roots to trust (a private CA's root for its ACME server's TLS).
// Only certificates are accepted: a path is easy to mistype, and whatever the file held would be
// kept in the CA's record and carried to other installs by backups.

#include <QByteArray>
#include <QString>

namespace ck::crypto {

struct TrustedRoots {
    QByteArray pem;  // the certificates, re-encoded from the parsed X.509 objects
    QString problem; // why the text was refused, in words that follow "The file X"; empty if ok
    bool ok() const { return problem.isEmpty(); }
};

// Accepts text holding one or more "-----BEGIN CERTIFICATE-----" blocks, each an X.509
// certificate, and nothing else but blank lines and comments between them: a private key or any
// other PEM block is refused ("holds a private key"), as is text without a certificate ("is not
// a PEM certificate").
TrustedRoots parseTrustedRoots(const QByteArray& text);

} // namespace ck::crypto
