#pragma once
// The catalogue of dns-01 providers: for each one its id, what it is, the stored credential it
// needs (every field, with help, and the page where the user makes the token), the challenge
// parameters it takes, how long to wait after adding a record, and whether it can list the
// zones its credential sees. The one description of a provider: the service serves it
// (GET /api/challengeproviders, and each credential type at GET /api/credentials/types), checks
// stored credentials against it, and the app and the CLI build their forms and help from it.
// The code behind each id is in service/challenges (rfc2136, script) and service/dnsapi (the
// providers with an HTTP API).

#include "model/DeploymentTaskTypes.h"
#include "model/StoredCredential.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace ck {

struct DnsProviderType {
    QString id;          // what ChallengeConfig::provider holds: "powerdns"
    QString title;       // "PowerDNS Authoritative (HTTP API)"
    QString description; // one or two sentences: what it changes and how
    // The stored credential it takes: its type id (the provider's id, or empty when it takes
    // none), its title, its fields and where the user makes it.
    QString credentialType;
    QString credentialTitle;
    QList<CredentialField> credentialFields;
    QString credentialHelp; // how to make the token and what it must be allowed to do
    QString credentialUrl;  // the provider's page for that; empty when there is none
    // Parameters of the challenge configuration (ChallengeConfig::parameters).
    QList<TaskParameterSpec> parameters;
    // Waited after the record is created, before the authoritative servers are asked: for
    // providers whose API answers before their servers publish. The parameter
    // "propagationDelaySeconds" overrides it.
    int propagationSeconds = 0;
    bool listsZones = false; // finds the zone itself among those its credential can see
    // Set on a provider found at run time (lexicon's) when a built-in one does the same job:
    // the built-in one's id. Menus offer that one instead; this id still works when named.
    QString nativeProvider;

    QJsonObject toJson() const;
    // `errors` collects what is malformed (the parameters are read strictly).
    static DnsProviderType fromJson(const QJsonObject& o, QList<FieldError>* errors);
    // The credential type it needs, for the credential catalogue; only when credentialType is set.
    CredentialType credentialTypeSpec() const;
};

// The built-in providers only. A service also offers those it finds at run time: what it serves
// and checks against is its DnsCatalogue (DnsCatalogue.h).
const QList<DnsProviderType>& dnsProviderTypes();
const DnsProviderType* findDnsProviderType(const QString& id);
// The built-in provider whose stored credential has this type, or nullptr.
const DnsProviderType* dnsProviderForCredential(const QString& credentialType);

} // namespace ck
