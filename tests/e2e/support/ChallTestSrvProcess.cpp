#include "ChallTestSrvProcess.h"

#include "DnsWire.h"
#include "SyncHttp.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QThread>

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
    const QString logFile = m_workDir + QStringLiteral("/challtestsrv.log");
    const QString program =
        findProgram(QStringLiteral("pebble-challtestsrv"), QStringLiteral("pebble-challtestsrv"));
    for (int attempt = 1; attempt <= 5; ++attempt) {
        const std::vector<int> ports = freeLoopbackPorts(2, true);
        if (ports.size() < 2) {
            m_error = QStringLiteral("no free loopback ports");
            return false;
        }
        m_dnsPort = ports[0];
        m_managementPort = ports[1];
        QFile::remove(logFile);
        // Empty addresses disable the challenge responders: tests run their own.
        const QStringList args{
            QStringLiteral("-dns01"),      dnsAddress(),
            QStringLiteral("-management"), QStringLiteral("127.0.0.1:%1").arg(m_managementPort),
            QStringLiteral("-http01"),     QString(),
            QStringLiteral("-https01"),    QString(),
            QStringLiteral("-tlsalpn01"),  QString()};
        if (!m_process.start(program, args, logFile, {}, m_workDir)) {
            m_error =
                QStringLiteral("cannot start pebble-challtestsrv: ") + m_process.errorString();
            return false;
        }
        QElapsedTimer timer;
        timer.start();
        bool portTaken = false;
        const auto holdsPorts = [this] {
            return holdsPort(pid(), m_dnsPort, true) && holdsPort(pid(), m_dnsPort) &&
                   holdsPort(pid(), m_managementPort);
        };
        while (m_process.isRunning() && timer.elapsed() < timeoutMs) {
            // A failed bind is logged and it keeps running: the log is the only sign of it.
            if ((portTaken = m_process.output().contains(QStringLiteral("address already in use"))))
                break;
            if (holdsPorts() && answersProbe())
                return true;
            QThread::msleep(50);
        }
        const QString output = m_process.output();
        stop();
        if (!portTaken) {
            m_error = QStringLiteral(
                          "pebble-challtestsrv exited or did not answer within %1 ms; log:\n%2")
                          .arg(timeoutMs)
                          .arg(output);
            return false;
        }
    }
    m_error = QStringLiteral("pebble-challtestsrv: ports kept being taken; last log:\n") +
              m_process.output();
    return false;
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
