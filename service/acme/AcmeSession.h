#pragma once
// One conversation with one ACME CA under one account key (RFC 8555 §6): the directory, the
// nonce pool, and signed POSTs that survive badNonce (retried with backoff, not once), honour
// Retry-After on 429/503, and turn any other failure into an AcmeError naming the step.

#include "acme/AcmeError.h"
#include "acme/HttpsClient.h"
#include "crypto/PrivateKey.h"

#include <QDateTime>
#include <QJsonObject>
#include <QStringList>
#include <QUrl>

#include <deque>
#include <functional>
#include <optional>

namespace ck::acme {

struct Directory {
    QUrl newNonce, newAccount, newOrder, revokeCert, keyChange, renewalInfo;
    QString termsOfService;
    bool externalAccountRequired = false;
    QStringList profiles; // names offered in meta.profiles (draft-ietf-acme-profiles)

    // Names the three resources no exchange can do without (newNonce, newAccount, newOrder).
    bool usable() const;
};

// The CA's directory as read (RFC 8555 §7.1.1): every member optional; a missing or mistyped
// one is an empty URL or value. directory() refuses one that is not usable().
Directory directoryFromJson(const QJsonObject& o);

struct RetryPolicy {
    // A CA that rejects even half of all nonces (Pebble's test mode) gets a request through with
    // odds of 1 in 2^25 against; each retry uses the fresh nonce the rejection carried.
    int badNonceAttempts = 25;
    std::chrono::milliseconds maxRetryAfterWait{std::chrono::seconds(60)}; // longer: give up
    int rateLimitAttempts = 3;
};

class AcmeSession {
public:
    AcmeSession(HttpsClient& http, QUrl directoryUrl, const crypto::PrivateKey& accountKey,
                RetryPolicy policy = {});

    awaitable<Directory> directory();
    void setAccountUrl(const QString& kid) { m_accountUrl = kid; }
    const QString& accountUrl() const { return m_accountUrl; }
    const crypto::PrivateKey& accountKey() const { return m_key; }

    enum class Signer { Kid, Jwk };
    // A signed POST. No payload = POST-as-GET (RFC 8555 §6.3). Throws AcmeError.
    awaitable<HttpReply> post(const QString& step, const QUrl& url,
                              const std::optional<QJsonObject>& payload,
                              Signer signer = Signer::Kid, std::string_view accept = {});
    // Like post(), for a pre-built JWS body (account key rollover's nested JWS).
    awaitable<HttpReply> postSigned(const QString& step, const QUrl& url,
                                    const std::function<QByteArray(const std::string& nonce)>& sign,
                                    std::string_view accept = {});
    // An unsigned GET (directory, renewalInfo).
    awaitable<HttpReply> get(const QString& step, const QUrl& url);

    static QJsonObject jsonBody(const HttpReply& reply);
    static QDateTime retryAfter(const HttpReply& reply);

private:
    awaitable<std::string> takeNonce();
    void keepNonce(const HttpReply& reply);
    awaitable<void> sleepFor(std::chrono::milliseconds delay);

    HttpsClient& m_http;
    QUrl m_directoryUrl;
    const crypto::PrivateKey& m_key;
    RetryPolicy m_policy;
    std::optional<Directory> m_directory;
    QString m_accountUrl;
    std::deque<std::string> m_nonces;
};

// ACME extensions a CA announces in its directory. Renewal information (ARI, RFC 9773): a
// suggested renewal window per certificate, and `replaces` in newOrder naming the certificate a
// renewal supersedes. Certificate profiles (draft-ietf-acme-profiles): meta.profiles, `profile`
// in newOrder. A CA that announces neither is used exactly as before.

struct RenewalWindow {
    QDateTime start, end; // UTC; end is not before start
    QUrl explanationUrl;  // optional: the CA's explanation, e.g. of an incident
    QDateTime retryAfter; // when the CA wants to be asked again; invalid when it did not say
};

// The suggestedWindow of a renewalInfo answer (RFC 9773 §4.2) with its explanationURL;
// std::nullopt unless it has a start and an end not before it (RFC 3339, read as UTC).
// retryAfter is left unset: it comes from the header.
std::optional<RenewalWindow> renewalWindowFromJson(const QJsonObject& o);

// GET <renewalInfo>/<certId> (RFC 9773 §4.2), unauthenticated. std::nullopt when the CA's
// directory offers no renewalInfo. A 429/503 with a short Retry-After is waited out (twice at
// most); any other failure, or an answer without a valid suggestedWindow, throws AcmeError.
awaitable<std::optional<RenewalWindow>> fetchRenewalInfo(AcmeSession& s, const QString& certId);

// Whether the CA refused a newOrder because of its `replaces` (RFC 9773 §5): the certificate was
// already replaced, or the CA does not know it (another CA or account issued it). Such an order
// is worth placing once more without `replaces`.
bool refusedBecauseOfReplaces(const AcmeError& e);

// Empty when `profile` may be ordered from the CA of `d` (an empty profile always may); else the
// sentence a user needs: the CA offers no profiles, or which ones it does offer.
QString profileRefusal(const Directory& d, const QString& profile);

} // namespace ck::acme
