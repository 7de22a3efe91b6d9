#include "http/PortBinding.h"

#include <QDir>
#include <QFile>
#include <QSet>

#include <boost/asio/ip/address.hpp>

namespace ck::http {

namespace {
// Socket inodes listening on `port`, from /proc/net/tcp and tcp6 (state 0A = LISTEN).
QSet<QString> listeningInodes(int port) {
    QSet<QString> inodes;
    for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
        QFile f(QString::fromLatin1(table));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        f.readLine(); // header
        while (!f.atEnd()) {
            const auto cols = QString::fromLatin1(f.readLine()).simplified().split(u' ');
            if (cols.size() < 10 || cols[3] != QLatin1String("0A"))
                continue;
            bool ok = false;
            const int localPort = cols[1].section(u':', -1).toInt(&ok, 16);
            if (ok && localPort == port)
                inodes.insert(cols[9]);
        }
    }
    return inodes;
}

std::optional<tcp::acceptor> tryBind(asio::io_context& ioc, const tcp::endpoint& ep,
                                     boost::system::error_code& ec) {
    tcp::acceptor acceptor(ioc);
    acceptor.open(ep.protocol(), ec);
    if (!ec)
        acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec)
        acceptor.bind(ep, ec);
    if (!ec)
        acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
        return std::nullopt;
    return acceptor;
}
} // namespace

QString describePortHolder(int port) {
    const auto inodes = listeningInodes(port);
    if (inodes.isEmpty())
        return {};
    const auto pids = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const auto& pid : pids) {
        if (pid.toInt() <= 0)
            continue;
        const QString fdDir = QStringLiteral("/proc/%1/fd").arg(pid);
        for (const auto& fd : QDir(fdDir).entryList(QDir::System | QDir::NoDotAndDotDot)) {
            const QString target = QFile::symLinkTarget(fdDir + u'/' + fd);
            if (!target.contains(QLatin1String("socket:[")))
                continue;
            const QString inode = target.section(u'[', 1).chopped(1);
            if (!inodes.contains(inode))
                continue;
            QFile comm(QStringLiteral("/proc/%1/comm").arg(pid));
            const QString name = comm.open(QIODevice::ReadOnly)
                                     ? QString::fromLocal8Bit(comm.readAll()).trimmed()
                                     : QStringLiteral("a process");
            return QStringLiteral("%1 (pid %2)").arg(name, pid);
        }
    }
    return QStringLiteral("a process of another user");
}

BindResult bindApiPort(asio::io_context& ioc, const QString& host, int port, bool negotiate,
                       int range) {
    BindResult r;
    r.host = host;
    r.requestedPort = port;
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(host.toStdString(), ec);
    if (ec) {
        r.error = QStringLiteral("'%1' is not an IP address").arg(host);
        return r;
    }
    const int last = negotiate ? std::min(port + range, 65535) : port;
    for (int candidate = port; candidate <= last; ++candidate) {
        r.acceptor =
            tryBind(ioc, tcp::endpoint(address, static_cast<unsigned short>(candidate)), ec);
        if (r.acceptor) {
            r.boundPort = candidate;
            r.negotiated = candidate != port;
            return r;
        }
        if (candidate == port) {
            const QString holder = describePortHolder(port);
            r.reason = QStringLiteral("%1:%2 could not be used: %3%4")
                           .arg(host)
                           .arg(port)
                           .arg(QString::fromStdString(ec.message()),
                                holder.isEmpty() ? QString()
                                                 : QStringLiteral(" (held by %1)").arg(holder));
        }
        if (ec != asio::error::address_in_use && ec != asio::error::access_denied)
            break; // e.g. the address is not on this machine: other ports will not help
    }
    r.error = negotiate && last > port
                  ? QStringLiteral("%1; ports %2 to %3 were tried and none was free")
                        .arg(r.reason)
                        .arg(port + 1)
                        .arg(last)
                  : r.reason;
    return r;
}

} // namespace ck::http
