#pragma once
// How each name of an item would be validated, and what is wrong with that, found without
// touching anything (no file written, no port opened, no packet sent): which challenge and
// responder applies (the rules of challengeConfigFor), whether its webroot is writable, its
// port may be opened, its stored credential exists and opens, its script is executable.
// Preview shows this per name; Test starts from it and then tries the real thing.

#include "challenges/ChallengePlacement.h"
#include "challenges/CnameChain.h"
#include "config/ServiceConfig.h"
#include "credentials/CredentialStore.h"
#include "model/ManagedCertificate.h"

#include <QList>
#include <QString>

namespace ck::preview {

// One problem: what is wrong and what to do about it.
struct Finding {
    QString message;
    QString advice;
    bool warning = false; // else an error: the request would fail
    // "message. advice" for a list of sentences (Preview's warnings and errors).
    QString text() const;
};

struct NamePlan {
    QString name; // as on the certificate: "www.example.com", "*.example.com" or an IP address
    bool isIp = false;
    ChallengeConfig config;
    QString method;      // plain words: "http-01 by the built-in listener on port 80"
    QString description; // Markdown: what would be placed where, and when it is removed
    QList<Finding> findings;
    bool hasErrors() const;
};

struct PlanContext {
    credentials::CredentialStore& credentials;
    const challenges::DnsProviderFactory& dnsProviders;
    const ServiceConfig& config;
    const QString& dataDir; // the service's data directory: no webroot may lead into it
};

QList<NamePlan> planValidation(const ManagedCertificate& item, const PlanContext& ctx);

// Where the TXT record of a dns-01 plan goes, from the CNAME chain at its challenge name (as a
// request looks it up): the rule's delegation, else the chain's end. Says so in the plan's
// description, with an error when the chain does not lead where the rule says (the CA would not
// find the record) and a warning when it could not be read. Returns that name.
QString planDelegation(NamePlan& plan, const challenges::CnameChain& chain);

// Challenge entries whose domainMatch covers none of the item's names (likely a typo).
QList<Finding> unusedChallengeEntries(const ManagedCertificate& item);

// Whether this process may listen on `port`: unprivileged ports, root, or CAP_NET_BIND_SERVICE.
bool mayListenOn(int port);

// "`text`" for Markdown, safe for any text (a longer fence when it holds backticks).
QString mdCode(const QString& text);

} // namespace ck::preview
