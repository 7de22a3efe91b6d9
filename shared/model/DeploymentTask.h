#pragma once
// A deployment task: one step run before a request (pre-request) or after it (post-request),
// such as exporting the certificate to where nginx reads it, then reloading nginx. Tasks run in
// their list's order; each one's trigger decides whether it runs for a given outcome.

#include "ApiError.h"

#include <QJsonObject>
#include <QString>

#include <optional>

namespace ck {

class JsonReader;

enum class TaskTrigger {
    OnSuccess, // after a successful request (pre-request tasks: before every request)
    OnError,   // only after a failed request
    Always,    // whatever the outcome
    Manual     // only when run by hand (deploy endpoint, "run now")
};
QString toString(TaskTrigger t);
std::optional<TaskTrigger> taskTriggerFromString(const QString& s);

// The task types the service knows; their parameters are described by GET
// /api/deploymenttasks/types so the app can build a form for each.
namespace task_types {
inline const QString kExport = QStringLiteral("export");
inline const QString kScript = QStringLiteral("script");
inline const QString kReload = QStringLiteral("reload");
inline const QString kWebhook = QStringLiteral("webhook");
inline const QString kWait = QStringLiteral("wait");
} // namespace task_types

struct DeploymentTask {
    QString id; // stable; the service assigns one when a new task arrives without it
    QString name;
    QString type;
    TaskTrigger trigger = TaskTrigger::OnSuccess;
    bool enabled = true;
    // A failing fatal pre-request task stops the request; a failing fatal post-request task
    // stops the tasks after it (unless they run even if a previous one failed).
    bool fatalOnError = true;
    bool runIfPreviousFailed = false;
    int retries = 0; // further attempts after a failure
    int retryDelaySeconds = 5;
    QJsonObject parameters; // type-specific; never secrets (those are credential ids)
    QJsonObject extra;      // fields this version does not know (see ManagedCertificate::extra)

    bool operator==(const DeploymentTask&) const = default;
};

QJsonObject toJson(const DeploymentTask& t);
void readDeploymentTask(JsonReader& r, DeploymentTask& t);

} // namespace ck
