#pragma once
// The RFC 8555 operations Certkeeper uses, on top of an AcmeSession: accounts (§7.3), orders and
// authorizations (§7.4, §7.5), challenges (§7.5.1), finalize and download (§7.4.2), revocation
// (§7.6) and account key rollover (§7.3.5). Polling starts within tens of milliseconds and backs
// off, so a fast CA is not kept waiting and a slow one is not hammered.

#include "acme/AcmeSession.h"
#include "crypto/PrivateKey.h"

#include <QDateTime>
#include <QList>

namespace ck::acme {

struct Identifier {
    QString type = QStringLiteral("dns"); // "dns" or "ip"
    QString value;
    QJsonObject toJson() const { return {{"type", type}, {"value", value}}; }
};

struct Challenge {
    QString type;
    QUrl url;
    QString token;
    QString status;
    QJsonObject error;
};

struct Authorization {
    QUrl url;
    Identifier identifier;
    QString status;
    bool wildcard = false;
    QList<Challenge> challenges;
    const Challenge* find(const QString& type) const;
    // The name as the user wrote it: "*.example.com" for a wildcard authorization.
    QString displayName() const;
};

struct Order {
    QUrl url;
    QString status;
    QList<QUrl> authorizations;
    QUrl finalize;
    QUrl certificate;
    QJsonObject error;
};

struct ExternalAccountBinding {
    QString keyId;
    QByteArray hmacKey; // decoded bytes
};

struct CertificateChains {
    QByteArray primary;           // PEM: leaf then intermediates
    QList<QByteArray> alternates; // other chains offered with Link: rel="alternate"
};

struct PollSettings {
    std::chrono::milliseconds first{20};
    std::chrono::milliseconds max{std::chrono::seconds(2)};
    std::chrono::milliseconds deadline{std::chrono::minutes(3)};
};

// The CA's answers as read (RFC 8555 §7.1.3, §7.1.4): every member optional, a missing or
// mistyped one read as empty, so a hostile or sloppy CA yields an order or authorization whose
// status the callers refuse, never a crash. `url` is where it was fetched (an order's Location).
Order orderFromJson(const QUrl& url, const QJsonObject& o);
Authorization authorizationFromJson(const QUrl& url, const QJsonObject& o);

// RFC 8555 §8.1: token "." base64url(JWK thumbprint of the account key).
QString keyAuthorization(const QString& token, const crypto::PrivateKey& accountKey);
// RFC 8555 §8.4: the TXT record value, base64url(SHA-256(key authorization)).
QString dnsTxtValue(const QString& keyAuthorization);

awaitable<QString> registerAccount(AcmeSession& s, const QStringList& contacts, bool agreeToTerms,
                                   const std::optional<ExternalAccountBinding>& eab);
awaitable<QString> findExistingAccount(AcmeSession& s); // onlyReturnExisting (import)

awaitable<Order> newOrder(AcmeSession& s, const QList<Identifier>& identifiers,
                          const QString& profile, const QString& replaces);
awaitable<Authorization> fetchAuthorization(AcmeSession& s, const QUrl& url);
awaitable<void> answerChallenge(AcmeSession& s, const Challenge& challenge, const QString& name);
// Polls until the authorization is no longer pending; throws AcmeError with the challenge's
// error when it became invalid.
awaitable<Authorization> waitForAuthorization(AcmeSession& s, const QUrl& url,
                                              const PollSettings& poll = {});
awaitable<Order> finalizeOrder(AcmeSession& s, const Order& order, const QByteArray& csrDer,
                               const PollSettings& poll = {});
// The order as the CA has it now (POST-as-GET): to resume one placed before a restart.
awaitable<Order> fetchOrder(AcmeSession& s, const QUrl& url);
// Polls an order that was already finalized (status "processing") until it is valid.
awaitable<Order> waitForIssuedOrder(AcmeSession& s, const Order& order,
                                    const PollSettings& poll = {});
awaitable<CertificateChains> downloadCertificate(AcmeSession& s, const QUrl& url);
// Picks the chain whose topmost certificate's issuer common name is `preferredIssuer`
// (the primary chain when empty or not offered).
QByteArray choosePreferredChain(const CertificateChains& chains, const QString& preferredIssuer);

// RFC 8555 §7.6 reasons: 0 unspecified, 1 keyCompromise, 3 affiliationChanged, 4 superseded,
// 5 cessationOfOperation.
awaitable<void> revokeCertificate(AcmeSession& s, const QByteArray& certificateDer, int reason);
awaitable<void> rolloverAccountKey(AcmeSession& s, const crypto::PrivateKey& newKey);

// Parses a Link header list into (url, rel) pairs, resolving relative URLs against `base`.
QList<std::pair<QUrl, QString>> parseLinks(const std::vector<std::string>& linkHeaders,
                                           const QUrl& base);
// The alternate chains a certificate download offers (RFC 8555 §7.4.2, Link: rel="alternate"),
// in the order given, resolved against `base`.
QList<QUrl> alternateChainLinks(const std::vector<std::string>& linkHeaders, const QUrl& base);

} // namespace ck::acme
