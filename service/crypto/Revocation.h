#pragma once

// Whether a certificate is revoked, as its CA says: the OCSP request to send, and the CA's
// answer (an OCSP response or a CRL) read and checked. The transport is the caller's.
//
// An answer is believed only when the certificate's issuer signed it (or a responder the issuer
// delegated OCSP signing to), it is about this certificate, and it is current: a forged or
// stale "good" must not hide a revocation, and a forged "revoked" must not trigger renewals.

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QStringList>

namespace ck::crypto {

struct RevocationAnswer {
    enum class Status { Good, Revoked, Unknown };
    Status status = Status::Unknown;
    QDateTime revokedAt; // when Revoked
    QString reason;      // when Revoked and the CA gave one: "keyCompromise", "superseded", ...
    QDateTime thisUpdate;
    QDateTime nextUpdate; // invalid when the CA gave none
};

// Where the CA answers about `leafPem`: the OCSP responders (authorityInfoAccess) and the CRLs
// (cRLDistributionPoints, http URLs only). Empty when it names none. Throws CryptoError when
// the certificate does not parse.
QStringList ocspResponderUrls(const QByteArray& leafPem);
QStringList crlUrls(const QByteArray& leafPem);

// An OCSP request (DER) for `leafPem` issued by `issuerPem`, SHA-1 CertID as RFC 6960 responders
// expect, without a nonce (CAs' responders answer from caches and ignore nonces).
QByteArray ocspRequest(const QByteArray& leafPem, const QByteArray& issuerPem);

// Reads an OCSP response (DER). Throws CryptoError saying what is wrong: not successful (the
// responder's status), not signed by the issuer or its delegated responder, not about this
// certificate, or out of date at `now` (five minutes of clock skew allowed).
RevocationAnswer readOcspResponse(const QByteArray& responseDer, const QByteArray& leafPem,
                                  const QByteArray& issuerPem, const QDateTime& now);

// Reads a CRL (DER or PEM) for `leafPem`: Revoked when its serial is listed, else Good. Throws
// CryptoError when the CRL does not parse, is not signed by the issuer, or is out of date.
RevocationAnswer readCrl(const QByteArray& crl, const QByteArray& leafPem,
                         const QByteArray& issuerPem, const QDateTime& now);

// "good", "revoked", "unknown".
QString revocationStatusName(RevocationAnswer::Status status);

} // namespace ck::crypto
