#pragma once
// What the running service knows about itself, for GET /api/system/diagnostics. Owned by the
// network thread: only it reads or changes this.

#include "config/ServiceConfig.h"
#include "model/DnsCatalogue.h"
#include "model/ServiceDiagnostics.h"
#include "store/ItemStore.h"

#include <QDateTime>
#include <QList>

namespace ck::api {

struct ServiceState {
    QString dataDir;
    bool systemMode = false;
    QDateTime startedAt;
    ServiceConfig config;
    ServiceDiagnostics::Bind bind;
    QList<store::RecoveryEvent> recovery;
    QString databaseLocation; // the database file, or the PostgreSQL URL (no password)
    store::BackupResult lastBackup;
    QStringList notices;   // start-up notes worth showing (token created, permissions fixed, ...)
    QString outgoingProxy; // OutgoingProxy::describe() of the proxy in use
    // The dns-01 providers: the built-in ones, and lexicon's once they are found (thread-safe).
    LiveDnsCatalogue dnsCatalogue;

    // The diagnostics of this process and its database; the caller adds the edition and the
    // scheduler, which other parts own.
    ServiceDiagnostics diagnostics(const QString& integrity, int itemCount) const;
};

} // namespace ck::api
