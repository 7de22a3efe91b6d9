#include "AcmeExtensionProxy.h"

#include "AcmeProxyConnection.h"

#include <QFile>
#include <QSslSocket>
#include <QTcpServer>
#include <QThread>

namespace ck::test {

namespace {
using Shared = AcmeExtensionProxy::Shared;

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
        serveProxyConnection(socket, m_shared, this);
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

void AcmeExtensionProxy::addFault(const AcmeFault& fault) {
    QMutexLocker lock(&m_shared->mutex);
    m_shared->faults.append(std::make_shared<Shared::Fault>(
        Shared::Fault{.fault = fault, .skip = fault.skip, .times = fault.times}));
}

void AcmeExtensionProxy::clearFaults() {
    QMutexLocker lock(&m_shared->mutex);
    m_shared->faults.clear();
}

QList<ProxiedRequest> AcmeExtensionProxy::requests(const QString& target) const {
    QMutexLocker lock(&m_shared->mutex);
    QList<ProxiedRequest> matching;
    for (const auto& r : m_shared->requests)
        if (m_shared->targets(r.path, target))
            matching.append(r);
    return matching;
}

int AcmeExtensionProxy::attempts(const QString& target) const {
    int n = 0;
    for (const auto& r : requests(target))
        n += r.badNonce ? 0 : 1;
    return n;
}

} // namespace ck::test
