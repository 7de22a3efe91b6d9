#pragma once
// AWS Signature Version 4
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html) for
// requests to AWS APIs (Route 53), with OpenSSL's SHA-256 and HMAC (crypto/Digest.h). The signed
// headers are host and x-amz-date (and x-amz-security-token with temporary keys); the payload is
// hashed into the canonical request. Checked against AWS's published test suite.

#include "net/CurlTransfer.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QUrl>

namespace ck::dnsapi::sigv4 {

struct Key {
    QString accessKeyId;
    QString secretAccessKey; // a secret: only ever an HMAC key
    QString sessionToken;    // temporary credentials (STS); empty for an IAM user's key
};

struct Scope {
    QString region;  // "us-east-1"
    QString service; // "route53"
};

// The canonical request of RFC-style step 1: method, canonical URI, sorted query, the signed
// headers (names lower case, sorted, values trimmed), their names, and hex SHA-256 of the payload.
// `headers` are the ones to sign; `signedNames` receives "host;x-amz-date".
QByteArray canonicalRequest(const QString& method, const QUrl& url,
                            const QList<QPair<QByteArray, QByteArray>>& headers,
                            const QByteArray& payload, QByteArray* signedNames);
// kSigning = HMAC chain over the date ("20150830"), region, service and "aws4_request".
QByteArray signingKey(const QString& secretAccessKey, const QString& date, const Scope& scope);
// The Host header's value for `url`: the host, with the port when it is not the scheme's.
QByteArray hostHeader(const QUrl& url);

// Signs `request` (its method, url and body) at `now`: adds X-Amz-Date, X-Amz-Security-Token
// when there is one, and Authorization.
void sign(net::OutgoingHttp& request, const Key& key, const Scope& scope, const QDateTime& now);

} // namespace ck::dnsapi::sigv4
