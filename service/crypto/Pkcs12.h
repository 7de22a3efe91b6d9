#pragma once

// PKCS#12 (.pfx/.p12) export for servers and tools that want key and chain in one file.

#include "crypto/PrivateKey.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace ck::crypto {

// A PKCS#12 file with the key, the leaf (carrying `friendlyName` and a localKeyID tying it to
// the key) and the chain certificates. Encryption: PBES2 with AES-256-CBC and PBKDF2
// (HMAC-SHA256, 2048 iterations) for both the key and the certificate bags; integrity:
// HMAC-SHA256 MAC. These are OpenSSL 3's defaults, set explicitly so they cannot drift. Very old
// readers (Windows Server 2016 and earlier, Java 8 before u301) cannot open AES-encrypted files.
// An empty password produces a file that opens with an empty password. Throws CryptoError.
QByteArray createPkcs12(const PrivateKey& key, const QByteArray& leafPem,
                        const QList<QByteArray>& chainPem, const QString& password,
                        const QString& friendlyName);

} // namespace ck::crypto
