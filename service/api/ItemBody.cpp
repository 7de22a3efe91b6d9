#include "ItemBody.h"

#include "TaskValidation.h"
#include "Validation.h"

namespace ck {

ManagedCertificate itemFromJson(const QJsonObject& body) {
    QList<FieldError> typeErrors;
    ManagedCertificate item = managedCertificateFromJson(body, &typeErrors);
    if (!typeErrors.isEmpty()) {
        ApiError e = ApiError::validation(typeErrors);
        e.kind = ApiError::Kind::BadRequest;
        throw e;
    }
    // Names that would break a log line are malformed input, like a wrong type.
    if (const auto badNames = checkItemNames(item); !badNames.isEmpty()) {
        ApiError e = ApiError::validation(badNames);
        e.kind = ApiError::Kind::BadRequest;
        throw e;
    }
    auto problems = validateManagedCertificate(item);
    if (!problems.isEmpty())
        throw ApiError::validation(problems);
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

} // namespace ck
