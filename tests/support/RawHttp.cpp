#include "RawHttp.h"

#include "Sanitizers.h"

#include <utility>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <stdexcept>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace ck::test {

namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;

const QJsonObject RawResponse::json() const {
    return QJsonDocument::fromJson(QByteArray::fromStdString(body)).object();
}

namespace {
// A connection to the service on 127.0.0.1 that gives up after 30 s (longer under sanitizers).
beast::tcp_stream connectToService(boost::asio::io_context& ioc, int port) {
    beast::tcp_stream stream(ioc);
    stream.expires_after(std::chrono::seconds(30) * kSlowdown);
    stream.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"),
                                 static_cast<unsigned short>(port)));
    return stream;
}
} // namespace

RawResponse RawHttp::send(const RawRequest& request, bool withToken) const {
    RawResponse out;
    try {
        boost::asio::io_context ioc;
        beast::tcp_stream stream = connectToService(ioc, m_port);
        http::request<http::string_body> req{http::string_to_verb(request.method), request.target,
                                             11};
        if (!request.headers.count("Host"))
            req.set(http::field::host, "127.0.0.1:" + std::to_string(m_port));
        if (withToken && !request.headers.count("Authorization"))
            req.set(http::field::authorization, "Bearer " + m_token);
        for (const auto& [name, value] : request.headers)
            req.set(name, value);
        req.body() = request.body;
        if (!request.body.empty() || request.method == "POST" || request.method == "PUT")
            req.prepare_payload();
        http::write(stream, req);
        beast::flat_buffer buffer;
        http::response_parser<http::string_body> parser;
        parser.body_limit(64 * 1024 * 1024);
        http::read(stream, buffer, parser);
        const auto& res = parser.get();
        out.status = int(res.result_int());
        for (const auto& field : res) {
            std::string name(field.name_string());
            for (auto& c : name)
                c = char(std::tolower(static_cast<unsigned char>(c)));
            out.headers[name] = std::string(field.value());
        }
        out.body = res.body();
        beast::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    } catch (const std::exception& e) {
        out.error = e.what();
    }
    return out;
}

RawResponse RawHttp::sendBytes(const std::string& bytes) const {
    RawResponse out;
    try {
        boost::asio::io_context ioc;
        beast::tcp_stream stream = connectToService(ioc, m_port);
        boost::asio::write(stream, boost::asio::buffer(bytes));
        beast::flat_buffer buffer;
        http::response<http::string_body> res;
        http::read(stream, buffer, res);
        out.status = int(res.result_int());
        out.body = res.body();
    } catch (const std::exception& e) {
        out.error = e.what();
    }
    return out;
}

RawResponse RawHttp::post(const std::string& target, const QJsonObject& body) const {
    return send({"POST",
                 target,
                 {{"Content-Type", "application/json"}},
                 QJsonDocument(body).toJson(QJsonDocument::Compact).toStdString()});
}

RawResponse RawHttp::put(const std::string& target, const QJsonObject& body) const {
    return send({"PUT",
                 target,
                 {{"Content-Type", "application/json"}},
                 QJsonDocument(body).toJson(QJsonDocument::Compact).toStdString()});
}

namespace {

// A blocking loopback connection with poll-based waits, for the raw exchanges.
class RawSocket {
public:
    explicit RawSocket(int port) {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<uint16_t>(port));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (m_fd < 0 || ::connect(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
            throw std::runtime_error("cannot connect to the service");
    }
    ~RawSocket() { ::close(m_fd); }
    RawSocket(const RawSocket&) = delete;
    RawSocket& operator=(const RawSocket&) = delete;

    // Reads what is there; false once the peer closed or reset the connection.
    bool readAvailable(std::string& into) {
        char buf[16384];
        const ssize_t n = ::recv(m_fd, buf, sizeof buf, MSG_DONTWAIT);
        if (n > 0) {
            into.append(buf, size_t(n));
            return true;
        }
        return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    }
    // Waits for `events`; the events that happened, 0 on timeout.
    short waitFor(short events, std::chrono::milliseconds wait) {
        pollfd p{m_fd, events, 0};
        return ::poll(&p, 1, int(wait.count())) > 0 ? p.revents : 0;
    }
    // Writes what the socket takes now; -1 once the peer is gone.
    ssize_t writeSome(const char* data, size_t size) {
        return ::send(m_fd, data, size, MSG_NOSIGNAL | MSG_DONTWAIT);
    }

private:
    int m_fd = -1;
};

// Reads until the peer closes or the deadline passes.
void readToEnd(RawSocket& socket, RawExchange& out, std::chrono::steady_clock::time_point end) {
    while (true) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            end - std::chrono::steady_clock::now());
        if (left.count() <= 0)
            return;
        if (!socket.waitFor(POLLIN, left))
            return;
        if (!socket.readAvailable(out.received)) {
            out.closed = true;
            return;
        }
    }
}

} // namespace

int RawExchange::status() const {
    if (received.rfind("HTTP/1.", 0) != 0 || received.size() < 12)
        return 0;
    return std::atoi(received.substr(9, 3).c_str());
}

std::string RawExchange::header(const std::string& lowerName) const {
    const auto end = received.find("\r\n\r\n");
    size_t at = received.find("\r\n");
    while (at != std::string::npos && at < end) {
        const size_t next = received.find("\r\n", at + 2);
        const std::string line = received.substr(at + 2, next - at - 2);
        const auto colon = line.find(':');
        std::string name = line.substr(0, colon);
        for (auto& c : name)
            c = char(std::tolower(static_cast<unsigned char>(c)));
        if (colon != std::string::npos && name == lowerName) {
            const auto value = line.find_first_not_of(' ', colon + 1);
            return value == std::string::npos ? std::string() : line.substr(value);
        }
        at = next;
    }
    return {};
}

std::string RawExchange::body() const {
    const auto end = received.find("\r\n\r\n");
    return end == std::string::npos ? std::string() : received.substr(end + 4);
}

RawExchange RawHttp::exchange(const std::string& bytes, std::chrono::milliseconds wait) const {
    return stream(bytes, {}, 0, wait);
}

RawExchange RawHttp::stream(const std::string& head, const std::string& unit, size_t maxBytes,
                            std::chrono::milliseconds wait) const {
    RawExchange out;
    RawSocket socket(m_port);
    std::string block;
    while (!unit.empty() && block.size() < 64 * 1024)
        block += unit;
    std::string pending = head;
    size_t unitsSent = 0;
    const auto deadline = std::chrono::steady_clock::now() + wait;
    while (true) {
        if (pending.empty() && !block.empty() && unitsSent < maxBytes) {
            pending = block;
            unitsSent += block.size();
        }
        if (pending.empty())
            break;
        const short ready = socket.waitFor(POLLIN | POLLOUT, wait);
        if (ready & (POLLIN | POLLHUP | POLLERR))
            if (!socket.readAvailable(out.received)) {
                out.closed = true;
                return out;
            }
        if (!(ready & POLLOUT)) {
            if (!ready)
                break; // the service stopped reading
            continue;
        }
        const ssize_t n = socket.writeSome(pending.data(), pending.size());
        if (n < 0)
            break; // closed or reset: what it answered is read below
        out.bytesSent += size_t(n);
        pending.erase(0, size_t(n));
    }
    readToEnd(socket, out, std::max(deadline, std::chrono::steady_clock::now() + wait));
    return out;
}

} // namespace ck::test
