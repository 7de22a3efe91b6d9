#pragma once
// A stand-in for a DNS host's HTTP API, for the bad paths a real server will not produce on
// demand: it listens on a free loopback port on its own thread and answers each request with
// the next canned answer (the last one repeats), or never answers at all (a host that hangs).
// It records each request's first line and body.

#include <QByteArray>
#include <QList>
#include <QString>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

namespace ck::test {

struct CannedAnswer {
    int status = 200;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
};

class StandInApi {
public:
    // `answers` empty: accepts connections and never answers.
    explicit StandInApi(QList<CannedAnswer> answers) : m_answers(std::move(answers)) {
        m_listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t size = sizeof a;
        if (::bind(m_listener, reinterpret_cast<sockaddr*>(&a), size) != 0 ||
            ::listen(m_listener, 16) != 0 ||
            ::getsockname(m_listener, reinterpret_cast<sockaddr*>(&a), &size) != 0)
            return;
        m_port = ntohs(a.sin_port);
        m_thread = std::thread([this] { serve(); });
    }
    ~StandInApi() {
        m_stop = true;
        if (m_thread.joinable())
            m_thread.join();
        for (int fd : m_held)
            ::close(fd);
        ::close(m_listener);
    }
    StandInApi(const StandInApi&) = delete;
    StandInApi& operator=(const StandInApi&) = delete;

    int port() const { return m_port; }
    QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_port); }
    // "GET /api/v1/servers/localhost/zones", with the body after a blank line when there is one.
    QList<QByteArray> requests() const {
        std::lock_guard lock(m_mutex);
        return m_requests;
    }

private:
    void serve() {
        while (!m_stop) {
            pollfd p{m_listener, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0)
                continue;
            const int fd = ::accept4(m_listener, nullptr, nullptr, SOCK_CLOEXEC);
            if (fd < 0)
                continue;
            if (m_answers.isEmpty()) { // hang: hold the connection, read nothing, say nothing
                m_held.push_back(fd);
                continue;
            }
            answer(fd);
            ::close(fd);
        }
    }

    void answer(int fd) {
        QByteArray in;
        char buffer[4096];
        qsizetype length = -1;
        while (!m_stop) {
            pollfd p{fd, POLLIN, 0};
            if (::poll(&p, 1, 2000) <= 0)
                return;
            const ssize_t n = ::read(fd, buffer, sizeof buffer);
            if (n <= 0)
                return;
            in.append(buffer, n);
            const qsizetype end = in.indexOf("\r\n\r\n");
            if (end < 0)
                continue;
            if (length < 0) {
                length = 0;
                for (const QByteArray& line : in.left(end).split('\n'))
                    if (line.toLower().startsWith("content-length:"))
                        length = line.mid(15).trimmed().toLongLong();
            }
            if (in.size() >= end + 4 + length) {
                QByteArray seen = in.left(in.indexOf("\r\n"));
                if (length > 0)
                    seen += "\n\n" + in.mid(end + 4, length);
                std::lock_guard lock(m_mutex);
                m_requests.append(seen);
                break;
            }
        }
        const CannedAnswer& a = m_answers[std::min<qsizetype>(m_next++, m_answers.size() - 1)];
        QByteArray out = "HTTP/1.1 " + QByteArray::number(a.status) + " Canned\r\n";
        for (const auto& [name, value] : a.headers)
            out += name + ": " + value + "\r\n";
        out += "Content-Type: application/json\r\nConnection: close\r\nContent-Length: " +
               QByteArray::number(a.body.size()) + "\r\n\r\n" + a.body;
        for (qsizetype sent = 0; sent < out.size();) {
            const ssize_t n =
                ::send(fd, out.constData() + sent, size_t(out.size() - sent), MSG_NOSIGNAL);
            if (n <= 0)
                return;
            sent += n;
        }
    }

    QList<CannedAnswer> m_answers;
    qsizetype m_next = 0;
    int m_listener = -1;
    int m_port = 0;
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
    std::vector<int> m_held;
    mutable std::mutex m_mutex;
    QList<QByteArray> m_requests;
};

} // namespace ck::test
