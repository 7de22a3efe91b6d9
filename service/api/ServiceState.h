#pragma once
// What the running service knows about itself, for GET /api/system/diagnostics. Owned by the
// network thread: only it reads or changes this.

#include "config/ServiceConfig.h"
#include "store/ItemStore.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>

namespace ck::api {

struct BindInfo {
    QString host;
    int requestedPort = 0;
    int boundPort = 0;
    bool negotiated = false;
    QString reason;
};

struct ServiceState {
    QString dataDir;
    bool systemMode = false;
    QDateTime startedAt;
    ServiceConfig config;
    BindInfo bind;
    QList<store::RecoveryEvent> recovery;
    store::BackupResult lastBackup;
    QStringList notices; // start-up notes worth showing (token created, permissions fixed, ...)

    QJsonObject toDiagnosticsJson(const QString& integrity, int itemCount) const;
};

} // namespace ck::api
