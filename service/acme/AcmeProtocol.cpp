#include "acme/AcmeProtocol.h"

#include "base/Clock.h"
#include "crypto/Base64Url.h"
#include "crypto/Certificate.h"
#include "crypto/CryptoError.h"
#include "crypto/Jws.h"
#include "crypto/PrivateKey.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QRegularExpression>

namespace ck::acme {

namespace {
// Arguments of co_await calls are named locals, never temporaries: GCC 12 can destroy a
// temporary twice when it lives across a suspension (GCC PR 100611).
const std::optional<QJsonObject> kPostAsGet; // RFC 8555 §6.3: an empty payload

awaitable<void> sleepFor(std::chrono::milliseconds delay) {
    asio::steady_timer timer(co_await asio::this_coro::executor, delay);
    co_await timer.async_wait(use_awaitable);
}

// How long to wait after `reply` before polling again: the CA's Retry-After when it gives a short
// one, else our backoff.
std::chrono::milliseconds pollDelay(const HttpReply& reply, std::chrono::milliseconds backoff,
                                    const PollSettings& poll) {
    const QDateTime after = AcmeSession::retryAfter(reply);
    if (after.isValid()) {
        const auto wait =
            std::chrono::milliseconds(std::max<qint64>(0, Clock::system().now().msecsTo(after)));
        return std::min(wait, poll.max * 5);
    }
    return backoff;
}
} // namespace

Order orderFromJson(const QUrl& url, const QJsonObject& o) {
    Order order;
    order.url = url;
    order.status = o.value("status").toString();
    for (const auto& a : o.value("authorizations").toArray())
        order.authorizations.append(QUrl(a.toString()));
    order.finalize = QUrl(o.value("finalize").toString());
    order.certificate = QUrl(o.value("certificate").toString());
    order.error = o.value("error").toObject();
    return order;
}

Authorization authorizationFromJson(const QUrl& url, const QJsonObject& o) {
    Authorization a;
    a.url = url;
    const auto id = o.value("identifier").toObject();
    a.identifier = {id.value("type").toString(), id.value("value").toString()};
    a.status = o.value("status").toString();
    a.wildcard = o.value("wildcard").toBool();
    for (const auto& c : o.value("challenges").toArray()) {
        const auto co = c.toObject();
        a.challenges.append({co.value("type").toString(), QUrl(co.value("url").toString()),
                             co.value("token").toString(), co.value("status").toString(),
                             co.value("error").toObject()});
    }
    return a;
}

const Challenge* Authorization::find(const QString& type) const {
    for (const auto& c : challenges)
        if (c.type == type)
            return &c;
    return nullptr;
}

QString Authorization::displayName() const {
    return wildcard ? QStringLiteral("*.") + identifier.value : identifier.value;
}

QString keyAuthorization(const QString& token, const crypto::PrivateKey& accountKey) {
    return token + u'.' + accountKey.jwkThumbprint();
}

QString dnsTxtValue(const QString& keyAuth) {
    return QString::fromLatin1(crypto::base64UrlEncode(
        QCryptographicHash::hash(keyAuth.toUtf8(), QCryptographicHash::Sha256)));
}

awaitable<QString> registerAccount(AcmeSession& s, const QStringList& contacts, bool agreeToTerms,
                                   const std::optional<ExternalAccountBinding>& eab) {
    const Directory d = co_await s.directory();
    QJsonArray contactArray;
    for (const auto& c : contacts)
        contactArray.append(c.startsWith(QLatin1String("mailto:")) ? c
                                                                   : QStringLiteral("mailto:") + c);
    QJsonObject payload{{"termsOfServiceAgreed", agreeToTerms}};
    if (!contactArray.isEmpty())
        payload.insert("contact", contactArray);
    if (eab)
        payload.insert("externalAccountBinding",
                       crypto::signEabJws(eab->hmacKey, eab->keyId, d.newAccount.toString(),
                                          s.accountKey().publicJwk()));
    const QString step = QStringLiteral("register an ACME account");
    const HttpReply reply = co_await s.post(step, d.newAccount, payload, AcmeSession::Signer::Jwk);
    const QString url = QString::fromStdString(reply.header("location"));
    if (url.isEmpty())
        throw AcmeError(step, QStringLiteral("malformed"),
                        QStringLiteral("the CA did not return the account's address"));
    s.setAccountUrl(url);
    co_return url;
}

awaitable<QString> findExistingAccount(AcmeSession& s) {
    const Directory d = co_await s.directory();
    const QString step = QStringLiteral("find the existing ACME account");
    const QJsonObject payload{{QStringLiteral("onlyReturnExisting"), true}};
    const HttpReply reply = co_await s.post(step, d.newAccount, payload, AcmeSession::Signer::Jwk);
    const QString url = QString::fromStdString(reply.header("location"));
    s.setAccountUrl(url);
    co_return url;
}

awaitable<Order> newOrder(AcmeSession& s, const QList<Identifier>& identifiers,
                          const QString& profile, const QString& replaces) {
    const Directory d = co_await s.directory();
    QJsonArray ids;
    for (const auto& id : identifiers)
        ids.append(id.toJson());
    QJsonObject payload{{"identifiers", ids}};
    if (!profile.isEmpty())
        payload.insert("profile", profile);
    if (!replaces.isEmpty())
        payload.insert("replaces", replaces);
    const QString step = QStringLiteral("create the order");
    const HttpReply reply = co_await s.post(step, d.newOrder, payload);
    co_return orderFromJson(QUrl(QString::fromStdString(reply.header("location"))),
                            AcmeSession::jsonBody(reply));
}

awaitable<Authorization> fetchAuthorization(AcmeSession& s, const QUrl& url) {
    const QString step = QStringLiteral("read the authorization");
    const HttpReply reply = co_await s.post(step, url, kPostAsGet);
    co_return authorizationFromJson(url, AcmeSession::jsonBody(reply));
}

awaitable<void> answerChallenge(AcmeSession& s, const Challenge& challenge, const QString& name) {
    // Answered before (an order continued after a restart): the CA is on it or done with it, and
    // would refuse a second answer (RFC 8555 7.5.1 only takes one while it is pending).
    if (challenge.status == QLatin1String("processing") ||
        challenge.status == QLatin1String("valid"))
        co_return;
    std::optional<AcmeError> refused;
    try {
        const QString step = QStringLiteral("start the %1 challenge").arg(challenge.type);
        const std::optional<QJsonObject> emptyPayload = QJsonObject{};
        co_await s.post(step, challenge.url, emptyPayload);
        co_return;
    } catch (AcmeError& e) {
        e.identifier = name;
        refused = e;
    }
    // It may have stopped being pending between reading it and answering it: the answer of the
    // run before a restart, validated meanwhile. Then it is answered, and the wait says how.
    const QString step = QStringLiteral("read the challenge");
    const HttpReply reply = co_await s.post(step, challenge.url, kPostAsGet);
    const QString status = AcmeSession::jsonBody(reply).value("status").toString();
    if (status == QLatin1String("processing") || status == QLatin1String("valid"))
        co_return;
    throw *refused;
}

awaitable<Authorization> waitForAuthorization(AcmeSession& s, const QUrl& url,
                                              const PollSettings& poll) {
    const QString step = QStringLiteral("validate");
    auto delay = poll.first;
    const auto deadline = std::chrono::steady_clock::now() + poll.deadline;
    for (;;) {
        const HttpReply reply = co_await s.post(step, url, kPostAsGet);
        const Authorization a = authorizationFromJson(url, AcmeSession::jsonBody(reply));
        if (a.status == QLatin1String("valid"))
            co_return a;
        if (a.status != QLatin1String("pending") && a.status != QLatin1String("processing")) {
            for (const auto& c : a.challenges)
                if (!c.error.isEmpty())
                    throw AcmeError::fromProblem(step, 0, c.error, a.displayName());
            throw AcmeError(step, QStringLiteral("invalid"),
                            QStringLiteral("the authorization became %1").arg(a.status), 0,
                            a.displayName());
        }
        if (std::chrono::steady_clock::now() > deadline)
            throw AcmeError(
                step, QStringLiteral("timeout"),
                QStringLiteral("the CA did not finish validating within %1 s")
                    .arg(std::chrono::duration_cast<std::chrono::seconds>(poll.deadline).count()),
                0, a.displayName());
        const auto wait = pollDelay(reply, delay, poll);
        co_await sleepFor(wait);
        delay = std::min(delay * 2, poll.max);
    }
}

namespace {
// Polls the order while the CA works on it, from the answer `reply` that said `current`.
awaitable<Order> pollOrder(AcmeSession& s, HttpReply reply, Order current, const QString& step,
                           const PollSettings& poll) {
    const QString checkStep = QStringLiteral("check the order");
    const QUrl url = current.url;
    auto delay = poll.first;
    const auto deadline = std::chrono::steady_clock::now() + poll.deadline;
    while (current.status == QLatin1String("processing") ||
           current.status == QLatin1String("ready") || current.status == QLatin1String("pending")) {
        if (std::chrono::steady_clock::now() > deadline)
            throw AcmeError(step, QStringLiteral("timeout"),
                            QStringLiteral("the CA did not issue the certificate in time"));
        const auto wait = pollDelay(reply, delay, poll);
        co_await sleepFor(wait);
        delay = std::min(delay * 2, poll.max);
        reply = co_await s.post(checkStep, url, kPostAsGet);
        current = orderFromJson(url, AcmeSession::jsonBody(reply));
    }
    if (current.status != QLatin1String("valid")) {
        if (!current.error.isEmpty())
            throw AcmeError::fromProblem(step, 0, current.error);
        throw AcmeError(step, QStringLiteral("invalid"),
                        QStringLiteral("the order became %1").arg(current.status));
    }
    co_return current;
}
} // namespace

awaitable<Order> finalizeOrder(AcmeSession& s, const Order& order, const QByteArray& csrDer,
                               const PollSettings& poll) {
    const QString step = QStringLiteral("finalize the order");
    const QJsonObject payload{
        {QStringLiteral("csr"), QString::fromLatin1(crypto::base64UrlEncode(csrDer))}};
    HttpReply reply = co_await s.post(step, order.finalize, payload);
    Order current = orderFromJson(order.url, AcmeSession::jsonBody(reply));
    co_return co_await pollOrder(s, std::move(reply), std::move(current), step, poll);
}

awaitable<Order> fetchOrder(AcmeSession& s, const QUrl& url) {
    const QString step = QStringLiteral("read the order");
    const HttpReply reply = co_await s.post(step, url, kPostAsGet);
    co_return orderFromJson(url, AcmeSession::jsonBody(reply));
}

awaitable<Order> waitForIssuedOrder(AcmeSession& s, const Order& order, const PollSettings& poll) {
    const QString step = QStringLiteral("wait for the certificate");
    HttpReply reply = co_await s.post(step, order.url, kPostAsGet);
    Order current = orderFromJson(order.url, AcmeSession::jsonBody(reply));
    co_return co_await pollOrder(s, std::move(reply), std::move(current), step, poll);
}

QList<std::pair<QUrl, QString>> parseLinks(const std::vector<std::string>& linkHeaders,
                                           const QUrl& base) {
    static const QRegularExpression link(QStringLiteral("<([^>]*)>\\s*((?:;[^,]*)*)"));
    static const QRegularExpression rel(QStringLiteral("rel\\s*=\\s*\"?([^\";]+)\"?"));
    QList<std::pair<QUrl, QString>> links;
    for (const auto& header : linkHeaders) {
        auto it = link.globalMatch(QString::fromStdString(header));
        while (it.hasNext()) {
            const auto m = it.next();
            const auto r = rel.match(m.captured(2));
            links.append({base.resolved(QUrl(m.captured(1))),
                          r.hasMatch() ? r.captured(1).trimmed() : QString()});
        }
    }
    return links;
}

QList<QUrl> alternateChainLinks(const std::vector<std::string>& linkHeaders, const QUrl& base) {
    QList<QUrl> alternates;
    for (const auto& [url, relation] : parseLinks(linkHeaders, base))
        if (relation == QLatin1String("alternate"))
            alternates.append(url);
    return alternates;
}

awaitable<CertificateChains> downloadCertificate(AcmeSession& s, const QUrl& url) {
    const QString step = QStringLiteral("download the certificate");
    const std::string accept = "application/pem-certificate-chain";
    const HttpReply reply =
        co_await s.post(step, url, kPostAsGet, AcmeSession::Signer::Kid, accept);
    CertificateChains chains;
    chains.primary = QByteArray::fromStdString(reply.body);
    for (const QUrl& alt : alternateChainLinks(reply.headerValues("link"), url)) {
        const HttpReply other =
            co_await s.post(step, alt, kPostAsGet, AcmeSession::Signer::Kid, accept);
        chains.alternates.append(QByteArray::fromStdString(other.body));
    }
    co_return chains;
}

QByteArray choosePreferredChain(const CertificateChains& chains, const QString& preferredIssuer) {
    if (preferredIssuer.isEmpty())
        return chains.primary;
    QList<QByteArray> all{chains.primary};
    all.append(chains.alternates);
    for (const auto& chain : all) {
        const auto certs = crypto::splitPemChain(chain);
        if (certs.isEmpty())
            continue;
        // A chain whose top certificate does not parse matches no issuer: the CA's other
        // chains are still worth choosing from, and a broken primary is refused afterwards
        // with the key check, in words about the certificate.
        try {
            const auto top = crypto::parseCertificate(certs.last());
            if (top.issuer.contains(preferredIssuer, Qt::CaseInsensitive))
                return chain;
        } catch (const crypto::CryptoError&) {
            continue;
        }
    }
    return chains.primary;
}

awaitable<void> revokeCertificate(AcmeSession& s, const QByteArray& certificateDer, int reason) {
    const Directory d = co_await s.directory();
    const QString step = QStringLiteral("revoke the certificate");
    const QJsonObject payload{{QStringLiteral("certificate"),
                               QString::fromLatin1(crypto::base64UrlEncode(certificateDer))},
                              {QStringLiteral("reason"), reason}};
    co_await s.post(step, d.revokeCert, payload);
}

awaitable<void> rolloverAccountKey(AcmeSession& s, const crypto::PrivateKey& newKey) {
    const Directory d = co_await s.directory();
    // RFC 8555 §7.3.5: the inner JWS, signed by the new key, names the account and the old key;
    // the outer one is an ordinary request signed by the old key.
    const QJsonObject inner =
        crypto::keyChangeInnerJws(newKey, s.accountKey(), s.accountUrl(), d.keyChange.toString());
    const QString step = QStringLiteral("roll over the account key");
    co_await s.post(step, d.keyChange, inner);
}

} // namespace ck::acme
