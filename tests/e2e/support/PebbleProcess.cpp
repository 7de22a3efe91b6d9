#include "PebbleProcess.h"

#include "PeerStart.h"
#include "SyncHttp.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>

namespace ck::test {

PebbleProcess::PebbleProcess(Options options, QString workDir)
    : m_options(std::move(options)), m_workDir(std::move(workDir)) {
    if (m_workDir.isEmpty()) {
        m_tempDir = std::make_unique<QTemporaryDir>();
        m_workDir = m_tempDir->path();
    }
}

PebbleProcess::~PebbleProcess() {
    stop();
}

QString PebbleProcess::tlsRootFile() const {
    return m_workDir + QStringLiteral("/tls-root.pem");
}

QString PebbleProcess::directoryUrl() const {
    return QStringLiteral("https://127.0.0.1:%1/dir").arg(m_acmePort);
}

QString PebbleProcess::managementUrl() const {
    return QStringLiteral("https://127.0.0.1:%1").arg(m_managementPort);
}

// A small root plus a leaf for localhost / 127.0.0.1, rather than one self-signed
// certificate: strict verifiers (Go, Python) refuse a CA certificate as a server's leaf.
bool PebbleProcess::generateTlsCertificate() {
    if (QFile::exists(tlsRootFile()))
        return true;
    const QString dir = m_workDir + u'/';
    const QStringList ecKey{QStringLiteral("-newkey"),  QStringLiteral("ec"),
                            QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:P-256"),
                            QStringLiteral("-nodes"),   QStringLiteral("-days"),
                            QStringLiteral("30")};
    const QString openssl = findProgram(QStringLiteral("openssl"), QStringLiteral("openssl"));
    const ToolResult root =
        runTool(openssl,
                QStringList{QStringLiteral("req"), QStringLiteral("-x509")} + ecKey +
                    QStringList{QStringLiteral("-keyout"), dir + QStringLiteral("tls-root.key"),
                                QStringLiteral("-out"), dir + QStringLiteral("tls-root.tmp"),
                                QStringLiteral("-subj"), QStringLiteral("/CN=Pebble TLS test root"),
                                QStringLiteral("-addext"),
                                QStringLiteral("keyUsage=critical,keyCertSign,cRLSign")});
    if (!root.ok()) {
        m_error = QStringLiteral("openssl (TLS root): ") + root.describe();
        return false;
    }
    const ToolResult leaf = runTool(
        openssl,
        QStringList{QStringLiteral("req"), QStringLiteral("-x509")} + ecKey +
            QStringList{
                QStringLiteral("-CA"), dir + QStringLiteral("tls-root.tmp"),
                QStringLiteral("-CAkey"), dir + QStringLiteral("tls-root.key"),
                QStringLiteral("-keyout"), dir + QStringLiteral("tls-leaf.key"),
                QStringLiteral("-out"), dir + QStringLiteral("tls-leaf.pem"),
                QStringLiteral("-subj"), QStringLiteral("/CN=localhost"), QStringLiteral("-addext"),
                QStringLiteral("subjectAltName=DNS:localhost,IP:127.0.0.1"),
                QStringLiteral("-addext"), QStringLiteral("basicConstraints=critical,CA:FALSE"),
                QStringLiteral("-addext"), QStringLiteral("extendedKeyUsage=serverAuth")});
    if (!leaf.ok()) {
        m_error = QStringLiteral("openssl (TLS leaf): ") + leaf.describe();
        return false;
    }
    // Renamed last, so an interrupted generation is redone rather than half used.
    return QFile::rename(dir + QStringLiteral("tls-root.tmp"), tlsRootFile());
}

bool PebbleProcess::writeConfig() {
    QJsonObject macKeys;
    for (auto it = m_options.eabKeys.cbegin(); it != m_options.eabKeys.cend(); ++it)
        macKeys.insert(it.key(), it.value());
    const QJsonObject pebble{
        {QStringLiteral("listenAddress"), QStringLiteral("127.0.0.1:%1").arg(m_acmePort)},
        {QStringLiteral("managementListenAddress"),
         QStringLiteral("127.0.0.1:%1").arg(m_managementPort)},
        {QStringLiteral("certificate"), m_workDir + QStringLiteral("/tls-leaf.pem")},
        {QStringLiteral("privateKey"), m_workDir + QStringLiteral("/tls-leaf.key")},
        {QStringLiteral("httpPort"), m_options.httpPort},
        {QStringLiteral("tlsPort"), m_options.tlsPort},
        {QStringLiteral("ocspResponderURL"), m_options.ocspResponderUrl},
        {QStringLiteral("externalAccountBindingRequired"), m_options.eabRequired},
        {QStringLiteral("externalAccountMACKeys"), macKeys}};
    QFile file(m_workDir + QStringLiteral("/pebble-config.json"));
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) &&
           file.write(QJsonDocument(QJsonObject{{QStringLiteral("pebble"), pebble}}).toJson()) > 0;
}

QProcessEnvironment PebbleProcess::environment() const {
    // Set or removed explicitly: knobs in the developer's shell must not leak into tests.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    const auto setFlag = [&env](const QString& name, bool on) {
        if (on)
            env.insert(name, QStringLiteral("1"));
        else
            env.remove(name);
    };
    setFlag(QStringLiteral("PEBBLE_VA_NOSLEEP"), m_options.vaNoSleep);
    setFlag(QStringLiteral("PEBBLE_VA_ALWAYS_VALID"), m_options.vaAlwaysValid);
    env.insert(QStringLiteral("PEBBLE_WFE_NONCEREJECT"),
               QString::number(m_options.nonceRejectPercent));
    env.insert(QStringLiteral("PEBBLE_AUTHZREUSE"), QString::number(m_options.authzReusePercent));
    for (auto it = m_options.extraEnvironment.cbegin(); it != m_options.extraEnvironment.cend();
         ++it)
        env.insert(it.key(), it.value());
    return env;
}

bool PebbleProcess::start(int timeoutMs) {
    stop();
    m_error.clear();
    if (!generateTlsCertificate())
        return false;
    PeerLaunch launch;
    launch.name = QStringLiteral("pebble");
    launch.program = findProgram(QStringLiteral("pebble"), QStringLiteral("pebble"));
    launch.logFile = m_workDir + QStringLiteral("/pebble.log");
    launch.workDir = m_workDir;
    launch.environment = environment();
    launch.portCount = 4;
    launch.configure = [this](const std::vector<int>& ports,
                              QString& error) -> std::optional<QStringList> {
        m_acmePort = ports[0];
        m_managementPort = ports[1];
        // Chosen once: a test may already have a challenge responder on them.
        if (m_options.httpPort == 0)
            m_options.httpPort = ports[2];
        if (m_options.tlsPort == 0)
            m_options.tlsPort = ports[3];
        if (!writeConfig()) {
            error = QStringLiteral("cannot write the Pebble config in ") + m_workDir;
            return std::nullopt;
        }
        QStringList args{QStringLiteral("-config"),
                         m_workDir + QStringLiteral("/pebble-config.json")};
        if (!m_options.dnsServer.isEmpty())
            args << QStringLiteral("-dnsserver") << m_options.dnsServer;
        return args;
    };
    launch.ready = [this] {
        const HttpResponse dir = httpRequest("GET", QUrl(directoryUrl()), {}, tlsRootFile(), 2000);
        // Our TLS root proves it is this Pebble; holdsPort() that it runs on both ports.
        return dir.status == 200 && !managementGet(QStringLiteral("/roots/0")).isEmpty() &&
               holdsPort(pid(), m_acmePort) && holdsPort(pid(), m_managementPort);
    };
    launch.awaited = QStringLiteral("answer");
    launch.portTakenSigns = {QStringLiteral("address already in use")};
    return startOnFreePorts(m_process, launch, timeoutMs, m_error);
}

void PebbleProcess::stop() {
    m_process.stop();
}

QByteArray PebbleProcess::managementGet(const QString& path) const {
    const HttpResponse response =
        httpRequest("GET", QUrl(managementUrl() + path), {}, tlsRootFile(), 5000);
    return response.status == 200 ? response.body : QByteArray();
}

QByteArray PebbleProcess::rootCertificatePem(int index) const {
    return managementGet(QStringLiteral("/roots/%1").arg(index));
}

QByteArray PebbleProcess::intermediatePem(int index) const {
    return managementGet(QStringLiteral("/intermediates/%1").arg(index));
}

QByteArray PebbleProcess::intermediateKeyPem(int index) const {
    return managementGet(QStringLiteral("/intermediate-keys/%1").arg(index));
}

QJsonObject PebbleProcess::certStatusBySerial(const QString& hexSerial) const {
    return QJsonDocument::fromJson(
               managementGet(QStringLiteral("/cert-status-by-serial/") + hexSerial))
        .object();
}

} // namespace ck::test
