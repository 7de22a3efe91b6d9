#include "challenges/Http01Listener.h"

#include "base/Beast.h"

namespace ck::challenges {

namespace {
constexpr std::string_view kPrefix = "/.well-known/acme-challenge/";
}

Http01Listener::Http01Listener(asio::io_context& ioc, QString host, int port)
    : m_listener(ioc, std::move(host), port, "http-01",
                 [this](tcp::socket socket) { return serve(std::move(socket)); }) {}

void Http01Listener::add(const QString& token, const QString& keyAuthorization) {
    m_listener.open();
    m_tokens[token.toStdString()] = keyAuthorization.toStdString();
}

void Http01Listener::remove(const QString& token) {
    m_tokens.erase(token.toStdString());
    if (m_tokens.empty())
        m_listener.close();
}

awaitable<void> Http01Listener::serve(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    for (;;) {
        stream.expires_after(std::chrono::seconds(10));
        beast::http::request_parser<beast::http::empty_body> parser;
        parser.header_limit(8 * 1024);
        ErrorCode ec;
        co_await beast::http::async_read(stream, buffer, parser,
                                         asio::redirect_error(use_awaitable, ec));
        if (ec)
            co_return;
        const auto& req = parser.get();
        beast::http::response<beast::http::string_body> res{beast::http::status::not_found,
                                                            req.version()};
        const std::string_view target = req.target();
        if ((req.method() == beast::http::verb::get || req.method() == beast::http::verb::head) &&
            target.substr(0, kPrefix.size()) == kPrefix) {
            const auto it = m_tokens.find(std::string(target.substr(kPrefix.size())));
            if (it != m_tokens.end()) {
                res.result(beast::http::status::ok);
                res.body() = it->second;
            }
        }
        res.set(beast::http::field::content_type, "text/plain");
        res.keep_alive(req.keep_alive());
        res.prepare_payload();
        co_await beast::http::async_write(stream, res, asio::redirect_error(use_awaitable, ec));
        if (ec || !req.keep_alive())
            co_return;
    }
}

} // namespace ck::challenges
