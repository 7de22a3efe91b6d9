#pragma once
// The export task: the item's certificate, chain or key in one of the formats users know
// (pemcrt, pemchain, pemintermediates, pemkey, pemfull, pemfullnokey,
// pemfullchain, pfxfull), written to the
// destination atomically (a temporary beside it, owner and mode set, then renamed over it), so a
// server reading the file never sees half of it or the wrong permissions. Blocking.

#include "deploy/TaskOutcome.h"
#include "deploy/TaskSettings.h"
#include "model/ManagedCertificate.h"

#include <QByteArray>
#include <QList>

namespace ck::deploy {

struct CertificateMaterial {
    QByteArray leafPem;
    QList<QByteArray> intermediatesPem; // what the CA sent, without a self-signed root
    QByteArray rootPem;                 // the root when the CA sent it or the system trusts it
    QByteArray keyPem;
};

// The item's current certificate files; an empty leaf and *error set when they cannot be read.
CertificateMaterial loadCertificateMaterial(const ManagedCertificate& item, QString* error);

// The file content for `format`; empty for an unknown format. Throws crypto::CryptoError.
QByteArray exportContent(const QString& format, const CertificateMaterial& material,
                         const QString& pfxPassword, const QString& friendlyName);

// "the certificate and chain" for a format, to say what a file holds.
QString describeFormat(const QString& format);

struct Ownership {
    int uid = -1; // -1: unchanged (the service's own)
    int gid = -1;
    QString error;
};
// A user and group by name or number; an unknown one is an error naming it.
Ownership resolveOwnership(const QString& owner, const QString& group);

// Every problem that would stop the export before anything is written: format, path (never
// into `dataDir`, the service's data directory, links followed), folder, mode, owner. Empty when
// there is none.
QString exportPreconditionError(const ExportSettings& settings, const QString& dataDir);

// Writes the export; the password is only used for pfxfull (never logged). The destination is
// checked against `dataDir` again just before the write: a link may have appeared since the
// item was saved.
TaskOutcome exportCertificateBlocking(const ExportSettings& settings,
                                      const ManagedCertificate& item, const QString& pfxPassword,
                                      const QString& dataDir);

} // namespace ck::deploy
