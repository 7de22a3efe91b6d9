#pragma once
// What a backup package carries, decoded: the managed certificates with their certificate and
// key files, the stored credentials with their secrets (the package's encryption protects them
// instead of machine.key, which stays behind), custom CAs with their trusted roots, and ACME
// accounts with their keys. Not the license: an activation belongs to one install.

#include "model/ApiResults.h"
#include "model/CertificateAuthority.h"
#include "model/ManagedCertificate.h"
#include "model/StoredCredential.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMap>

#include <optional>

namespace ck::backup {

inline constexpr int kContentsFormat = 1;

struct PackagedFile {
    QString name; // the file name it had (no directory)
    QByteArray data;
};

struct PackagedItem {
    ManagedCertificate item;
    QMap<QString, PackagedFile>
        files; // by item field: "certificatePath", "certificateKeyPath", ...
};

struct PackagedCredential {
    StoredCredential credential;
    QJsonObject values; // every field, secrets opened
};

struct PackagedAuthority {
    CertificateAuthority ca;
    QByteArray trustedRoot; // PEM of its trustedRootFile, when it has one
};

struct PackagedAccount {
    AcmeAccount account;
    QByteArray keyPem;
};

struct BackupContents {
    QDateTime createdAt;
    QString sourceInstallId;
    QString productVersion;
    QList<PackagedItem> items;
    QList<PackagedCredential> credentials;
    QList<PackagedAuthority> authorities;
    QList<PackagedAccount> accounts;

    QJsonObject toJson() const;
    // Strict: anything of the wrong type, a file name with a directory in it, or an entry
    // without an id is a problem, and nothing is returned.
    static std::optional<BackupContents> fromJson(const QJsonObject& o, QString* problem);
    BackupExport::Counts counts() const;
};

// The item with the files its path fields name, read from disk. A file that cannot be read is
// left out and named in `missing`.
PackagedItem packItem(const ManagedCertificate& item, QStringList* missing);

// The item fields that name files of the current certificate.
const QList<std::pair<const char*, QString ManagedCertificate::*>>& itemFileFields();

} // namespace ck::backup
