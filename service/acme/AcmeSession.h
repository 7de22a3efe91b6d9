#pragma once
// One conversation with one ACME CA under one account key (RFC 8555 §6): the directory, the
// nonce pool, and signed POSTs that survive badNonce (retried with backoff, not once), honour
// Retry-After on 429/503, and turn any other failure into an AcmeError naming the step.

#include "AcmeError.h"
#include "HttpsClient.h"

#include <QJsonObject>
#include <QStringList>
#include <QUrl>

#include <deque>
#include <functional>
#include <optional>

namespace ck::crypto {
class PrivateKey;
}

namespace ck::acme {

struct Directory {
    QUrl newNonce, newAccount, newOrder, revokeCert, keyChange, renewalInfo;
    QString termsOfService;
    bool externalAccountRequired = false;
    QStringList profiles; // names offered in meta.profiles (draft-ietf-acme-profiles)
};

struct RetryPolicy {
    int badNonceAttempts = 10;
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

} // namespace ck::acme
