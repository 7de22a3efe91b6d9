#include "api/ItemBody.h"

#include "DomainError.h"
#include "api/RequestDecode.h"
#include "base/PathSafety.h"
#include "model/ServerTaskTypes.h"
#include "model/TaskValidation.h"
#include "model/Validation.h"

namespace ck::api {

QList<FieldError> dataDirProblems(const ManagedCertificate& item, const QString& dataDir) {
    QList<FieldError> errors;
    const auto& challenges = item.requestConfig.challenges;
    for (qsizetype i = 0; i < challenges.size(); ++i) {
        const QString problem =
            dataDirProblem(QStringLiteral("The webroot"), challenges[i].webrootPath, dataDir);
        if (!problem.isEmpty())
            errors.append(
                {QStringLiteral("requestConfig.challenges[%1].webrootPath").arg(i), problem});
    }
    auto checkTasks = [&](const QList<DeploymentTask>& tasks, const QString& listField) {
        for (qsizetype i = 0; i < tasks.size(); ++i) {
            const QStringList keys = tasks[i].type == task_types::kExport
                                         ? QStringList{QStringLiteral("path")}
                                         : serverTaskFileKeys(tasks[i].type);
            for (const QString& key : keys) {
                const QString problem =
                    dataDirProblem(QStringLiteral("The export destination"),
                                   taskParameter(tasks[i], key).toString(), dataDir);
                if (!problem.isEmpty())
                    errors.append(
                        {QStringLiteral("%1[%2].parameters.%3").arg(listField).arg(i).arg(key),
                         problem});
            }
        }
    };
    checkTasks(item.preRequestTasks, QStringLiteral("preRequestTasks"));
    checkTasks(item.postRequestTasks, QStringLiteral("postRequestTasks"));
    return errors;
}

ManagedCertificate itemFromJson(const QJsonObject& body, const QString& dataDir,
                                const DnsCatalogue& dns) {
    ManagedCertificate item = decodeOrRefuse(body, managedCertificateFromJson);
    // Names that would break a log line are malformed input, like a wrong type.
    refuseIfMalformed(checkItemNames(item));
    refuseIfInvalid(validateManagedCertificate(item, dns) + dataDirProblems(item, dataDir));
    assignMissingTaskIds(item);
    return item;
}

void keepServiceOwnedFields(ManagedCertificate& incoming, const ManagedCertificate& stored) {
    ManagedCertificate merged = stored;
    merged.name = incoming.name;
    merged.comments = incoming.comments;
    merged.version = incoming.version;
    merged.includeInAutoRenew = incoming.includeInAutoRenew;
    merged.certificateAuthorityId = incoming.certificateAuthorityId;
    merged.useStagingMode = incoming.useStagingMode;
    merged.requestConfig = incoming.requestConfig;
    merged.preRequestTasks = incoming.preRequestTasks;
    merged.postRequestTasks = incoming.postRequestTasks;
    merged.renewalOverride = incoming.renewalOverride;
    merged.notificationOverride = incoming.notificationOverride;
    incoming = merged;
}

} // namespace ck::api
