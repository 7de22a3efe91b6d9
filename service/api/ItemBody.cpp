#include "api/ItemBody.h"

#include "DomainError.h"
#include "api/RequestDecode.h"
#include "base/PathSafety.h"
#include "crypto/CryptoError.h"
#include "crypto/CsrReader.h"
#include "model/DeploymentTaskTypes.h"
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

namespace {
// "Your own CSR": the names are the CSR's, whatever the body said, once its signature verifies;
// and no task may need the private key the service does not have.
QList<FieldError> applyOwnCsr(ManagedCertificate& item) {
    RequestConfig& rc = item.requestConfig;
    rc.csrPem = rc.csrPem.trimmed();
    if (rc.csrPem.isEmpty())
        return {};
    const QString field = QStringLiteral("requestConfig.csrPem");
    crypto::CsrInfo csr;
    try {
        csr = crypto::readCsr(rc.csrPem.toLatin1());
    } catch (const crypto::CryptoError& e) {
        return {{field, QString::fromUtf8(e.what())}};
    }
    rc.primaryDomain = csr.dnsNames.value(0);
    rc.subjectAlternativeNames = csr.dnsNames;
    rc.ipIdentifiers = csr.ipAddresses;
    rc.keyAlgorithm = csr.keyType; // what the key is; the service makes none
    rc.reusePrivateKey = false;
    QList<FieldError> errors;
    auto checkTasks = [&](const QList<DeploymentTask>& tasks, const QString& listField) {
        for (qsizetype i = 0; i < tasks.size(); ++i) {
            const QString format = taskParameter(tasks[i], QStringLiteral("format")).toString();
            if (tasks[i].type == task_types::kExport && exportFormatHoldsKey(format))
                errors.append({QStringLiteral("%1[%2].parameters.format").arg(listField).arg(i),
                               QStringLiteral("The certificate is requested with your own CSR, so "
                                              "Certkeeper has no private key to export as '%1'; "
                                              "export the certificate (pemcrt, pemfullchain) and "
                                              "keep the key where you made the CSR")
                                   .arg(format)});
        }
    };
    checkTasks(item.preRequestTasks, QStringLiteral("preRequestTasks"));
    checkTasks(item.postRequestTasks, QStringLiteral("postRequestTasks"));
    return errors;
}
} // namespace

ManagedCertificate itemFromJson(const QJsonObject& body, const QString& dataDir,
                                const DnsCatalogue& dns) {
    ManagedCertificate item = decodeOrRefuse(body, managedCertificateFromJson);
    // Names that would break a log line are malformed input, like a wrong type.
    refuseIfMalformed(checkItemNames(item));
    if (const QList<FieldError> csrErrors = applyOwnCsr(item); !csrErrors.isEmpty())
        throw InvalidInputError(csrErrors);
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
