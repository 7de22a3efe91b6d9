#include "deploy/TlsProbe.h"

#include "crypto/Certificate.h"
#include "crypto/CryptoError.h"
#include "process/SigpipeGuard.h"

#include <QHostAddress>

#include <cerrno>
#include <cstring>
#include <memory>

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

namespace ck::deploy {

namespace {
using Clock = std::chrono::steady_clock;

struct Socket {
    int fd = -1;
    Socket() = default;
    Socket(const Socket&) = delete;
    Socket& operator=(const Socket&) = delete;
    ~Socket() {
        if (fd >= 0)
            ::close(fd);
    }
};

QString errnoText(int code) {
    return QString::fromLocal8Bit(std::strerror(code));
}

int remainingMs(Clock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    return int(std::max<std::chrono::milliseconds::rep>(0, left.count()));
}

// A connected blocking socket whose reads and writes time out at the deadline; or the error.
QString connectTcp(const QString& host, int port, Clock::time_point deadline, Socket& out) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    const QByteArray service = QByteArray::number(port);
    const int rc = ::getaddrinfo(host.toUtf8().constData(), service.constData(), &hints, &found);
    if (rc != 0)
        return QStringLiteral("cannot resolve %1: %2")
            .arg(host, QString::fromUtf8(gai_strerror(rc)));
    std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> list(found, &::freeaddrinfo);
    QString lastError = QStringLiteral("no address");
    for (addrinfo* a = found; a; a = a->ai_next) {
        Socket s;
        s.fd =
            ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
        if (s.fd < 0) {
            lastError = errnoText(errno);
            continue;
        }
        int error = 0;
        if (::connect(s.fd, a->ai_addr, a->ai_addrlen) != 0) {
            if (errno != EINPROGRESS) {
                lastError = errnoText(errno);
                continue;
            }
            pollfd p{s.fd, POLLOUT, 0};
            if (::poll(&p, 1, remainingMs(deadline)) <= 0) {
                lastError = QStringLiteral("no answer in time");
                continue;
            }
            socklen_t len = sizeof error;
            ::getsockopt(s.fd, SOL_SOCKET, SO_ERROR, &error, &len);
        }
        if (error != 0) {
            lastError = errnoText(error);
            continue;
        }
        const int flags = ::fcntl(s.fd, F_GETFL);
        ::fcntl(s.fd, F_SETFL, flags & ~O_NONBLOCK);
        const int ms = std::max(1, remainingMs(deadline));
        timeval tv{ms / 1000, (ms % 1000) * 1000};
        ::setsockopt(s.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        ::setsockopt(s.fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        std::swap(out.fd, s.fd);
        return {};
    }
    return QStringLiteral("cannot connect to %1 port %2: %3").arg(host).arg(port).arg(lastError);
}

struct SslCtxFree {
    void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
};
struct SslFree {
    void operator()(SSL* s) const { SSL_free(s); }
};
struct X509Free {
    void operator()(X509* x) const { X509_free(x); }
};
} // namespace

QString tcpConnectError(const QString& host, int port, std::chrono::milliseconds timeout) {
    Socket s;
    return connectTcp(host, port, Clock::now() + timeout, s);
}

TlsProbeResult probeTlsCertificate(const QString& host, int port, const QString& serverName,
                                   std::chrono::milliseconds timeout, StartTls startTls) {
    TlsProbeResult result;
    const process::SigpipeGuard noSigpipe; // a server closing mid-handshake
    Socket socket;
    const auto deadline = Clock::now() + timeout;
    result.error = connectTcp(host, port, deadline, socket);
    if (!result.error.isEmpty())
        return result;
    result.error = negotiateStartTls(socket.fd, startTls,
                                     QStringLiteral("%1:%2").arg(host).arg(port), deadline);
    if (!result.error.isEmpty())
        return result;
    std::unique_ptr<SSL_CTX, SslCtxFree> ctx(SSL_CTX_new(TLS_client_method()));
    std::unique_ptr<SSL, SslFree> ssl(ctx ? SSL_new(ctx.get()) : nullptr);
    if (!ssl || SSL_set_fd(ssl.get(), socket.fd) != 1) {
        result.error = QStringLiteral("cannot set up TLS: %1")
                           .arg(QString::fromStdString(crypto::takeOpenSslErrors()));
        return result;
    }
    SSL_set_verify(ssl.get(), SSL_VERIFY_NONE, nullptr); // which certificate, not whether trusted
    QByteArray sni = serverName.toUtf8();
    // SSL_set_tlsext_host_name is a macro with a C cast; this is what it expands to.
    if (!sni.isEmpty() && QHostAddress(serverName).isNull())
        SSL_ctrl(ssl.get(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name, sni.data());
    if (SSL_connect(ssl.get()) != 1) {
        const std::string why = crypto::takeOpenSslErrors();
        result.error = QStringLiteral("TLS handshake with %1 port %2 failed: %3")
                           .arg(host)
                           .arg(port)
                           .arg(why.empty() ? QStringLiteral("the connection was closed or timed "
                                                             "out")
                                            : QString::fromStdString(why));
        return result;
    }
    std::unique_ptr<X509, X509Free> peer(SSL_get1_peer_certificate(ssl.get()));
    SSL_shutdown(ssl.get());
    if (!peer) {
        result.error = QStringLiteral("%1 port %2 presented no certificate").arg(host).arg(port);
        return result;
    }
    const int length = i2d_X509(peer.get(), nullptr);
    QByteArray der(length > 0 ? length : 0, Qt::Uninitialized);
    auto* cursor = reinterpret_cast<unsigned char*>(der.data());
    if (length <= 0 || i2d_X509(peer.get(), &cursor) != length) {
        result.error = QStringLiteral("cannot read the certificate %1 presented").arg(host);
        return result;
    }
    try {
        result.thumbprint = crypto::parseCertificate(der).sha256Thumbprint;
    } catch (const crypto::CryptoError& e) {
        result.error = QStringLiteral("cannot read the certificate %1 presented: %2")
                           .arg(host, QString::fromUtf8(e.what()));
    }
    return result;
}

} // namespace ck::deploy
