#pragma once
// Importing a backup: first a plan (what would be added, replaced or skipped, and whether the
// edition allows it), shown as the preview and followed by the import itself; then the
// restore, which writes CAs, accounts, credentials and certificate files on the network thread
// and hands back the items for the store to write in one transaction.

#include "acme/AcmeRegistry.h"
#include "backup/BackupContents.h"
#include "credentials/CredentialStore.h"

#include <QJsonObject>
#include <QSet>

namespace ck::backup {

enum class ImportAction { Add, Replace, Skip };

struct PlannedEntry {
    QString kind; // "item", "credential", "certificateAuthority", "account"
    QString id;
    QString title;
    ImportAction action = ImportAction::Add;
};

// What this install has already, by id.
struct ExistingIds {
    QSet<QString> items, credentials, authorities, accounts;
};

struct ImportPlan {
    bool replaceExisting = false;
    QList<PlannedEntry> entries;
    int itemsAdded = 0;   // new managed certificates (they count against the edition's limit)
    QString limitProblem; // why the edition refuses the import, if it does

    bool willWrite(const QString& kind, const QString& id) const;
    // {"existing": "skip"|"replace", "entries": [{kind, id, title, action}],
    //  "counts": {"add", "replace", "skip"}, "limitProblem"?}
    QJsonObject toJson() const;
};

ImportPlan planImport(const BackupContents& contents, const ExistingIds& existing,
                      bool replaceExisting);

// Writes what the plan says, except the items, and returns the items to store, their file
// paths now in this data directory. Throws a DomainError when something cannot be written.
QList<ManagedCertificate> restoreAllButItems(const BackupContents& contents, const ImportPlan& plan,
                                             const QString& dataDir,
                                             credentials::CredentialStore& credentials,
                                             acme::AcmeRegistry& acme);

} // namespace ck::backup
