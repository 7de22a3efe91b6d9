#include "deploy/HaproxyRuntime.h"

#include "process/SigpipeGuard.h"

#include <QFile>
#include <QStringList>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace ck::deploy {

namespace {
using Clock = std::chrono::steady_clock;
constexpr qsizetype kMaxAnswer = 1 << 20; // "show ssl cert" of a large chain stays far below

struct Fd {
    int fd = -1;
    Fd() = default;
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() {
        if (fd >= 0)
            ::close(fd);
    }
};

int remainingMs(Clock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    return int(std::max<std::chrono::milliseconds::rep>(0, left.count()));
}

QString errnoText(int code) {
    return QString::fromLocal8Bit(std::strerror(code));
}

// Waits for a non-blocking connect to finish; the error text when it does not.
QString finishConnect(int fd, Clock::time_point deadline) {
    pollfd p{fd, POLLOUT, 0};
    if (::poll(&p, 1, remainingMs(deadline)) <= 0)
        return QStringLiteral("no answer in time");
    int error = 0;
    socklen_t len = sizeof error;
    ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len);
    return error == 0 ? QString() : errnoText(error);
}

QString connectUnix(const QString& path, Clock::time_point deadline, Fd& out) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    const QByteArray encoded = QFile::encodeName(path);
    if (size_t(encoded.size()) >= sizeof address.sun_path)
        return QStringLiteral("the path is too long for a unix socket");
    std::memcpy(address.sun_path, encoded.constData(), size_t(encoded.size()));
    out.fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (out.fd < 0)
        return errnoText(errno);
    if (::connect(out.fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0)
        return {};
    if (errno != EINPROGRESS && errno != EAGAIN)
        return errnoText(errno);
    return finishConnect(out.fd, deadline);
}

QString connectInet(const QString& address, Clock::time_point deadline, Fd& out) {
    const qsizetype colon = address.lastIndexOf(u':');
    if (colon <= 0)
        return QStringLiteral("give an absolute socket path or host:port");
    QString host = address.left(colon);
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    const int rc = ::getaddrinfo(host.toUtf8().constData(),
                                 address.mid(colon + 1).toUtf8().constData(), &hints, &found);
    if (rc != 0)
        return QString::fromUtf8(gai_strerror(rc));
    std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> list(found, &::freeaddrinfo);
    QString last = QStringLiteral("no address");
    for (addrinfo* a = found; a; a = a->ai_next) {
        Fd s;
        s.fd = ::socket(a->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
        if (s.fd < 0)
            continue;
        if (::connect(s.fd, a->ai_addr, a->ai_addrlen) == 0)
            last.clear();
        else if (errno == EINPROGRESS)
            last = finishConnect(s.fd, deadline);
        else
            last = errnoText(errno);
        if (last.isEmpty()) {
            std::swap(out.fd, s.fd);
            return {};
        }
    }
    return last;
}

QString sendAll(int fd, const QByteArray& data, Clock::time_point deadline) {
    qsizetype sent = 0;
    while (sent < data.size()) {
        pollfd p{fd, POLLOUT, 0};
        if (::poll(&p, 1, remainingMs(deadline)) <= 0)
            return QStringLiteral("HAProxy did not take the command in time");
        const ssize_t n =
            ::send(fd, data.constData() + sent, size_t(data.size() - sent), MSG_NOSIGNAL);
        if (n <= 0)
            return QStringLiteral("HAProxy closed the connection: %1").arg(errnoText(errno));
        sent += n;
    }
    return {};
}

// Whether HAProxy's answer holds these words. Its successes are worded "Transaction created (or
// updated) for certificate ..." and "Committing ...\nSuccess!"; anything else is a refusal.
bool says(const QString& answer, const char* words) {
    return answer.contains(QLatin1String(words), Qt::CaseInsensitive);
}

// Only the PEM blocks: the payload ends at the first empty line, so none may be inside.
QByteArray payloadOf(const QByteArray& pem) {
    QByteArray out;
    for (const QByteArray& line : pem.split('\n')) {
        const QByteArray trimmed = line.trimmed();
        if (!trimmed.isEmpty())
            out += trimmed + '\n';
    }
    return out;
}
} // namespace

HaproxyAnswer haproxyCommand(const HaproxySocket& socket, const QByteArray& command) {
    HaproxyAnswer answer;
    const process::SigpipeGuard noSigpipe;
    const auto deadline = Clock::now() + socket.timeout;
    Fd fd;
    const QString why = socket.address.startsWith(u'/') ? connectUnix(socket.address, deadline, fd)
                                                        : connectInet(socket.address, deadline, fd);
    if (!why.isEmpty()) {
        answer.error = QStringLiteral("cannot connect to HAProxy's stats socket %1: %2")
                           .arg(socket.address, why);
        return answer;
    }
    if (const QString sendError = sendAll(fd.fd, command, deadline); !sendError.isEmpty()) {
        answer.error = sendError;
        return answer;
    }
    QByteArray received;
    for (;;) {
        pollfd p{fd.fd, POLLIN, 0};
        if (::poll(&p, 1, remainingMs(deadline)) <= 0) {
            answer.error = QStringLiteral("HAProxy's stats socket %1 did not answer within %2 s")
                               .arg(socket.address)
                               .arg(socket.timeout.count() / 1000.0);
            return answer;
        }
        char chunk[4096];
        const ssize_t n = ::recv(fd.fd, chunk, sizeof chunk, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break; // HAProxy closes after the answer
        received.append(chunk, n);
        if (received.size() > kMaxAnswer)
            break;
    }
    answer.text = QString::fromUtf8(received).trimmed();
    if (answer.text.startsWith(QLatin1String("> ")))
        answer.text = answer.text.mid(2).trimmed();
    return answer;
}

HaproxyUpdate updateHaproxyCertificate(const HaproxySocket& socket, const QString& path,
                                       const QByteArray& pem) {
    HaproxyUpdate update;
    const QByteArray name = path.toUtf8();
    const HaproxyAnswer set =
        haproxyCommand(socket, "set ssl cert " + name + " <<\n" + payloadOf(pem) + "\n");
    if (!set.answered()) {
        update.message = set.error;
        return update;
    }
    if (!says(set.text, "Transaction created") && !says(set.text, "Transaction updated")) {
        // A transaction refused at "set" may still be open from an earlier attempt.
        haproxyCommand(socket, "abort ssl cert " + name + "\n");
        update.message =
            QStringLiteral("HAProxy refused the new certificate for %1: %2").arg(path, set.text);
        return update;
    }
    const HaproxyAnswer commit = haproxyCommand(socket, "commit ssl cert " + name + "\n");
    if (commit.answered() && says(commit.text, "Success!")) {
        update.ok = true;
        update.message = QStringLiteral("HAProxy serves the new certificate for %1 (set ssl "
                                        "cert, commit ssl cert: %2)")
                             .arg(path, commit.text.split(u'\n').join(QStringLiteral(" ")));
        return update;
    }
    const HaproxyAnswer abort = haproxyCommand(socket, "abort ssl cert " + name + "\n");
    update.message =
        QStringLiteral("HAProxy did not commit the new certificate for %1: %2; the transaction "
                       "was %3, and HAProxy still serves the certificate it had")
            .arg(path, commit.answered() ? commit.text : commit.error,
                 abort.answered() ? QStringLiteral("aborted (%1)").arg(abort.text)
                                  : QStringLiteral("not aborted (%1)").arg(abort.error));
    return update;
}

} // namespace ck::deploy
