#include "acme/AcmeSession.h"

#include "base/Clock.h"
#include "crypto/Jws.h"
#include "crypto/PrivateKey.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace ck::acme {

namespace {
constexpr auto kFirstBadNonceDelay = std::chrono::milliseconds(10);
constexpr auto kMaxBadNonceDelay = std::chrono::milliseconds(500);

// RFC 9773 asks clients to respect Retry-After; a longer wait than this is better spent by the
// scheduler's next check than by a request holding a slot.
constexpr auto kMaxRenewalInfoWait = std::chrono::seconds(30);
constexpr int kRenewalInfoAttempts = 3;

QUrl urlOf(const QJsonObject& o, const char* key) {
    return QUrl(o.value(QLatin1String(key)).toString());
}

// How long to wait before asking for renewal information again after `e`; rethrows `e` when it
// is not worth waiting for.
std::chrono::milliseconds waitBeforeRetry(const AcmeError& e, int attempt) {
    if (attempt >= kRenewalInfoAttempts || (e.httpStatus != 429 && e.httpStatus != 503) ||
        !e.retryAfter.isValid())
        throw e;
    const auto wait =
        std::chrono::milliseconds(std::max<qint64>(0, Clock::system().now().msecsTo(e.retryAfter)));
    if (wait > kMaxRenewalInfoWait)
        throw e;
    return wait;
}

QDateTime timestamp(const QJsonObject& o, const char* key) {
    // RFC 3339; Qt reads fractions of any length (Go sends nanoseconds) and any offset.
    return QDateTime::fromString(o.value(QLatin1String(key)).toString(), Qt::ISODateWithMs).toUTC();
}
// No answer at all: "timeout" when the CA did not answer in time, else "transport".
AcmeError transportFailure(const QString& step, const TransportError& e) {
    const bool timedOut = dynamic_cast<const TimedOut*>(&e) != nullptr;
    return AcmeError(step, timedOut ? QStringLiteral("timeout") : QStringLiteral("transport"),
                     QString::fromUtf8(e.what()));
}
} // namespace

bool Directory::usable() const {
    return newNonce.isValid() && newAccount.isValid() && newOrder.isValid();
}

Directory directoryFromJson(const QJsonObject& o) {
    Directory d;
    d.newNonce = urlOf(o, "newNonce");
    d.newAccount = urlOf(o, "newAccount");
    d.newOrder = urlOf(o, "newOrder");
    d.revokeCert = urlOf(o, "revokeCert");
    d.keyChange = urlOf(o, "keyChange");
    d.renewalInfo = urlOf(o, "renewalInfo");
    const QJsonObject meta = o.value("meta").toObject();
    d.termsOfService = meta.value("termsOfService").toString();
    d.externalAccountRequired = meta.value("externalAccountRequired").toBool();
    d.profiles = meta.value("profiles").toObject().keys();
    return d;
}

std::optional<RenewalWindow> renewalWindowFromJson(const QJsonObject& o) {
    const QJsonObject suggested = o.value(QLatin1String("suggestedWindow")).toObject();
    RenewalWindow window;
    window.start = timestamp(suggested, "start");
    window.end = timestamp(suggested, "end");
    if (!window.start.isValid() || !window.end.isValid() || window.end < window.start)
        return std::nullopt;
    window.explanationUrl = QUrl(o.value(QLatin1String("explanationURL")).toString());
    return window;
}

AcmeSession::AcmeSession(HttpsClient& http, QUrl directoryUrl, const crypto::PrivateKey& accountKey,
                         RetryPolicy policy)
    : m_http(http), m_directoryUrl(std::move(directoryUrl)), m_key(accountKey), m_policy(policy) {}

QJsonObject AcmeSession::jsonBody(const HttpReply& reply) {
    return QJsonDocument::fromJson(QByteArray::fromStdString(reply.body)).object();
}

QDateTime AcmeSession::retryAfter(const HttpReply& reply) {
    const QString value = QString::fromStdString(reply.header("retry-after")).trimmed();
    if (value.isEmpty())
        return {};
    bool isNumber = false;
    const qint64 seconds = value.toLongLong(&isNumber);
    if (isNumber)
        return Clock::system().now().addSecs(seconds);
    return QDateTime::fromString(value, Qt::RFC2822Date).toUTC(); // HTTP-date
}

awaitable<void> AcmeSession::sleepFor(std::chrono::milliseconds delay) {
    asio::steady_timer timer(co_await asio::this_coro::executor, delay);
    co_await timer.async_wait(use_awaitable);
}

awaitable<HttpReply> AcmeSession::get(const QString& step, const QUrl& url) {
    HttpCall call;
    call.url = url;
    try {
        HttpReply reply = co_await m_http.fetch(call);
        keepNonce(reply);
        if (reply.status >= 400) {
            AcmeError error = AcmeError::fromProblem(step, reply.status, jsonBody(reply));
            error.retryAfter = retryAfter(reply);
            throw error;
        }
        co_return reply;
    } catch (const TransportError& e) {
        throw transportFailure(step, e);
    }
}

awaitable<Directory> AcmeSession::directory() {
    if (m_directory)
        co_return *m_directory;
    const QString step = QStringLiteral("read the CA's directory");
    const HttpReply reply = co_await get(step, m_directoryUrl);
    const Directory d = directoryFromJson(jsonBody(reply));
    if (!d.usable())
        throw AcmeError(QStringLiteral("read the CA's directory"), QStringLiteral("malformed"),
                        QStringLiteral("%1 does not look like an ACME directory (newNonce, "
                                       "newAccount or newOrder missing)")
                            .arg(m_directoryUrl.toString()));
    m_directory = d;
    co_return d;
}

void AcmeSession::keepNonce(const HttpReply& reply) {
    const std::string nonce = reply.header("replay-nonce");
    if (!nonce.empty())
        m_nonces.push_back(nonce);
}

awaitable<std::string> AcmeSession::takeNonce() {
    if (m_nonces.empty()) {
        const Directory d = co_await directory();
        HttpCall call;
        call.method = beast::http::verb::head;
        call.url = d.newNonce;
        try {
            const HttpReply reply = co_await m_http.fetch(call);
            keepNonce(reply);
        } catch (const TransportError& e) {
            throw transportFailure(QStringLiteral("get a nonce from the CA"), e);
        }
        if (m_nonces.empty())
            throw AcmeError(QStringLiteral("get a nonce from the CA"), QStringLiteral("malformed"),
                            QStringLiteral("the CA's newNonce answer carried no Replay-Nonce"));
    }
    std::string nonce = std::move(m_nonces.front());
    m_nonces.pop_front();
    co_return nonce;
}

awaitable<HttpReply> AcmeSession::post(const QString& step, const QUrl& url,
                                       const std::optional<QJsonObject>& payload, Signer signer,
                                       std::string_view accept) {
    const QByteArray payloadBytes =
        payload ? QJsonDocument(*payload).toJson(QJsonDocument::Compact) : QByteArray();
    // A named std::function, not a lambda temporary inside the co_await (GCC 12, see
    // StoreWorker::run).
    const std::function<QByteArray(const std::string&)> sign = [this, url, payloadBytes,
                                                                signer](const std::string& nonce) {
        QJsonObject header{{"nonce", QString::fromStdString(nonce)}, {"url", url.toString()}};
        if (signer == Signer::Jwk || m_accountUrl.isEmpty())
            header.insert("jwk", m_key.publicJwk());
        else
            header.insert("kid", m_accountUrl);
        return crypto::signJws(m_key, header, payloadBytes);
    };
    co_return co_await postSigned(step, url, sign, accept);
}

awaitable<HttpReply>
AcmeSession::postSigned(const QString& step, const QUrl& url,
                        const std::function<QByteArray(const std::string& nonce)>& sign,
                        std::string_view accept) {
    auto delay = kFirstBadNonceDelay;
    int badNonces = 0;
    int rateLimited = 0;
    for (;;) {
        const std::string nonce = co_await takeNonce();
        HttpCall call;
        call.method = beast::http::verb::post;
        call.url = url;
        call.contentType = "application/jose+json";
        call.accept = std::string(accept);
        call.body = sign(nonce).toStdString();
        HttpReply reply;
        try {
            reply = co_await m_http.fetch(call);
        } catch (const TransportError& e) {
            throw transportFailure(step, e);
        }
        keepNonce(reply);
        if (reply.status < 400)
            co_return reply;

        AcmeError error = AcmeError::fromProblem(step, reply.status, jsonBody(reply));
        error.retryAfter = retryAfter(reply);
        if (error.shortType() == QLatin1String("badNonce") &&
            ++badNonces < m_policy.badNonceAttempts) {
            co_await sleepFor(delay);
            delay = std::min(delay * 2, std::chrono::milliseconds(kMaxBadNonceDelay));
            continue;
        }
        if ((reply.status == 429 || reply.status == 503) && error.retryAfter.isValid() &&
            ++rateLimited < m_policy.rateLimitAttempts) {
            const auto wait = std::chrono::milliseconds(
                std::max<qint64>(0, Clock::system().now().msecsTo(error.retryAfter)));
            if (wait <= m_policy.maxRetryAfterWait) {
                co_await sleepFor(wait);
                continue;
            }
        }
        throw error;
    }
}

awaitable<std::optional<RenewalWindow>> fetchRenewalInfo(AcmeSession& s, const QString& certId) {
    const Directory d = co_await s.directory();
    if (d.renewalInfo.isEmpty() || !d.renewalInfo.isValid())
        co_return std::nullopt;
    // RFC 9773 §4.2: the identifier is appended to the renewalInfo URL as one more path segment.
    QUrl url = d.renewalInfo;
    QString path = url.path();
    if (!path.endsWith(u'/'))
        path += u'/';
    url.setPath(path + certId);

    const QString step = QStringLiteral("read the CA's renewal information");
    HttpReply reply;
    for (int attempt = 1;; ++attempt) {
        bool answered = false;
        std::chrono::milliseconds wait{0};
        try {
            reply = co_await s.get(step, url);
            answered = true;
        } catch (const AcmeError& e) {
            wait = waitBeforeRetry(e, attempt);
        }
        if (answered) // (no co_await inside a catch block)
            break;
        asio::steady_timer timer(co_await asio::this_coro::executor, wait);
        co_await timer.async_wait(use_awaitable);
    }

    std::optional<RenewalWindow> window = renewalWindowFromJson(AcmeSession::jsonBody(reply));
    if (!window)
        throw AcmeError(step, QStringLiteral("malformed"),
                        QStringLiteral("the CA's renewal information for %1 has no valid "
                                       "suggestedWindow (a start and an end not before it)")
                            .arg(certId));
    window->retryAfter = AcmeSession::retryAfter(reply);
    co_return window;
}

bool refusedBecauseOfReplaces(const AcmeError& e) {
    if (e.shortType() == QLatin1String("alreadyReplaced"))
        return true;
    // Before alreadyReplaced was registered, CAs answered 409 Conflict or malformed and said why
    // only in the detail.
    const bool aboutReplaces = e.detail.contains(QLatin1String("replace"), Qt::CaseInsensitive);
    return aboutReplaces && (e.httpStatus == 409 || e.shortType() == QLatin1String("malformed"));
}

QString profileRefusal(const Directory& d, const QString& profile) {
    if (profile.isEmpty() || d.profiles.contains(profile))
        return {};
    if (d.profiles.isEmpty())
        return QStringLiteral("The CA offers no certificate profiles, so the ACME profile '%1' "
                              "cannot be requested; clear it to get the CA's default certificate")
            .arg(profile);
    return QStringLiteral("The CA does not offer the ACME profile '%1'; it offers: %2")
        .arg(profile, d.profiles.join(QStringLiteral(", ")));
}

} // namespace ck::acme
