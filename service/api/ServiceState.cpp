#include "api/ServiceState.h"

#include "config/DataPaths.h"

#include <QCoreApplication>

namespace ck::api {

ServiceDiagnostics ServiceState::diagnostics(const QString& integrity, int itemCount) const {
    ServiceDiagnostics d;
    d.product = QStringLiteral("Certkeeper");
    d.version = QStringLiteral(CERTKEEPER_VERSION);
    d.pid = QCoreApplication::applicationPid();
    d.dataDir = dataDir;
    d.systemMode = systemMode;
    d.startedAt = startedAt;
    d.config = config;
    d.bind = bind;
    d.database = {paths::file(dataDir, paths::kDatabase), integrity, itemCount, lastBackup,
                  recovery};
    d.notices = notices;
    return d;
}

} // namespace ck::api
