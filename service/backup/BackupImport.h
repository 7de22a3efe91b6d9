#pragma once
// Importing a backup: first a plan (what would be added, replaced or skipped, and whether the
// edition allows it), shown as the preview and followed by the import itself; then the
// restore, which writes CAs, accounts, credentials and certificate files on the network thread
// and hands back the items for the store to write in one transaction.

#include "acme/AcmeRegistry.h"
#include "backup/BackupContents.h"
#include "credentials/CredentialStore.h"
#include "model/ApiResults.h"

#include <QSet>

namespace ck::backup {

// What this install has already, by id.
struct ExistingIds {
    QSet<QString> items, credentials, authorities, accounts;
};

// The plan is the answer of POST /api/system/import: BackupImport (entries, their action and
// the counts, itemsAdded, limitProblem); the route adds `preview` and the package's facts.
using ImportPlan = BackupImport;

// Whether the plan writes the entry (it adds or replaces it).
bool willWrite(const ImportPlan& plan, const QString& kind, const QString& id);

ImportPlan planImport(const BackupContents& contents, const ExistingIds& existing,
                      bool replaceExisting);

// Writes what the plan says, except the items, and returns the items to store, their file
// paths now in this data directory. Throws a DomainError when something cannot be written.
QList<ManagedCertificate> restoreAllButItems(const BackupContents& contents, const ImportPlan& plan,
                                             const QString& dataDir,
                                             credentials::CredentialStore& credentials,
                                             acme::AcmeRegistry& acme);

} // namespace ck::backup
