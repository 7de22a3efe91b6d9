#include "ChallTestSrvProcess.h"

#include "DnsWire.h"
#include "PeerStart.h"
#include "SyncHttp.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>

namespace ck::test {
namespace {

// challtestsrv matches names case-sensitively, and Pebble asks in lower case.
QString fqdn(const QString& host) {
    const QString lower = host.toLower();
    return lower.endsWith(u'.') ? lower : lower + u'.';
}

} // namespace

ChallTestSrvProcess::ChallTestSrvProcess(QString workDir) : m_workDir(std::move(workDir)) {
    if (m_workDir.isEmpty()) {
        m_tempDir = std::make_unique<QTemporaryDir>();
        m_workDir = m_tempDir->path();
    }
}

ChallTestSrvProcess::~ChallTestSrvProcess() {
    stop();
}

QString ChallTestSrvProcess::dnsAddress() const {
    return QStringLiteral("127.0.0.1:%1").arg(m_dnsPort);
}

QString ChallTestSrvProcess::managementUrl() const {
    return QStringLiteral("http://127.0.0.1:%1").arg(m_managementPort);
}

// Serves, on the DNS port, a TXT record set through the management port: both work, and
// belong together (holdsPort() separately proves they are this process's).
bool ChallTestSrvProcess::answersProbe() {
    const QString host = QStringLiteral("_probe.certkeeper.invalid.");
    const QString token = QString::number(QRandomGenerator::global()->generate64(), 16);
    if (!setTxt(host, token))
        return false;
    const auto answer = dns::query(QStringLiteral("127.0.0.1"), m_dnsPort, host, dns::TXT, 500);
    clearTxt(host);
    return answer && answer->answers.size() == 1 &&
           dns::txtValue(answer->answers[0].rdata) == token;
}

bool ChallTestSrvProcess::start(int timeoutMs) {
    stop();
    m_error.clear();
    PeerLaunch launch;
    launch.name = QStringLiteral("pebble-challtestsrv");
    launch.program =
        findProgram(QStringLiteral("pebble-challtestsrv"), QStringLiteral("pebble-challtestsrv"));
    launch.logFile = m_workDir + QStringLiteral("/challtestsrv.log");
    launch.workDir = m_workDir;
    launch.portCount = 2;
    launch.udpToo = true;
    launch.configure = [this](const std::vector<int>& ports, QString&) {
        m_dnsPort = ports[0];
        m_managementPort = ports[1];
        // Empty addresses disable the challenge responders: tests run their own.
        return std::optional<QStringList>(
            QStringList{QStringLiteral("-dns01"), dnsAddress(), QStringLiteral("-management"),
                        QStringLiteral("127.0.0.1:%1").arg(m_managementPort),
                        QStringLiteral("-http01"), QString(), QStringLiteral("-https01"), QString(),
                        QStringLiteral("-tlsalpn01"), QString()});
    };
    launch.ready = [this] {
        return holdsPort(pid(), m_dnsPort, true) && holdsPort(pid(), m_dnsPort) &&
               holdsPort(pid(), m_managementPort) && answersProbe();
    };
    launch.awaited = QStringLiteral("answer");
    // A failed bind is logged and it keeps running.
    launch.portTakenSigns = {QStringLiteral("address already in use")};
    return startOnFreePorts(m_process, launch, timeoutMs, m_error);
}

void ChallTestSrvProcess::stop() {
    m_process.stop();
}

bool ChallTestSrvProcess::post(const QString& path, const QJsonObject& body) {
    const HttpResponse response = httpRequest("POST", QUrl(managementUrl() + path),
                                              QJsonDocument(body).toJson(QJsonDocument::Compact));
    return response.status == 200;
}

bool ChallTestSrvProcess::setTxt(const QString& host, const QString& value) {
    return post(QStringLiteral("/set-txt"),
                {{QStringLiteral("host"), fqdn(host)}, {QStringLiteral("value"), value}});
}

bool ChallTestSrvProcess::clearTxt(const QString& host) {
    return post(QStringLiteral("/clear-txt"), {{QStringLiteral("host"), fqdn(host)}});
}

bool ChallTestSrvProcess::setCname(const QString& host, const QString& target) {
    return post(QStringLiteral("/set-cname"),
                {{QStringLiteral("host"), fqdn(host)}, {QStringLiteral("target"), fqdn(target)}});
}

bool ChallTestSrvProcess::addA(const QString& host, const QStringList& addresses) {
    return post(QStringLiteral("/add-a"),
                {{QStringLiteral("host"), fqdn(host)},
                 {QStringLiteral("addresses"), QJsonArray::fromStringList(addresses)}});
}

bool ChallTestSrvProcess::setDefaultAddresses(const QString& ipv4, const QString& ipv6) {
    return post(QStringLiteral("/set-default-ipv4"), {{QStringLiteral("ip"), ipv4}}) &&
           post(QStringLiteral("/set-default-ipv6"), {{QStringLiteral("ip"), ipv6}});
}

} // namespace ck::test
