#include "AcmeProxyConnection.h"

#include "HttpMessage.h"

#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QUrl>

#include <functional>
#include <optional>

namespace ck::test {

namespace {
using Shared = AcmeExtensionProxy::Shared;
using Fault = Shared::Fault;
constexpr const char* kRenewalInfoPath = "/renewal-info";

bool namesIdentifier(const std::optional<QJsonObject>& payload, const QString& identifier) {
    if (identifier.isEmpty())
        return true;
    if (!payload)
        return false;
    for (const auto& id : payload->value("identifiers").toArray())
        if (id.toObject().value("value").toString() == identifier)
            return true;
    return false;
}

// The answer of a Problem fault, but for its Replay-Nonce.
HttpMessage problemAnswer(const AcmeFault& f) {
    const QString type = QStringLiteral("urn:ietf:params:acme:error:") + f.problemType;
    QJsonObject body{{"type", type}, {"detail", f.detail}, {"status", f.status}};
    if (!f.identifier.isEmpty() && !f.subproblemDetail.isEmpty()) {
        const bool ip = !QHostAddress(f.identifier).isNull();
        const QJsonObject identifier{{"type", ip ? "ip" : "dns"}, {"value", f.identifier}};
        body.insert("subproblems", QJsonArray{QJsonObject{{"type", type},
                                                          {"detail", f.subproblemDetail},
                                                          {"identifier", identifier}}});
    }
    HttpMessage m = jsonHttpMessage(f.status, body, "application/problem+json");
    if (f.retryAfterSeconds >= 0)
        m.setHeader("Retry-After", QByteArray::number(f.retryAfterSeconds));
    return m;
}

// Pebble's authorization (order) as still "pending" ("processing").
void makeStillPending(HttpMessage& response, const AcmeFault& f) {
    QJsonObject o = QJsonDocument::fromJson(response.body).object();
    o.insert("status", o.contains("identifier") ? "pending" : "processing");
    response.body = QJsonDocument(o).toJson(QJsonDocument::Compact);
    if (f.retryAfterSeconds >= 0)
        response.setHeader("Retry-After", QByteArray::number(f.retryAfterSeconds));
}

// One client connection: requests are answered in order, each forwarded to Pebble on a new
// connection of its own, or answered here.
class Connection : public QObject {
public:
    Connection(QSslSocket* client, std::shared_ptr<Shared> shared, QObject* parent)
        : QObject(parent), m_client(client), m_shared(std::move(shared)) {
        client->setParent(this);
        connect(client, &QSslSocket::readyRead, this, [this] {
            m_buffer += m_client->readAll();
            next();
        });
        connect(client, &QSslSocket::disconnected, this, &QObject::deleteLater);
        connect(client, &QSslSocket::errorOccurred, this, &QObject::deleteLater);
    }

private:
    void next() {
        if (m_busy)
            return;
        std::optional<HttpMessage> request = takeHttpMessage(m_buffer, false, false, false);
        if (!request)
            return;
        m_busy = true;
        handle(*request);
    }

    void reply(qsizetype record, const HttpMessage& response) {
        {
            QMutexLocker lock(&m_shared->mutex);
            m_shared->requests[record].status = response.status();
            m_shared->requests[record].badNonce = response.body.contains("error:badNonce");
        }
        m_client->write(serializeHttpMessage(response, m_keepAlive ? "keep-alive" : "close"));
        m_busy = false;
        if (m_keepAlive)
            next();
        else
            m_client->disconnectFromHost();
    }

    // The first fault that takes a request to `path`, if any. Mutex held.
    std::shared_ptr<Fault> faultFor(const QString& path,
                                    const std::optional<QJsonObject>& payload) {
        for (const auto& f : m_shared->faults)
            if (f->times != 0 && m_shared->targets(path, f->fault.target) &&
                namesIdentifier(payload, f->fault.identifier))
                return f;
        return nullptr;
    }

    void handle(const HttpMessage& request) {
        const QList<QByteArray> parts = request.firstLine.split(' ');
        const QByteArray method = parts.value(0);
        const QString path = QString::fromLatin1(parts.value(1).split('?').first());
        const QByteArray host = request.header("host");
        m_keepAlive = request.header("connection").toLower() != "close";
        std::optional<QJsonObject> payload;
        if (method == "POST")
            payload = jwsPayload(request.body);
        QMutexLocker lock(&m_shared->mutex);
        const qsizetype record = m_shared->requests.size();
        m_shared->requests.append({method, path, QDateTime::currentDateTimeUtc()});
        const QString renewalPrefix = QLatin1String(kRenewalInfoPath) + u'/';
        if (method == "GET" && path.startsWith(renewalPrefix)) {
            lock.unlock();
            return reply(record, renewalInfo(path.mid(renewalPrefix.size())));
        }
        std::optional<QJsonObject> order;
        if (method == "POST" && m_shared->targets(path, QStringLiteral("newOrder"))) {
            order = payload;
            if (m_shared->refuseReplaces && order->contains("replaces")) {
                m_shared->orders.append(*order);
                lock.unlock();
                return reply(record,
                             problem(409, "alreadyReplaced",
                                     QStringLiteral("The certificate %1 has already been replaced")
                                         .arg(order->value("replaces").toString())));
            }
        }
        const std::shared_ptr<Fault> fault = faultFor(path, payload);
        if (fault && fault->skip == 0 && fault->fault.kind != AcmeFault::Kind::StillPending) {
            if (fault->times > 0)
                --fault->times;
            m_shared->requests[record].injected = true;
            if (fault->fault.kind == AcmeFault::Kind::Hang)
                return; // busy for good: the client gives up and closes
            const QString noncePath = m_shared->resourcePaths.value(QStringLiteral("newNonce"));
            lock.unlock();
            return answerWithNonce(record, problemAnswer(fault->fault), noncePath, host);
        }
        lock.unlock();
        const bool isDirectory = method == "GET" && path == QLatin1String("/dir");
        forward(request, method == "HEAD",
                [this, record, isDirectory, host, order, fault](HttpMessage response) {
                    if (isDirectory && response.status() == 200)
                        extendDirectory(response, host);
                    // Pebble turns down some nonces on purpose; such a request never took
                    // effect, and the client sends it again.
                    const bool badNonce = response.body.contains("error:badNonce");
                    QMutexLocker recording(&m_shared->mutex);
                    if (order && !badNonce)
                        m_shared->orders.append(*order);
                    if (fault && !badNonce) {
                        if (fault->skip > 0) {
                            --fault->skip;
                        } else if (fault->times != 0 && response.status() < 400) {
                            if (fault->times > 0)
                                --fault->times;
                            makeStillPending(response, fault->fault);
                            m_shared->requests[record].injected = true;
                        }
                    }
                    recording.unlock();
                    reply(record, response);
                });
    }

    // A CA's error answer carries a fresh nonce (RFC 8555 §6.5): one Pebble issued, so the
    // client's next request is signed with a nonce Pebble knows.
    void answerWithNonce(qsizetype record, const HttpMessage& answer, const QString& noncePath,
                         const QByteArray& host) {
        if (noncePath.isEmpty())
            return reply(record, answer);
        const HttpMessage head{"HEAD " + noncePath.toLatin1() + " HTTP/1.1", {{"Host", host}}, {}};
        forward(head, true, [this, record, answer](const HttpMessage& nonceAnswer) {
            HttpMessage withNonce = answer;
            const QByteArray nonce = nonceAnswer.header("replay-nonce");
            if (!nonce.isEmpty())
                withNonce.setHeader("Replay-Nonce", nonce);
            reply(record, withNonce);
        });
    }

    HttpMessage renewalInfo(const QString& certId) {
        QMutexLocker lock(&m_shared->mutex);
        m_shared->renewalIds.append(QUrl::fromPercentEncoding(certId.toLatin1()));
        RenewalInfoAnswer& a = m_shared->answer;
        if (a.busyAnswers > 0) { // as a CA under load: ask again after Retry-After
            --a.busyAnswers;
            HttpMessage busy = problem(503, "serverInternal", QStringLiteral("Busy (test proxy)"));
            busy.headers.append({QByteArray("Retry-After"), QByteArray("1")});
            return busy;
        }
        if (a.status != 200)
            return problem(a.status, "serverInternal",
                           QStringLiteral("Renewal information is unavailable (test proxy)"));
        QJsonObject body{
            {"suggestedWindow", QJsonObject{{"start", a.start.toUTC().toString(Qt::ISODateWithMs)},
                                            {"end", a.end.toUTC().toString(Qt::ISODateWithMs)}}}};
        if (!a.explanationUrl.isEmpty())
            body.insert("explanationURL", a.explanationUrl);
        HttpMessage m = jsonHttpMessage(200, body, "application/json");
        m.headers.append({QByteArray("Retry-After"), QByteArray("21600")});
        return m;
    }

    void extendDirectory(HttpMessage& response, const QByteArray& host) {
        QJsonObject directory = QJsonDocument::fromJson(response.body).object();
        QMutexLocker lock(&m_shared->mutex);
        for (auto it = directory.constBegin(); it != directory.constEnd(); ++it)
            if (it->isString())
                m_shared->resourcePaths.insert(it.key(), QUrl(it->toString()).path());
        if (m_shared->options.renewalInfo)
            directory.insert("renewalInfo",
                             QStringLiteral("https://%1%2")
                                 .arg(QString::fromLatin1(host), QLatin1String(kRenewalInfoPath)));
        if (!m_shared->options.profiles.isEmpty()) {
            QJsonObject meta = directory.value("meta").toObject();
            meta.insert("profiles", m_shared->options.profiles);
            directory.insert("meta", meta);
        }
        response.body = QJsonDocument(directory).toJson();
    }

    void forward(const HttpMessage& request, bool head, std::function<void(HttpMessage)> done) {
        auto* upstream = new QSslSocket(this);
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setCaCertificates(m_shared->upstreamRoots);
        upstream->setSslConfiguration(tls);
        auto buffer = std::make_shared<QByteArray>();
        const auto finish = [this, upstream, buffer, head, done](bool atEof) {
            *buffer += upstream->readAll();
            std::optional<HttpMessage> response = takeHttpMessage(*buffer, true, head, atEof);
            if (!response && !atEof)
                return;
            upstream->disconnect(this); // exactly one answer per request
            upstream->deleteLater();
            done(response ? *response
                          : problem(502, "serverInternal",
                                    QStringLiteral("Pebble gave no complete answer (test proxy)")));
        };
        // "Connection: close" upstream: Pebble then ends every answer by closing.
        const QByteArray bytes = serializeHttpMessage(request, "close");
        connect(upstream, &QSslSocket::encrypted, this,
                [upstream, bytes] { upstream->write(bytes); });
        connect(upstream, &QSslSocket::readyRead, this, [finish] { finish(false); });
        connect(upstream, &QSslSocket::disconnected, this, [finish] { finish(true); });
        connect(upstream, &QSslSocket::errorOccurred, this, [finish] { finish(true); });
        upstream->connectToHostEncrypted(QStringLiteral("127.0.0.1"),
                                         quint16(m_shared->upstreamPort));
    }

    QSslSocket* m_client;
    std::shared_ptr<Shared> m_shared;
    QByteArray m_buffer;
    bool m_busy = false;
    bool m_keepAlive = true;
};
} // namespace

void serveProxyConnection(QSslSocket* client, std::shared_ptr<Shared> shared, QObject* parent) {
    new Connection(client, std::move(shared), parent); // owns the client socket
}

} // namespace ck::test
