#include "AcmeExtensionProxy.h"

#include "HttpMessage.h"

#include <QFile>
#include <QJsonDocument>
#include <QMutex>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslSocket>
#include <QTcpServer>
#include <QThread>

#include <functional>
#include <optional>

namespace ck::test {

struct AcmeExtensionProxy::Shared {
    mutable QMutex mutex;
    Options options;
    RenewalInfoAnswer answer;
    bool refuseReplaces = false;
    QStringList renewalIds;
    QList<QJsonObject> orders;
    QString newOrderPath; // learnt from Pebble's directory
    // Fixed before the thread starts.
    int upstreamPort = 0;
    QList<QSslCertificate> upstreamRoots;
    QSslCertificate certificate;
    QSslKey key;
};

namespace {
using Shared = AcmeExtensionProxy::Shared;
constexpr const char* kRenewalInfoPath = "/renewal-info";

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

    void reply(const HttpMessage& response) {
        m_client->write(serializeHttpMessage(response, m_keepAlive ? "keep-alive" : "close"));
        m_busy = false;
        if (m_keepAlive)
            next();
        else
            m_client->disconnectFromHost();
    }

    void handle(const HttpMessage& request) {
        const QList<QByteArray> parts = request.firstLine.split(' ');
        const QByteArray method = parts.value(0);
        const QString path = QString::fromLatin1(parts.value(1).split('?').first());
        const QByteArray host = request.header("host");
        m_keepAlive = request.header("connection").toLower() != "close";
        const QString renewalPrefix = QLatin1String(kRenewalInfoPath) + u'/';
        if (method == "GET" && path.startsWith(renewalPrefix))
            return reply(renewalInfo(path.mid(renewalPrefix.size())));
        QMutexLocker lock(&m_shared->mutex);
        std::optional<QJsonObject> order;
        if (method == "POST" && path == m_shared->newOrderPath) {
            order = jwsPayload(request.body);
            if (m_shared->refuseReplaces && order->contains("replaces")) {
                m_shared->orders.append(*order);
                lock.unlock();
                return reply(problem(409, "alreadyReplaced",
                                     QStringLiteral("The certificate %1 has already been replaced")
                                         .arg(order->value("replaces").toString())));
            }
        }
        lock.unlock();
        const bool isDirectory = method == "GET" && path == QLatin1String("/dir");
        forward(request, method == "HEAD", [this, isDirectory, host, order](HttpMessage response) {
            if (isDirectory && response.status() == 200)
                extendDirectory(response, host);
            // Pebble turns down some nonces on purpose; such a request never became an order, and
            // the client sends it again.
            if (order && !response.body.contains("error:badNonce")) {
                QMutexLocker recording(&m_shared->mutex);
                m_shared->orders.append(*order);
            }
            reply(response);
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
        m_shared->newOrderPath = QUrl(directory.value("newOrder").toString()).path();
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

class Server : public QTcpServer {
public:
    Server(std::shared_ptr<Shared> shared, QObject* parent)
        : QTcpServer(parent), m_shared(std::move(shared)) {}

protected:
    void incomingConnection(qintptr descriptor) override {
        auto* socket = new QSslSocket;
        if (!socket->setSocketDescriptor(descriptor)) {
            delete socket;
            return;
        }
        socket->setLocalCertificate(m_shared->certificate);
        socket->setPrivateKey(m_shared->key);
        socket->setPeerVerifyMode(QSslSocket::VerifyNone);
        new Connection(socket, m_shared, this); // owns the socket
        socket->startServerEncryption();
    }

private:
    std::shared_ptr<Shared> m_shared;
};

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
} // namespace

AcmeExtensionProxy::AcmeExtensionProxy(const PebbleProcess& pebble, Options options)
    : m_pebble(pebble), m_shared(std::make_shared<Shared>()) {
    m_shared->options = std::move(options);
}

AcmeExtensionProxy::~AcmeExtensionProxy() {
    if (!m_thread)
        return;
    // The server and its sockets belong to the proxy's thread: they are deleted there.
    QMetaObject::invokeMethod(
        m_home, [home = m_home] { qDeleteAll(home->children()); }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_home;
}

bool AcmeExtensionProxy::start() {
    // Pebble's own TLS leaf (localhost, 127.0.0.1) and the root it is trusted through.
    const QString dir = m_pebble.workDir();
    m_shared->certificate = QSslCertificate(readAll(dir + QStringLiteral("/tls-leaf.pem")));
    m_shared->key = QSslKey(readAll(dir + QStringLiteral("/tls-leaf.key")), QSsl::Ec);
    m_shared->upstreamRoots = QSslCertificate::fromPath(m_pebble.tlsRootFile());
    m_shared->upstreamPort = m_pebble.acmePort();
    if (m_shared->certificate.isNull() || m_shared->key.isNull() ||
        m_shared->upstreamRoots.isEmpty()) {
        m_error = QStringLiteral("cannot read Pebble's TLS certificate, key or root in ") + dir;
        return false;
    }
    m_thread = std::make_unique<QThread>();
    m_thread->start();
    m_home = new QObject;
    m_home->moveToThread(m_thread.get());
    QString error;
    QMetaObject::invokeMethod(
        m_home,
        [this, &error] {
            auto* server = new Server(m_shared, m_home);
            if (server->listen(QHostAddress::LocalHost, 0))
                m_port = server->serverPort();
            else
                error = server->errorString();
        },
        Qt::BlockingQueuedConnection);
    m_error = error;
    return m_port != 0;
}

QString AcmeExtensionProxy::directoryUrl() const {
    return QStringLiteral("https://127.0.0.1:%1/dir").arg(m_port);
}

void AcmeExtensionProxy::setOptions(const Options& options) {
    QMutexLocker lock(&m_shared->mutex);
    m_shared->options = options;
}

void AcmeExtensionProxy::setRenewalInfoAnswer(const RenewalInfoAnswer& answer) {
    QMutexLocker lock(&m_shared->mutex);
    m_shared->answer = answer;
}

void AcmeExtensionProxy::setRefuseReplaces(bool refuse) {
    QMutexLocker lock(&m_shared->mutex);
    m_shared->refuseReplaces = refuse;
}

QStringList AcmeExtensionProxy::renewalInfoRequests() const {
    QMutexLocker lock(&m_shared->mutex);
    return m_shared->renewalIds;
}

QList<QJsonObject> AcmeExtensionProxy::newOrderPayloads() const {
    QMutexLocker lock(&m_shared->mutex);
    return m_shared->orders;
}

} // namespace ck::test
