#include "model/ManagedCertificate.h"

#include "model/EnumNames.h"
#include "model/JsonReader.h"

#include <QJsonArray>

namespace ck {

namespace {
constexpr const char* kRequestStates[] = {"NotRunning", "Queued", "Running", "Paused",
                                          "Warning",    "Error",  "Success", "Skipped"};
constexpr const char* kHealthNames[] = {"OK", "Warning", "Error", "AwaitingUser", "NotYetIssued"};

// Fractions of the certificate's lifetime after which the list warns, then shows an error.
constexpr double kWarnElapsed = 0.75;
constexpr double kErrorElapsed = 0.95;
constexpr int kFailuresForError = 5;
} // namespace

QString toString(RequestState s) {
    return enumName(kRequestStates, s);
}
std::optional<RequestState> requestStateFromString(const QString& s) {
    return enumFromName<RequestState>(kRequestStates, s);
}
QString toString(Health h) {
    return enumName(kHealthNames, h);
}
std::optional<Health> healthFromString(const QString& s) {
    return enumFromName<Health>(kHealthNames, s);
}
QStringList allHealthNames() {
    QStringList names;
    for (const char* n : kHealthNames)
        names.append(QLatin1String(n));
    return names;
}

QStringList ManagedCertificate::domains() const {
    QStringList names;
    const auto& rc = requestConfig;
    if (!rc.primaryDomain.isEmpty())
        names.append(rc.primaryDomain);
    for (const auto& n : rc.subjectAlternativeNames)
        if (n.compare(rc.primaryDomain, Qt::CaseInsensitive) != 0)
            names.append(n);
    return names;
}

Health ManagedCertificate::health(const QDateTime& now) const {
    if (lastRenewalStatus == RequestState::Paused)
        return Health::AwaitingUser;
    if (!dateExpiry.isValid())
        return lastRenewalStatus == RequestState::Error ? Health::Error : Health::NotYetIssued;
    if (certificateRevoked || now >= dateExpiry || renewalFailureCount > kFailuresForError)
        return Health::Error;
    double elapsed = 0;
    if (dateStart.isValid() && dateStart < dateExpiry)
        elapsed = double(dateStart.msecsTo(now)) / double(dateStart.msecsTo(dateExpiry));
    if (elapsed >= kErrorElapsed)
        return Health::Error;
    if (elapsed >= kWarnElapsed || lastRenewalStatus == RequestState::Error ||
        lastRenewalStatus == RequestState::Warning)
        return Health::Warning;
    return Health::Ok;
}

QJsonObject toJson(const ChallengeConfig& c) {
    return withExtra({{"type", c.type},
                      {"domainMatch", c.domainMatch},
                      {"provider", c.provider},
                      {"credentialId", c.credentialId},
                      {"webrootPath", c.webrootPath},
                      {"parameters", c.parameters},
                      {"delegatedTo", c.delegatedTo}},
                     c.extra);
}

QJsonObject toJson(const RequestConfig& c) {
    QJsonArray challenges;
    for (const auto& ch : c.challenges)
        challenges.append(toJson(ch));
    QJsonObject extra = c.extra;
    if (!c.csrPem.isEmpty()) // only then: items without one keep the JSON they always had
        extra.insert("csrPem", c.csrPem);
    return withExtra(
        {{"primaryDomain", c.primaryDomain},
         {"subjectAlternativeNames", QJsonArray::fromStringList(c.subjectAlternativeNames)},
         {"ipIdentifiers", QJsonArray::fromStringList(c.ipIdentifiers)},
         {"challenges", challenges},
         {"keyAlgorithm", c.keyAlgorithm},
         {"reusePrivateKey", c.reusePrivateKey},
         {"preferredChain", c.preferredChain},
         {"customLifetimeDays", c.customLifetimeDays},
         {"pfxPasswordCredentialId", c.pfxPasswordCredentialId},
         {"acmeProfile", c.acmeProfile},
         {"fallbackCertificateAuthorityIds",
          QJsonArray::fromStringList(c.fallbackCertificateAuthorityIds)}},
        extra);
}

namespace {
QJsonArray tasksToJson(const QList<DeploymentTask>& tasks) {
    QJsonArray array;
    for (const auto& t : tasks)
        array.append(toJson(t));
    return array;
}

template <typename T> QJsonValue optionalToJson(const std::optional<T>& value) {
    return value ? QJsonValue(toJson(*value)) : QJsonValue(QJsonValue::Null);
}
} // namespace

QJsonObject toJson(const ManagedCertificate& m) {
    return withExtra(
        {{"id", m.id},
         {"name", m.name},
         {"comments", m.comments},
         {"version", m.version},
         {"includeInAutoRenew", m.includeInAutoRenew},
         {"certificateAuthorityId", m.certificateAuthorityId},
         {"useStagingMode", m.useStagingMode},
         {"requestConfig", toJson(m.requestConfig)},
         {"preRequestTasks", tasksToJson(m.preRequestTasks)},
         {"postRequestTasks", tasksToJson(m.postRequestTasks)},
         {"renewalOverride", optionalToJson(m.renewalOverride)},
         {"notificationOverride", optionalToJson(m.notificationOverride)},
         {"dateCreated", dateToJson(m.dateCreated)},
         {"dateStart", dateToJson(m.dateStart)},
         {"dateExpiry", dateToJson(m.dateExpiry)},
         {"dateRenewed", dateToJson(m.dateRenewed)},
         {"dateLastRenewalAttempt", dateToJson(m.dateLastRenewalAttempt)},
         {"dateNextScheduledRenewalAttempt", dateToJson(m.dateNextScheduledRenewalAttempt)},
         {"lastRenewalStatus", toString(m.lastRenewalStatus)},
         {"renewalFailureCount", m.renewalFailureCount},
         {"renewalFailureMessage", m.renewalFailureMessage},
         {"certificatePath", m.certificatePath},
         {"certificateChainPath", m.certificateChainPath},
         {"certificateFullChainPath", m.certificateFullChainPath},
         {"certificateKeyPath", m.certificateKeyPath},
         {"certificatePfxPath", m.certificatePfxPath},
         {"certificateDomains", QJsonArray::fromStringList(m.certificateDomains)},
         {"certificateThumbprint", m.certificateThumbprint},
         {"certificatePreviousThumbprint", m.certificatePreviousThumbprint},
         {"certificateSerial", m.certificateSerial},
         {"certificateIssuer", m.certificateIssuer},
         {"certificateAuthorityIdUsed", m.certificateAuthorityIdUsed},
         {"certificateRevoked", m.certificateRevoked},
         {"currentOrderUrl", m.currentOrderUrl},
         {"ariCertificateId", m.ariCertificateId},
         {"ariWindowStart", dateToJson(m.ariWindowStart)},
         {"ariWindowEnd", dateToJson(m.ariWindowEnd)},
         {"ariExplanationUrl", m.ariExplanationUrl},
         {"revocationStatus", m.revocationStatus},
         {"revocationMessage", m.revocationMessage},
         {"dateRevocationChecked", dateToJson(m.dateRevocationChecked)}},
        m.extra);
}

namespace {
void readChallenge(JsonReader& r, ChallengeConfig& c) {
    r.read("type", c.type);
    r.read("domainMatch", c.domainMatch);
    r.read("provider", c.provider);
    r.read("credentialId", c.credentialId);
    r.read("webrootPath", c.webrootPath);
    r.read("parameters", c.parameters);
    r.read("delegatedTo", c.delegatedTo);
    c.extra = r.unreadFields();
}

void readRequestConfig(JsonReader& r, RequestConfig& c) {
    r.read("primaryDomain", c.primaryDomain);
    r.read("subjectAlternativeNames", c.subjectAlternativeNames);
    r.read("ipIdentifiers", c.ipIdentifiers);
    r.readObjectArray("challenges", [&](JsonReader& sub) {
        ChallengeConfig ch;
        readChallenge(sub, ch);
        c.challenges.append(ch);
    });
    r.read("keyAlgorithm", c.keyAlgorithm);
    r.read("reusePrivateKey", c.reusePrivateKey);
    r.read("preferredChain", c.preferredChain);
    r.read("customLifetimeDays", c.customLifetimeDays);
    r.read("pfxPasswordCredentialId", c.pfxPasswordCredentialId);
    r.read("acmeProfile", c.acmeProfile);
    r.read("fallbackCertificateAuthorityIds", c.fallbackCertificateAuthorityIds);
    r.read("csrPem", c.csrPem);
    c.extra = r.unreadFields();
}
} // namespace

ManagedCertificate managedCertificateFromJson(const QJsonObject& o, QList<FieldError>* errors) {
    ManagedCertificate m;
    JsonReader r(o, errors);
    r.read("id", m.id);
    r.read("name", m.name);
    r.read("comments", m.comments);
    r.read("version", m.version);
    r.read("includeInAutoRenew", m.includeInAutoRenew);
    r.read("certificateAuthorityId", m.certificateAuthorityId);
    r.read("useStagingMode", m.useStagingMode);
    r.readObject("requestConfig",
                 [&](JsonReader& sub) { readRequestConfig(sub, m.requestConfig); });
    auto readTasks = [&](const char* key, QList<DeploymentTask>& tasks) {
        r.readObjectArray(key, [&](JsonReader& sub) {
            DeploymentTask task;
            readDeploymentTask(sub, task);
            tasks.append(task);
        });
    };
    readTasks("preRequestTasks", m.preRequestTasks);
    readTasks("postRequestTasks", m.postRequestTasks);
    r.readObject("renewalOverride", [&](JsonReader& sub) {
        RenewalPolicy policy;
        readRenewalPolicy(sub, policy);
        m.renewalOverride = policy;
    });
    r.readObject("notificationOverride", [&](JsonReader& sub) {
        NotificationTargets targets;
        readNotificationTargets(sub, targets);
        m.notificationOverride = targets;
    });
    r.read("dateCreated", m.dateCreated);
    r.read("dateStart", m.dateStart);
    r.read("dateExpiry", m.dateExpiry);
    r.read("dateRenewed", m.dateRenewed);
    r.read("dateLastRenewalAttempt", m.dateLastRenewalAttempt);
    r.read("dateNextScheduledRenewalAttempt", m.dateNextScheduledRenewalAttempt);
    QString status;
    r.read("lastRenewalStatus", status);
    if (!status.isEmpty()) {
        if (auto s = requestStateFromString(status))
            m.lastRenewalStatus = *s;
        else
            errors->append({QStringLiteral("lastRenewalStatus"),
                            QStringLiteral("is not a known request state")});
    }
    r.read("renewalFailureCount", m.renewalFailureCount);
    r.read("renewalFailureMessage", m.renewalFailureMessage);
    r.read("certificatePath", m.certificatePath);
    r.read("certificateChainPath", m.certificateChainPath);
    r.read("certificateFullChainPath", m.certificateFullChainPath);
    r.read("certificateKeyPath", m.certificateKeyPath);
    r.read("certificatePfxPath", m.certificatePfxPath);
    r.read("certificateDomains", m.certificateDomains);
    r.read("certificateThumbprint", m.certificateThumbprint);
    r.read("certificatePreviousThumbprint", m.certificatePreviousThumbprint);
    r.read("certificateSerial", m.certificateSerial);
    r.read("certificateIssuer", m.certificateIssuer);
    r.read("certificateAuthorityIdUsed", m.certificateAuthorityIdUsed);
    r.read("certificateRevoked", m.certificateRevoked);
    r.read("currentOrderUrl", m.currentOrderUrl);
    r.read("ariCertificateId", m.ariCertificateId);
    r.read("ariWindowStart", m.ariWindowStart);
    r.read("ariWindowEnd", m.ariWindowEnd);
    r.read("ariExplanationUrl", m.ariExplanationUrl);
    r.read("revocationStatus", m.revocationStatus);
    r.read("revocationMessage", m.revocationMessage);
    r.read("dateRevocationChecked", m.dateRevocationChecked);
    m.extra = r.unreadFields();
    return m;
}

} // namespace ck
