#include "HttpServer.h"

#include "ResponseStream.h"
#include "Responses.h"
#include "logging/Logger.h"

#include <boost/asio/redirect_error.hpp>

namespace ck {

namespace {
QString describe(const HttpRequest& req) {
    return QStringLiteral("%1 %2").arg(QString::fromStdString(std::string(req.method_string())),
                                       QString::fromStdString(std::string(req.target())));
}
} // namespace

// One connection: reads requests one after another (keep-alive) and answers each in turn, or
// hands the connection to a stream route until that returns.
class HttpServer::Session : public ResponseStream {
public:
    Session(HttpServer& server, tcp::socket socket)
        : m_server(server), m_stream(std::move(socket)) {
        m_server.m_sessions.insert(this);
    }
    ~Session() { m_server.sessionEnded(this); }

    awaitable<void> run();
    void closeIfIdle() {
        // A stream has no natural end: stopping the service ends it.
        if (!m_busy || m_streaming)
            m_stream.socket().close();
    }

    awaitable<bool> start(http::response<http::empty_body> header) override;
    awaitable<bool> write(std::string_view chunk) override;
    bool streamStarted() const { return m_streaming; }

private:
    awaitable<bool> answer(HttpResponse& res, unsigned version, bool keepAlive);
    void setCommonHeaders(http::fields& fields) const;

    HttpServer& m_server;
    beast::tcp_stream m_stream;
    bool m_busy = false;
    bool m_streaming = false;
};

void HttpServer::Session::setCommonHeaders(http::fields& fields) const {
    fields.set(http::field::server, "certkeeper-service");
    fields.set("X-Content-Type-Options", "nosniff");
}

awaitable<bool> HttpServer::Session::start(http::response<http::empty_body> header) {
    header.version(11);
    header.keep_alive(false);
    header.chunked(true);
    setCommonHeaders(header.base());
    m_streaming = true;
    http::response_serializer<http::empty_body> serializer(header);
    beast::error_code ec;
    m_stream.expires_after(m_server.m_limits.bodyTimeout);
    co_await http::async_write_header(m_stream, serializer,
                                      asio::redirect_error(use_awaitable, ec));
    m_stream.expires_never();
    co_return !ec && !m_server.m_stopping;
}

awaitable<bool> HttpServer::Session::write(std::string_view chunk) {
    if (m_server.m_stopping)
        co_return false;
    beast::error_code ec;
    m_stream.expires_after(m_server.m_limits.bodyTimeout); // a client that stops reading is let go
    co_await asio::async_write(m_stream, http::make_chunk(asio::buffer(chunk.data(), chunk.size())),
                               asio::redirect_error(use_awaitable, ec));
    m_stream.expires_never();
    co_return !ec && !m_server.m_stopping;
}

awaitable<void> HttpServer::Session::run() {
    const auto& limits = m_server.m_limits;
    beast::flat_buffer buffer;
    bool first = true;
    while (!m_server.m_stopping) {
        http::request_parser<http::string_body> parser;
        parser.header_limit(std::uint32_t(limits.maxHeaderBytes));
        // The route's own limit is set once the header is in (bodyLimitFor); until then the
        // largest any route allows, since Beast checks Content-Length while parsing the header.
        parser.body_limit(std::max(limits.maxBodyBytes, m_server.m_router.largestBodyLimit()));
        size_t bodyLimit = limits.maxBodyBytes;
        beast::error_code ec;

        m_stream.expires_after(first ? limits.headerTimeout : limits.idleTimeout);
        co_await http::async_read_header(m_stream, buffer, parser,
                                         asio::redirect_error(use_awaitable, ec));
        first = false;
        m_busy = true;
        if (!ec && !parser.is_done()) {
            bodyLimit = m_server.bodyLimitFor(parser.get());
            parser.body_limit(bodyLimit);
            if (parser.content_length() && *parser.content_length() > bodyLimit)
                ec = http::error::body_limit;
        }
        if (!ec && !parser.is_done()) {
            m_stream.expires_after(limits.bodyTimeout);
            co_await http::async_read(m_stream, buffer, parser,
                                      asio::redirect_error(use_awaitable, ec));
        }
        if (ec == http::error::body_limit) {
            const ApiError tooLarge(
                ApiError::Kind::PayloadTooLarge,
                QStringLiteral("The request body is larger than the limit of %1 bytes")
                    .arg(bodyLimit));
            HttpResponse res = problemResponse(tooLarge);
            co_await answer(res, 11, false);
            break;
        }
        if (ec == http::error::header_limit) {
            const ApiError tooLarge(ApiError::Kind::BadRequest,
                                    QStringLiteral("The request headers are too large"));
            HttpResponse res = problemResponse(tooLarge);
            co_await answer(res, 11, false);
            break;
        }
        if (ec)
            break; // closed by the peer, timed out, or not HTTP: nothing useful to answer

        const HttpRequest& req = parser.get();
        std::optional<HttpResponse> maybeResponse = co_await m_server.handle(req, *this);
        if (!maybeResponse) { // a stream answered and ended; its connection is done
            if (m_stream.socket().is_open() && !m_server.m_stopping) {
                m_stream.expires_after(limits.bodyTimeout);
                co_await asio::async_write(m_stream, http::make_chunk_last(),
                                           asio::redirect_error(use_awaitable, ec));
            }
            break;
        }
        HttpResponse& res = *maybeResponse;
        const bool keepAlive = req.keep_alive() && !m_server.m_stopping;
        if (!co_await answer(res, req.version(), keepAlive) || !keepAlive)
            break;
        m_busy = false;
    }
    beast::error_code ignored;
    m_stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    m_stream.socket().close(ignored);
}

awaitable<bool> HttpServer::Session::answer(HttpResponse& res, unsigned version, bool keepAlive) {
    res.version(version);
    res.keep_alive(keepAlive);
    setCommonHeaders(res.base());
    beast::error_code ec;
    m_stream.expires_after(m_server.m_limits.bodyTimeout);
    co_await http::async_write(m_stream, res, asio::redirect_error(use_awaitable, ec));
    co_return !ec;
}

HttpServer::HttpServer(asio::io_context& ioc, const Router& router, HttpLimits limits, Logger& log)
    : m_ioc(ioc), m_router(router), m_limits(limits), m_log(log) {}

HttpServer::~HttpServer() = default;

void HttpServer::start(tcp::acceptor acceptor, RequestGuard guard) {
    m_acceptor.emplace(std::move(acceptor));
    m_guard.emplace(std::move(guard));
    asio::co_spawn(m_ioc, acceptLoop(), asio::detached);
}

awaitable<void> HttpServer::acceptLoop() {
    while (m_acceptor && m_acceptor->is_open()) {
        beast::error_code ec;
        tcp::socket socket =
            co_await m_acceptor->async_accept(asio::redirect_error(use_awaitable, ec));
        if (ec) {
            if (m_stopping || ec == asio::error::operation_aborted)
                co_return;
            m_log.warning(QStringLiteral("Accepting a connection failed: %1")
                              .arg(QString::fromStdString(ec.message())));
            continue;
        }
        if (int(m_sessions.size()) >= m_limits.maxConnections) {
            // Over the cap: answer at once and close, rather than letting clients hang.
            auto busy = std::make_shared<tcp::socket>(std::move(socket));
            auto res = std::make_shared<HttpResponse>(problemResponse(ApiError(
                ApiError::Kind::ServiceUnavailable,
                QStringLiteral("The service has too many open connections (limit %1); try again")
                    .arg(m_limits.maxConnections))));
            res->keep_alive(false);
            http::async_write(*busy, *res, [busy, res](beast::error_code, size_t) {
                beast::error_code ignored;
                busy->close(ignored);
            });
            continue;
        }
        auto session = std::make_shared<Session>(*this, std::move(socket));
        asio::co_spawn(
            m_ioc, [session]() -> awaitable<void> { co_await session->run(); }, asio::detached);
    }
}

size_t HttpServer::bodyLimitFor(const HttpRequest& header) const {
    const auto match = m_router.resolve(header.method(), splitTarget(header.target()).first);
    if (match.maxBodyBytes <= m_limits.maxBodyBytes || m_guard->checkToken(header))
        return m_limits.maxBodyBytes;
    return match.maxBodyBytes;
}

awaitable<std::optional<HttpResponse>> HttpServer::handle(const HttpRequest& req,
                                                          Session& session) {
    try {
        if (auto denied = m_guard->checkHostAndOrigin(req))
            co_return problemResponse(*denied);
        const auto [path, queryText] = splitTarget(req.target());
        const auto match = m_router.resolve(req.method(), path);
        if (match.access != Access::Anonymous || (!match.handler && !match.stream))
            if (auto denied = m_guard->checkToken(req))
                co_return problemResponse(*denied);
        if (!match.handler && !match.stream) {
            if (match.pathKnown)
                co_return problemResponse(
                    ApiError(ApiError::Kind::MethodNotAllowed,
                             QStringLiteral("%1 is not supported here")
                                 .arg(QString::fromStdString(std::string(req.method_string())))));
            co_return problemResponse(ApiError(
                ApiError::Kind::NotFound, QStringLiteral("There is no API route %1")
                                              .arg(QString::fromStdString(std::string(path)))));
        }
        if (auto denied = m_guard->checkContentType(req))
            co_return problemResponse(*denied);
        RequestContext ctx{
            req, match.params,
            QUrlQuery(QString::fromUtf8(queryText.data(), qsizetype(queryText.size())))};
        if (match.stream) {
            co_await (*match.stream)(ctx, session);
            co_return std::nullopt;
        }
        co_return co_await (*match.handler)(ctx);
    } catch (const ApiError& e) {
        if (e.kind == ApiError::Kind::Internal)
            m_log.error(QStringLiteral("%1 failed: %2").arg(describe(req), e.detail));
        if (session.streamStarted())
            co_return std::nullopt;
        co_return problemResponse(e);
    } catch (const std::exception& e) {
        m_log.error(
            QStringLiteral("%1 failed: %2").arg(describe(req), QString::fromUtf8(e.what())));
        if (session.streamStarted())
            co_return std::nullopt;
        co_return problemResponse(
            ApiError(ApiError::Kind::Internal, QStringLiteral("The service hit an internal error; "
                                                              "see logs/service.exceptions.log")));
    }
}

void HttpServer::stop(std::function<void()> drained) {
    m_stopping = true;
    m_drained = std::move(drained);
    if (m_acceptor) {
        beast::error_code ignored;
        m_acceptor->close(ignored);
    }
    for (Session* s : m_sessions)
        s->closeIfIdle();
    if (m_sessions.empty() && m_drained)
        asio::post(m_ioc, std::exchange(m_drained, nullptr));
}

void HttpServer::sessionEnded(Session* s) {
    m_sessions.erase(s);
    if (m_stopping && m_sessions.empty() && m_drained)
        asio::post(m_ioc, std::exchange(m_drained, nullptr));
}

} // namespace ck
