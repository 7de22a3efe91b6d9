#pragma once

// Helpers for crypto_tests: independent checks through OpenSSL's EVP API and the openssl
// command-line tool, and scratch files.

#include "crypto/OpenSslPtr.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace ck::crypto::test {

struct ProcessResult {
    int exitCode = -1;
    QByteArray output; // stdout and stderr together, for failure messages
};

// Runs /usr/bin/openssl with `args` (no shell) and `input` on stdin.
ProcessResult runOpenssl(const QStringList& args, const QByteArray& input = {});

// Writes `data` to `path`; throws std::runtime_error on failure.
void writeFile(const QString& path, const QByteArray& data);
QByteArray readFile(const QString& path);

// The public key from DER SubjectPublicKeyInfo.
EvpPkeyPtr publicKeyFromDer(const QByteArray& der);

// Verifies a JWS signature as a relying party would: RSA PKCS#1 v1.5, or ECDSA after turning the
// fixed-size r||s back into DER. `digest` is "SHA256" or "SHA384".
bool verifyJoseSignature(EVP_PKEY* publicKey, const char* digest, const QByteArray& data,
                         const QByteArray& joseSignature, bool ecdsa);

// A minimal X.509 chain made by the openssl tool: root CA -> intermediate CA -> leaf for
// `leafName`, all PEM.
struct TestChain {
    QByteArray rootPem, intermediatePem, leafPem, leafKeyPem;
};
// `leafExtensions`: more openssl.cnf extension lines for the leaf (authorityInfoAccess=...).
TestChain makeChainWithOpenssl(const QString& dir, const QString& leafName,
                               const QByteArray& leafExtensions = {});

// Another leaf for `leafName`, issued by the intermediate that makeChainWithOpenssl left in
// `dir`, valid from now + notBeforeDays to now + notAfterDays (negative = in the past: the
// openssl tool cannot back-date, so this uses the OpenSSL API) with the given
// extendedKeyUsage (openssl.cnf syntax). PEM; throws std::runtime_error on failure.
QByteArray issueLeafWithApi(const QString& dir, const QString& leafName, long notBeforeDays,
                            long notAfterDays, const char* extendedKeyUsage = "serverAuth");

} // namespace ck::crypto::test
