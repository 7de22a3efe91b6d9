#pragma once
// The CAs the service knows (built-in plus custom ones in certificateauthorities.json) and the
// ACME accounts registered with them (accounts/<id>.json with the key beside it, 0600). Used on
// the network thread only. HTTPS clients are kept per CA so each trusts the right roots.

#include "acme/AcmeSession.h"
#include "acme/HttpsClient.h"
#include "crypto/PrivateKey.h"
#include "model/CertificateAuthority.h"

#include <QHash>
#include <QString>

#include <memory>
#include <optional>

namespace ck::acme {

// A conversation with a CA as one of our accounts: what a request, a revocation or a key
// rollover needs. Not movable (the session refers to the key), so it lives behind a pointer.
struct AccountSession {
    CertificateAuthority ca;
    AcmeAccount account;
    crypto::PrivateKey key;
    std::optional<AcmeSession> session;
};

class AcmeRegistry {
public:
    // `requestTimeout`: for each step of an exchange with a CA (HttpsClient's step timeout).
    // `proxy`: what every HTTPS client goes through (none: direct).
    AcmeRegistry(asio::any_io_executor executor, QString dataDir,
                 std::chrono::milliseconds requestTimeout = HttpsClient::kDefaultStepTimeout,
                 OutgoingProxy proxy = {});

    // Reads the files; problems are returned as notices (a damaged account file is skipped,
    // never deleted).
    QStringList load();

    QList<CertificateAuthority> authorities() const;
    std::optional<CertificateAuthority> authority(const QString& id) const;
    // Adds or replaces a custom CA, keeping the certificates of its trusted root file (read and
    // checked now: PEM certificates only). Throws InvalidInputError (naming the field and
    // what the file holds, or conflict with a built-in id).
    void saveCustomAuthority(const CertificateAuthority& ca);
    // Throws NotFoundError or ConflictError when accounts still use it.
    void removeCustomAuthority(const QString& id);

    QList<AcmeAccount> accounts() const;
    std::optional<AcmeAccount> account(const QString& id) const;
    std::optional<AcmeAccount> accountFor(const QString& caId, bool staging) const;
    void saveAccount(const AcmeAccount& account, const crypto::PrivateKey& key);
    void saveAccount(const AcmeAccount& account); // metadata only (key unchanged)
    void removeAccount(const QString& id);
    crypto::PrivateKey accountKey(const AcmeAccount& account) const;

    // The CA (empty id: the default CA) and its valid account for live or staging use, with a
    // session signed by the account key. Throws InvalidInputError naming what to set up.
    std::unique_ptr<AccountSession> openAccountSession(const QString& caId, bool staging);

    // The HTTPS client for a CA (system roots plus the trusted root certificates kept in its
    // record). Throws a DomainError when they cannot be used.
    HttpsClient& clientFor(const CertificateAuthority& ca);

private:
    QString accountsDir() const;
    QString customFile() const;
    // Writes `custom` as the custom CAs' file; the caller takes it into memory only once it is
    // saved, so a refused write (a full disk) leaves the service as it was.
    void writeCustom(const QList<CertificateAuthority>& custom) const;
    QStringList migrateTrustedRoots();

    asio::any_io_executor m_executor;
    QString m_dataDir;
    std::chrono::milliseconds m_requestTimeout;
    OutgoingProxy m_proxy;
    QList<CertificateAuthority> m_custom;
    QList<AcmeAccount> m_accounts;
    std::map<QString, std::unique_ptr<HttpsClient>> m_clients; // by trusted root PEM
};

} // namespace ck::acme
