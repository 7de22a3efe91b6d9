// The lookup half of ManagedProcess.h: free ports, installed programs, and what /proc says
// about a process (alive? holding its port?).
#include "ManagedProcess.h"

#include <QDir>
#include <QFile>
#include <QSet>
#include <QStandardPaths>
#include <QTcpServer>
#include <QUdpSocket>

#include <cerrno>
#include <csignal>

#include <unistd.h>

namespace ck::test {

std::vector<int> freeLoopbackPorts(int count, bool udpToo) {
    // All sockets stay bound until every port is chosen, so the ports are distinct.
    std::vector<std::unique_ptr<QTcpServer>> tcp;
    std::vector<std::unique_ptr<QUdpSocket>> udp;
    std::vector<int> ports;
    for (int attempts = 0; int(ports.size()) < count && attempts < count * 20; ++attempts) {
        auto server = std::make_unique<QTcpServer>();
        if (!server->listen(QHostAddress::LocalHost, 0))
            continue;
        const int port = server->serverPort();
        if (udpToo) {
            auto socket = std::make_unique<QUdpSocket>();
            // DontShareAddress: a socket bound with SO_REUSEADDR must make this fail too.
            if (!socket->bind(QHostAddress::LocalHost, quint16(port),
                              QAbstractSocket::DontShareAddress))
                continue; // someone has this UDP port: try another
            udp.push_back(std::move(socket));
        }
        tcp.push_back(std::move(server));
        ports.push_back(port);
    }
    return ports;
}

QString findProgram(const QString& name, const QString& fallback) {
    QString found = QStandardPaths::findExecutable(name);
    if (found.isEmpty())
        found = QStandardPaths::findExecutable(
            name, {QStringLiteral("/usr/sbin"), QStringLiteral("/sbin")});
    return found.isEmpty() ? fallback : found;
}

bool processExists(qint64 pid) {
    if (pid <= 0 || (::kill(pid_t(pid), 0) != 0 && errno != EPERM))
        return false;
    // A zombie answers kill(0) but is no longer running: the third field of stat is its state.
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return true;
    const QByteArray line = stat.readAll();
    const qsizetype afterName = line.lastIndexOf(')'); // the name may contain spaces
    return afterName < 0 || line.mid(afterName + 2, 1) != "Z";
}

bool holdsPort(qint64 pid, int port, bool udp) {
    QSet<QByteArray> inodes; // of the sockets among the process's file descriptors
    const QString fdDir = QStringLiteral("/proc/%1/fd/").arg(pid);
    for (const QString& fd :
         QDir(fdDir).entryList(QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot)) {
        char target[64] = {};
        const ssize_t length =
            readlink(QFile::encodeName(fdDir + fd).constData(), target, sizeof(target) - 1);
        const QByteArray link(target, length > 0 ? length : 0);
        if (link.startsWith("socket:["))
            inodes.insert(link.mid(8).chopped(1));
    }
    // Lines: "sl local_address rem_address st ... uid timeout inode ...", addresses in hex.
    const QString kind = udp ? QStringLiteral("udp") : QStringLiteral("tcp");
    for (const QString& table : {kind, kind + u'6'}) {
        QFile file(QStringLiteral("/proc/net/") + table);
        if (!file.open(QIODevice::ReadOnly))
            continue;
        file.readLine(); // header
        while (!file.atEnd()) {
            const QList<QByteArray> fields = file.readLine().simplified().split(' ');
            if (fields.size() < 10 || (!udp && fields[3] != "0A")) // 0A: LISTEN
                continue;
            bool ok = false;
            if (fields[1].mid(fields[1].lastIndexOf(':') + 1).toInt(&ok, 16) == port && ok &&
                inodes.contains(fields[9]))
                return true;
        }
    }
    return false;
}

} // namespace ck::test
