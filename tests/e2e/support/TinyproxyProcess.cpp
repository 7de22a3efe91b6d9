#include "TinyproxyProcess.h"

#include "PeerStart.h"

#include <QFile>
#include <QRegularExpression>

namespace ck::test {

TinyproxyProcess::TinyproxyProcess(TinyproxyOptions options) : m_options(std::move(options)) {}

TinyproxyProcess::~TinyproxyProcess() {
    stop();
}

QString TinyproxyProcess::url() const {
    return QStringLiteral("http://127.0.0.1:%1").arg(m_port);
}

QString TinyproxyProcess::log() const {
    QFile f(m_dir.filePath(QStringLiteral("tinyproxy.log")));
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

int TinyproxyProcess::connectsTo(const QString& hostPort) const {
    // "Request (file descriptor 7): CONNECT 127.0.0.1:14000 HTTP/1.1"
    const QRegularExpression line(
        QStringLiteral("CONNECT %1 HTTP/1\\.[01]").arg(QRegularExpression::escape(hostPort)));
    int count = 0;
    for (auto it = line.globalMatch(log()); it.hasNext(); it.next())
        ++count;
    return count;
}

bool TinyproxyProcess::start(int timeoutMs) {
    stop();
    m_error.clear();
    PeerLaunch launch;
    launch.name = QStringLiteral("tinyproxy");
    launch.program = findProgram(QStringLiteral("tinyproxy"), QStringLiteral("/usr/bin/tinyproxy"));
    launch.logFile = m_dir.filePath(QStringLiteral("tinyproxy.out"));
    launch.workDir = m_dir.path();
    launch.configure = [this](const std::vector<int>& ports, QString& error) {
        m_port = ports[0];
        QFile::remove(m_dir.filePath(QStringLiteral("tinyproxy.log")));
        QString config = QStringLiteral("Port %1\n"
                                        "Listen 127.0.0.1\n"
                                        "Timeout 30\n"
                                        "MaxClients 50\n"
                                        "Allow 127.0.0.1\n"
                                        "LogLevel Info\n"
                                        "LogFile \"%2\"\n"
                                        "DisableViaHeader Yes\n")
                             .arg(m_port)
                             .arg(m_dir.filePath(QStringLiteral("tinyproxy.log")));
        if (!m_options.user.isEmpty())
            config += QStringLiteral("BasicAuth %1 %2\n").arg(m_options.user, m_options.password);
        const QString path = m_dir.filePath(QStringLiteral("tinyproxy.conf"));
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(config.toUtf8()) < 0) {
            error = QStringLiteral("cannot write %1").arg(path);
            return std::optional<QStringList>();
        }
        // -d: in the foreground, so it is this process and stops with it.
        return std::optional<QStringList>(
            QStringList{QStringLiteral("-d"), QStringLiteral("-c"), path});
    };
    launch.ready = [this] { return holdsPort(m_process.pid(), m_port); };
    launch.awaited = QStringLiteral("listen on its port");
    launch.portTakenSigns = {QStringLiteral("Address already in use"),
                             QStringLiteral("Could not create listening sockets")};
    if (!startOnFreePorts(m_process, launch, timeoutMs, m_error)) {
        m_error += QStringLiteral("\n") + log();
        return false;
    }
    return true;
}

void TinyproxyProcess::stop() {
    m_process.stop();
}

} // namespace ck::test
