#include "api/ServiceState.h"

#include "config/DataPaths.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace ck::api {

QJsonObject ServiceState::toDiagnosticsJson(const QString& integrity, int itemCount) const {
    QJsonArray recoveryJson;
    for (const auto& e : recovery)
        recoveryJson.append(e.toJson());
    const QJsonObject backup{
        {"ok", lastBackup.ok},
        {"path", lastBackup.path},
        {"time", lastBackup.time.isValid()
                     ? QJsonValue(lastBackup.time.toUTC().toString(Qt::ISODateWithMs))
                     : QJsonValue()},
        {"rows", lastBackup.rows},
        {"error", lastBackup.error}};
    return {{"product", "Certkeeper"},
            {"version", QStringLiteral(CERTKEEPER_VERSION)},
            {"pid", QCoreApplication::applicationPid()},
            {"dataDir", dataDir},
            {"systemMode", systemMode},
            {"startedAt", startedAt.toUTC().toString(Qt::ISODateWithMs)},
            {"config", config.toJson()},
            {"bind", QJsonObject{{"host", bind.host},
                                 {"requestedPort", bind.requestedPort},
                                 {"boundPort", bind.boundPort},
                                 {"negotiated", bind.negotiated},
                                 {"reason", bind.reason}}},
            {"database", QJsonObject{{"path", paths::file(dataDir, paths::kDatabase)},
                                     {"integrity", integrity},
                                     {"itemCount", itemCount},
                                     {"lastBackup", backup},
                                     {"recovery", recoveryJson}}},
            {"notices", QJsonArray::fromStringList(notices)}};
}

} // namespace ck::api
