#include "ServiceProcess.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryFile>
#include <QThread>

#include <csignal>

namespace ck::test {

int freeLoopbackPort() {
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    return server.serverPort();
}

ServiceProcess::ServiceProcess(QString dataDir) : m_dataDir(std::move(dataDir)) {
    if (m_dataDir.isEmpty()) {
        m_tempDir = std::make_unique<QTemporaryDir>();
        m_dataDir = m_tempDir->path();
    }
}

ServiceProcess::~ServiceProcess() {
    if (isRunning())
        stop(5000);
    if (isRunning())
        kill();
}

QString ServiceProcess::binaryPath() {
    return QStringLiteral(CERTKEEPER_SERVICE_BIN);
}

void ServiceProcess::useBinary(const QString& binary, const QProcessEnvironment& extraEnvironment) {
    m_binary = binary;
    m_environment = QProcessEnvironment();
    if (!extraEnvironment.isEmpty()) {
        m_environment = QProcessEnvironment::systemEnvironment();
        for (const QString& key : extraEnvironment.keys())
            m_environment.insert(key, extraEnvironment.value(key));
    }
}

QStringList ServiceProcess::arguments(const QStringList& extraArgs) {
    QStringList args{QStringLiteral("--data-dir"), m_dataDir};
    if (!extraArgs.contains(QStringLiteral("--port"))) {
        if (m_port == 0)
            m_port = freeLoopbackPort();
        args << QStringLiteral("--port") << QString::number(m_port);
    }
    return args + extraArgs;
}

// The output goes to a file, not a pipe: a service logging a lot while the test runs no event
// loop (synchronous HTTP, threads) would otherwise block on a full pipe and stop answering.
void ServiceProcess::launch(const QStringList& extraArgs) {
    if (!m_outputFile) {
        m_outputFile = std::make_unique<QTemporaryFile>();
        m_outputFile->open();
    }
    m_process = std::make_unique<ManagedProcess>();
    m_process->setMarksStarts(false); // output() is what the service printed, nothing else
    m_process->start(m_binary.isEmpty() ? binaryPath() : m_binary, arguments(extraArgs),
                     m_outputFile->fileName(), m_environment);
}

bool ServiceProcess::start(QStringList extraArgs, int timeoutMs) {
    const qsizetype outputBefore = output().size(); // earlier runs' output stays for output()
    launch(extraArgs);
    QElapsedTimer timer;
    timer.start();
    // Ready when it prints its URL: after negotiation the port may differ from the one asked.
    static const QRegularExpression ready(QStringLiteral("listening on http://[^\\s]*:(\\d+)\\n"));
    while (timer.elapsed() < timeoutMs) {
        if (!m_process->isRunning())
            return false;
        const auto match = ready.match(output().mid(outputBefore));
        if (match.hasMatch()) {
            m_port = match.captured(1).toInt();
            return true;
        }
        QThread::msleep(20);
    }
    return false;
}

int ServiceProcess::runToExit(QStringList extraArgs, int timeoutMs) {
    launch(extraArgs);
    if (!m_process->waitForExit(timeoutMs))
        return -1;
    return m_process->exitCode();
}

bool ServiceProcess::stop(int timeoutMs) {
    if (!isRunning())
        return false;
    m_process->sendSignal(SIGTERM);
    return m_process->waitForExit(timeoutMs) && m_process->exitCode() == 0;
}

void ServiceProcess::kill() {
    if (!isRunning())
        return;
    m_process->sendSignal(SIGKILL);
    m_process->waitForExit(5000);
}

qint64 ServiceProcess::residentKiB() const {
    if (!isRunning())
        return -1;
    QFile status(QStringLiteral("/proc/%1/status").arg(m_process->pid()));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

bool ServiceProcess::isRunning() const {
    return m_process && m_process->isRunning();
}

QString ServiceProcess::token() const {
    QFile f(m_dataDir + QStringLiteral("/api.token"));
    return f.open(QIODevice::ReadOnly) ? QString::fromLatin1(f.readAll()).trimmed() : QString();
}

QString ServiceProcess::baseUrl() const {
    return QStringLiteral("http://127.0.0.1:%1").arg(m_port);
}

QString ServiceProcess::output() const {
    if (!m_outputFile)
        return {};
    QFile file(m_outputFile->fileName());
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

bool ServiceProcess::writeServiceConfig(const QByteArray& json) {
    QFile cfg(m_dataDir + QStringLiteral("/serviceconfig.json"));
    return cfg.open(QIODevice::WriteOnly | QIODevice::Truncate) && cfg.write(json) == json.size();
}

bool ServiceProcess::pauseAutomaticRenewal() {
    QFile settings(m_dataDir + QStringLiteral("/settings.json"));
    return settings.open(QIODevice::WriteOnly | QIODevice::Truncate) &&
           settings.write("{\"automaticRenewal\": false}\n") > 0;
}

int ServiceProcess::exitCode() const {
    return m_process ? m_process->exitCode() : -1;
}

} // namespace ck::test
