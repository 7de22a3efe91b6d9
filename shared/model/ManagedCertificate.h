#pragma once
// The managed certificate: what to request (RequestConfig), where it stands (renewal state and
// the current certificate's facts), and the health derived from both.

#include "ApiError.h"
#include "model/DeploymentTask.h"
#include "model/Notifications.h"
#include "model/RenewalPolicy.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QStringList>

#include <optional>

namespace ck {

// How one or more names are proven to the CA.
struct ChallengeConfig {
    QString type = QStringLiteral("http-01"); // http-01 | dns-01 | tls-alpn-01
    QString domainMatch;                      // names this applies to; empty = all
    QString provider;                         // e.g. "listener", "webroot", "rfc2136", "script"
    QString credentialId;                     // stored credential used by the provider
    QString webrootPath;                      // for provider "webroot"
    QJsonObject parameters;                   // provider-specific settings (no secrets)
    // dns-01 only: where the TXT records of this rule's names go instead of
    // "_acme-challenge.<name>", which is a CNAME to it ("_acme-challenge.auth.example.net"); the
    // rule's provider and credential serve that name's zone. Empty: a CNAME found at
    // "_acme-challenge.<name>" when the request runs is followed.
    QString delegatedTo;
    QJsonObject extra; // fields this version does not know (see below)
    bool operator==(const ChallengeConfig&) const = default;
};

struct RequestConfig {
    QString primaryDomain;
    QStringList subjectAlternativeNames; // every name on the certificate, primary included
    QStringList ipIdentifiers;
    QList<ChallengeConfig> challenges;
    QString keyAlgorithm =
        QStringLiteral("ecdsa-p256"); // rsa2048|rsa3072|rsa4096|ecdsa-p256|ecdsa-p384
    bool reusePrivateKey = false;
    QString preferredChain;
    int customLifetimeDays = 0; // 0 = the CA's default
    QString pfxPasswordCredentialId;
    // An ACME profile (draft-ietf-acme-profiles) the CA lists in its directory, e.g. "shortlived";
    // empty = the CA's default.
    QString acmeProfile;
    // CAs to ask, in this order, when the item's CA fails the request itself (unreachable, 5xx,
    // refusing the account or the order); each with its own ACME account. Not when the failure
    // is the item's (a challenge that fails validation, a name refused by policy).
    QStringList fallbackCertificateAuthorityIds;
    // "Your own CSR": a PKCS#10 request (PEM) whose key the user keeps. Its names are the
    // certificate's (the service sets primaryDomain and subjectAlternativeNames from it), the
    // order is finalized with it as it is, and no private key is made or stored: exports that
    // need the key cannot run. Empty: Certkeeper makes the key (keyAlgorithm).
    QString csrPem;
    QJsonObject extra; // fields this version does not know (see ManagedCertificate::extra)
    bool operator==(const RequestConfig&) const = default;
};

// Progress of the latest request or renewal attempt.
enum class RequestState { NotRunning, Queued, Running, Paused, Warning, Error, Success, Skipped };
// What the list shows at a glance.
enum class Health { Ok, Warning, Error, AwaitingUser, NotYetIssued };

QString toString(RequestState s);
std::optional<RequestState> requestStateFromString(const QString& s);
QString toString(Health h);
std::optional<Health> healthFromString(const QString& s);
QStringList allHealthNames();

struct ManagedCertificate {
    QString id;
    QString name;
    QString comments;
    qint64 version = 0; // bumped by the service on each save; PUT must carry the current one
    bool includeInAutoRenew = true;
    QString certificateAuthorityId;
    bool useStagingMode = false;
    RequestConfig requestConfig;
    QList<DeploymentTask> preRequestTasks;
    QList<DeploymentTask> postRequestTasks;
    std::optional<RenewalPolicy> renewalOverride;            // empty: the global setting
    std::optional<NotificationTargets> notificationOverride; // empty: the global setting

    QDateTime dateCreated;
    QDateTime dateStart;  // notBefore of the current certificate
    QDateTime dateExpiry; // notAfter of the current certificate
    QDateTime dateRenewed;
    QDateTime dateLastRenewalAttempt;
    QDateTime dateNextScheduledRenewalAttempt;
    RequestState lastRenewalStatus = RequestState::NotRunning;
    int renewalFailureCount = 0;
    QString renewalFailureMessage;

    QString certificatePath;          // leaf certificate, PEM
    QString certificateChainPath;     // intermediates, PEM
    QString certificateFullChainPath; // leaf + intermediates, PEM
    QString certificateKeyPath;       // private key, PEM (0600)
    QString certificatePfxPath;       // PKCS#12 with key and chain
    QStringList certificateDomains;   // the names the current certificate actually covers
    QString certificateThumbprint;
    QString certificatePreviousThumbprint;
    QString certificateSerial;
    QString certificateIssuer;
    // The CA that issued the current certificate: the item's own, or one of its fallbacks.
    QString certificateAuthorityIdUsed;
    bool certificateRevoked = false;
    QString currentOrderUrl;
    QString ariCertificateId; // RFC 9773 §4.1 identifier of the current certificate
    // The renewal window the CA suggested for the current certificate (RFC 9773), when it offers
    // renewal information; invalid otherwise. An explanation URL is optional even then.
    QDateTime ariWindowStart;
    QDateTime ariWindowEnd;
    QString ariExplanationUrl;
    // The last revocation check of the current certificate (RevocationWatch): "good", "revoked",
    // "unknown" (the CA does not know it), "none" (it names no OCSP responder or CRL) or
    // "error" (the CA's answer could not be had or believed); empty before the first check.
    QString revocationStatus;
    QString revocationMessage; // what the check found, in words, for the item's page
    QDateTime dateRevocationChecked;

    // Fields this version does not know (from a newer service or app), kept as they came so
    // that a round trip through this version loses nothing; never one of the fields above.
    QJsonObject extra;

    // All names: the primary first, then the others in their order.
    QStringList domains() const;
    Health health(const QDateTime& now) const;

    bool operator==(const ManagedCertificate&) const = default;
};

QJsonObject toJson(const ChallengeConfig& c);
QJsonObject toJson(const RequestConfig& c);
QJsonObject toJson(const ManagedCertificate& item);

// Strict decoding: fields of the wrong type are reported in `errors` by their JSON path.
ManagedCertificate managedCertificateFromJson(const QJsonObject& o, QList<FieldError>* errors);

} // namespace ck
