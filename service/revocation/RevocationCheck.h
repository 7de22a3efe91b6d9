#pragma once
// One revocation check of one certificate, blocking (run it on a worker pool): the OCSP
// responders the certificate names, else its CRLs, asked in turn until one answers in a way
// that can be believed. The answer is for people too: `message` says who said what.

#include "model/ManagedCertificate.h"

#include <QDateTime>
#include <QString>

namespace ck::revocation {

struct CheckResult {
    // As ManagedCertificate::revocationStatus: "good", "revoked", "unknown", "none", "error".
    QString status;
    QString message;
    QDateTime revokedAt; // when revoked
};

// Reads the item's certificate and chain files and asks the CA. Never throws: a failure is an
// "error" result saying why (no chain file, every responder down or not believable...).
CheckResult checkRevocationBlocking(const ManagedCertificate& item, const QDateTime& now);

} // namespace ck::revocation
