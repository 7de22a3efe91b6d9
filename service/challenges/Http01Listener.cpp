#include "Http01Listener.h"

#include "ListenSocket.h"

namespace ck::challenges {

namespace {
constexpr std::string_view kPrefix = "/.well-known/acme-challenge/";
}

Http01Listener::Http01Listener(asio::io_context& ioc, QString host, int port)
    : m_ioc(ioc), m_host(std::move(host)), m_port(port) {}

Http01Listener::~Http01Listener() {
    if (m_acceptor) {
        beast::error_code ignored;
        m_acceptor->close(ignored);
    }
}

void Http01Listener::ensureListening() {
    if (m_acceptor && m_acceptor->is_open())
        return;
    m_acceptor = openListenSocket(m_ioc, m_host, m_port, "http-01");
    asio::co_spawn(m_ioc, acceptLoop(m_acceptor), asio::detached);
}

void Http01Listener::add(const QString& token, const QString& keyAuthorization) {
    ensureListening();
    m_tokens[token.toStdString()] = keyAuthorization.toStdString();
}

void Http01Listener::remove(const QString& token) {
    m_tokens.erase(token.toStdString());
    if (m_tokens.empty() && m_acceptor) {
        beast::error_code ignored;
        m_acceptor->close(ignored);
        m_acceptor.reset();
    }
}

awaitable<void> Http01Listener::acceptLoop(std::shared_ptr<tcp::acceptor> acceptor) {
    // Each loop keeps its own acceptor alive: after a close and reopen, the old loop ends with
    // the old acceptor's cancelled accept.
    for (;;) {
        beast::error_code ec;
        tcp::socket socket =
            co_await acceptor->async_accept(asio::redirect_error(use_awaitable, ec));
        if (ec)
            co_return;
        asio::co_spawn(m_ioc, serve(std::move(socket)), asio::detached);
    }
}

awaitable<void> Http01Listener::serve(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    for (;;) {
        stream.expires_after(std::chrono::seconds(10));
        http::request_parser<http::empty_body> parser;
        parser.header_limit(8 * 1024);
        beast::error_code ec;
        co_await http::async_read(stream, buffer, parser, asio::redirect_error(use_awaitable, ec));
        if (ec)
            co_return;
        const auto& req = parser.get();
        http::response<http::string_body> res{http::status::not_found, req.version()};
        const std::string_view target = req.target();
        if ((req.method() == http::verb::get || req.method() == http::verb::head) &&
            target.substr(0, kPrefix.size()) == kPrefix) {
            const auto it = m_tokens.find(std::string(target.substr(kPrefix.size())));
            if (it != m_tokens.end()) {
                res.result(http::status::ok);
                res.body() = it->second;
            }
        }
        res.set(http::field::content_type, "text/plain");
        res.keep_alive(req.keep_alive());
        res.prepare_payload();
        co_await http::async_write(stream, res, asio::redirect_error(use_awaitable, ec));
        if (ec || !req.keep_alive())
            co_return;
    }
}

} // namespace ck::challenges
