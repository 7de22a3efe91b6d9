#pragma once
// One certificate request from start to finish for a managed certificate: find the CA and its
// account, order the names, prove control of each (placing the challenge responses and removing
// every one of them afterwards, on success and on failure), finalize with a new key (or the
// previous one when the item asks to reuse it), download the preferred chain, check it, and write
// the files to assets/ so that either all of them are there or none. Where the CA offers them, an
// ACME profile is requested, a renewal names the certificate it replaces, and the new
// certificate's suggested renewal window is fetched (RFC 9773).

#include "acme/AcmeProtocol.h"
#include "acme/AcmeRegistry.h"
#include "base/Async.h"
#include "challenges/ChallengePlacement.h"
#include "credentials/CredentialStore.h"
#include "crypto/KeyType.h"
#include "logging/ItemLog.h"
#include "model/ManagedCertificate.h"

#include <QStringList>

namespace ck::request {

struct IssuedCertificate {
    QDateTime notBefore, notAfter;
    QString serial, issuer, thumbprint;
    QStringList domains;
    QString certPath, chainPath, fullChainPath, keyPath, pfxPath;
    QString orderUrl;
    QString certificateAuthorityId; // the CA that issued it: the item's own or a fallback
    QString ariCertificateId;       // RFC 9773 §4.1; empty if it has none
    std::optional<acme::RenewalWindow> renewalWindow; // when the CA offers ARI and answered

    // Makes it the item's current certificate (the previous thumbprint is kept).
    void applyTo(ManagedCertificate& m) const;
};

class CertificateIssuer {
public:
    CertificateIssuer(acme::AcmeRegistry& registry, challenges::ChallengeResponders& responders,
                      credentials::CredentialStore& credentials, QString dataDir);

    // Asks the item's CA, then each fallback CA in turn while the failure is the CA's own
    // (request/CaFallback.h). Throws acme::AcmeError (CA said no, or could not be reached) or a
    // DomainError (our side: no account, files not writable); the message says which step and
    // what to do, and, when more than one CA was asked, what each answered.
    awaitable<IssuedCertificate> issue(const ManagedCertificate& item, logging::ItemLog& log);

    // Revokes the item's current certificate (RFC 8555 §7.6) with the account that requested
    // it. Throws InvalidInputError when there is no certificate, AcmeError when the CA refuses.
    awaitable<void> revoke(const ManagedCertificate& item, int reason, logging::ItemLog& log);

    // The order noted for the item is the one its current certificate came from: the service
    // stopped after recording the certificate, while its post-request tasks ran. Only those are
    // left; a new order would be a second certificate.
    bool issuedBeforeStop(const ManagedCertificate& item) const;
    // Once the certificate is recorded and its tasks ran: the noted order and its key go.
    void forgetOrder(const QString& itemId) const;
    // Removes the files in the item's assets folder that are neither `current`'s nor
    // `previous`'s (those of a request stopped while writing, and of older certificates). The
    // previous certificate's stay for whoever still reads them.
    void removeUnusedFiles(const ManagedCertificate& previous, const IssuedCertificate& current,
                           logging::ItemLog& log) const;

private:
    // One CA's attempt: the item's certificateAuthorityId is the CA asked.
    awaitable<IssuedCertificate> issueFrom(const ManagedCertificate& item, crypto::KeyType keyType,
                                           const QString& pfxPass, logging::ItemLog& log);
    QString caTitle(const QString& id) const; // "Title (id)", or the id of an unknown CA
    // The order, naming the certificate it replaces when the CA offers ARI; placed again
    // without `replaces` when the CA refuses that. A profile the CA does not offer is refused
    // here, before ordering (InvalidInputError on requestConfig.acmeProfile).
    awaitable<acme::Order> placeOrder(acme::AcmeSession& session, const acme::Directory& directory,
                                      const ManagedCertificate& item, logging::ItemLog& log);
    // From an order on: authorize, finalize (unless a restart found it finalized already),
    // download, check and write the files.
    awaitable<IssuedCertificate> completeOrder(acme::AcmeSession& session, const acme::Order& order,
                                               const ManagedCertificate& item,
                                               crypto::KeyType keyType, const QString& pfxPass,
                                               const QString& pending, logging::ItemLog& log);
    awaitable<void> authorize(acme::AcmeSession& session, const acme::Order& order,
                              const ManagedCertificate& item, logging::ItemLog& log);
    QString pfxPassword(const ManagedCertificate& item) const;

    acme::AcmeRegistry& m_registry;
    challenges::ChallengeResponders& m_responders;
    credentials::CredentialStore& m_credentials;
    QString m_dataDir;
};

} // namespace ck::request
