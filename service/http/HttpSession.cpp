#include "http/HttpSession.h"

#include "http/Responses.h"

#include <boost/asio/redirect_error.hpp>

#include <regex>

namespace ck::http {

namespace {

// A chunk line's extensions ("5;name=value") are buffered whole before the parser sees them;
// nothing we serve uses them, so a short bound is enough.
constexpr size_t kMaxChunkExtensionBytes = 1024;
// How long a refused client may keep sending before its connection is closed anyway.
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr size_t kLingerBytes = 256 * 1024;

bool isPeerGone(const ErrorCode& ec) {
    return ec == beast::http::error::end_of_stream || ec == beast::http::error::partial_message ||
           ec == asio::error::eof || ec == asio::error::connection_reset ||
           ec == asio::error::operation_aborted || ec == asio::error::broken_pipe ||
           ec == beast::error::timeout;
}

// The start line names an HTTP version we do not speak ("HTTP/2.0", "HTTP/3.0"), as opposed
// to no version at all (HTTP/0.9) or a malformed one.
bool namesOtherVersion(const beast::flat_buffer& buffer) {
    const auto data = buffer.data();
    std::string_view text(static_cast<const char*>(data.data()), data.size());
    text = text.substr(0, text.find('\n'));
    // A well-formed start line (CRLF included) whose version Beast refused.
    static const std::regex startLine(R"(^[A-Z]+ \S+ HTTP/[0-9]\.[0-9]\r$)");
    return std::regex_match(text.begin(), text.end(), startLine);
}

} // namespace

HttpServer::Session::Session(HttpServer& server, tcp::socket socket)
    : m_server(server), m_stream(std::move(socket)), m_serial(++server.m_accepted) {
    m_server.m_sessions.insert(this);
}

HttpServer::Session::~Session() {
    m_server.sessionEnded(this);
}

void HttpServer::Session::closeIfIdle() {
    if (!m_busy || m_streaming) {
        ErrorCode ignored;
        m_stream.socket().close(ignored);
    }
}

std::optional<int> HttpServer::Session::evictionRank() const {
    if (m_peerGone)
        return 0;
    if (m_streaming || (m_busy && !m_closing))
        return std::nullopt;
    return m_proven && !m_closing ? 1 : 0;
}

void HttpServer::Session::evict() {
    m_server.m_sessions.erase(this);
    ErrorCode ignored;
    m_stream.socket().close(ignored);
}

void HttpServer::Session::setCommonHeaders(beast::http::fields& fields) const {
    fields.set(beast::http::field::server, "certkeeper-service");
    fields.set("X-Content-Type-Options", "nosniff");
}

awaitable<bool> HttpServer::Session::start(beast::http::response<beast::http::empty_body> header) {
    header.version(11);
    header.keep_alive(false);
    header.chunked(true);
    setCommonHeaders(header.base());
    m_streaming = true;
    beast::http::response_serializer<beast::http::empty_body> serializer(header);
    ErrorCode ec;
    m_stream.expires_after(m_server.m_limits.bodyTimeout);
    co_await beast::http::async_write_header(m_stream, serializer,
                                             asio::redirect_error(use_awaitable, ec));
    m_stream.expires_never();
    // A stream's client sends nothing more; a read that completes means it has closed its end.
    // Until the next event is written nothing else would notice, and the connection would hold
    // its place under the cap.
    asio::co_spawn(
        m_stream.get_executor(),
        [self = shared_from_this()]() -> awaitable<void> {
            std::array<char, 256> sink{};
            ErrorCode readEc;
            co_await self->m_stream.socket().async_read_some(
                asio::buffer(sink), asio::redirect_error(use_awaitable, readEc));
            self->m_peerGone = true;
        },
        asio::detached);
    co_return !ec && !m_server.m_stopping;
}

awaitable<bool> HttpServer::Session::write(std::string_view chunk) {
    if (m_server.m_stopping)
        co_return false;
    ErrorCode ec;
    m_stream.expires_after(m_server.m_limits.bodyTimeout); // a client that stops reading is let go
    co_await asio::async_write(m_stream,
                               beast::http::make_chunk(asio::buffer(chunk.data(), chunk.size())),
                               asio::redirect_error(use_awaitable, ec));
    m_stream.expires_never();
    co_return !ec && !m_server.m_stopping;
}

awaitable<void> HttpServer::Session::run() {
    const auto& limits = m_server.m_limits;
    // Bounds what a client can make us hold before its request is parsed: the header, a chunk
    // line with its extensions, or a trailer must fit (the body is moved out as it arrives).
    beast::flat_buffer buffer(limits.maxHeaderBytes + 2 * kMaxChunkExtensionBytes);
    auto limitExtensions = [](std::uint64_t, std::string_view extensions, ErrorCode& ec) {
        if (extensions.size() > kMaxChunkExtensionBytes)
            ec = beast::http::error::bad_chunk_extension;
    };
    bool first = true;
    while (!m_server.m_stopping) {
        Parser parser;
        parser.header_limit(std::uint32_t(limits.maxHeaderBytes));
        // The route's own limit is set once the header is in; until then the largest any route
        // allows, since Beast checks Content-Length while parsing the header.
        parser.body_limit(std::max(limits.maxBodyBytes, m_server.m_router.largestBodyLimit()));
        parser.on_chunk_header(limitExtensions);
        ErrorCode ec;

        m_stream.expires_after(first ? limits.headerTimeout : limits.idleTimeout);
        co_await beast::http::async_read_header(m_stream, buffer, parser,
                                                asio::redirect_error(use_awaitable, ec));
        m_stream.expires_never();
        first = false;
        if (ec) {
            if (auto res = answerToReadError(ec, buffer, limits.maxBodyBytes)) {
                m_busy = true;
                co_await answer(*res, 11, false, false);
                co_await closeGracefully();
            }
            break;
        }
        m_busy = true;
        const HttpRequest& req = parser.get();
        const bool headOnly = req.method() == beast::http::verb::head;
        Admission admission = m_server.admit(req);
        if (admission.refusal) {
            // Refused on the header alone: the body is never read, so the connection cannot
            // carry another request.
            HttpResponse res = problemResponse(*admission.refusal);
            co_await answer(res, req.version(), false, headOnly);
            co_await closeGracefully();
            break;
        }
        if (admission.match.access == Access::Token)
            m_proven = true;
        if (!parser.is_done()) {
            parser.body_limit(admission.bodyLimit);
            ec = co_await readBody(parser, buffer);
            if (ec) {
                if (auto res = answerToReadError(ec, buffer, admission.bodyLimit)) {
                    co_await answer(*res, req.version(), false, headOnly);
                    co_await closeGracefully();
                }
                break;
            }
        }

        std::optional<HttpResponse> maybeResponse =
            co_await m_server.handle(req, admission.match, *this);
        if (!maybeResponse) { // a stream answered and ended; its connection is done
            if (m_stream.socket().is_open() && !m_server.m_stopping) {
                m_stream.expires_after(limits.bodyTimeout);
                co_await asio::async_write(m_stream, beast::http::make_chunk_last(),
                                           asio::redirect_error(use_awaitable, ec));
            }
            break;
        }
        const bool keepAlive = req.keep_alive() && !m_server.m_stopping;
        if (!co_await answer(*maybeResponse, req.version(), keepAlive, headOnly) || !keepAlive)
            break;
        m_busy = false;
    }
    ErrorCode ignored;
    m_stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    m_stream.socket().close(ignored);
}

awaitable<ErrorCode> HttpServer::Session::readBody(Parser& parser, beast::flat_buffer& buffer) {
    // Beast's own stream timeout closes the socket, which would leave no way to say 408; a
    // timer of our own cancels the read instead and keeps the socket for the answer.
    auto timedOut = std::make_shared<bool>(false);
    auto armed = std::make_shared<bool>(true);
    asio::steady_timer timer(m_stream.get_executor());
    timer.expires_after(m_server.m_limits.bodyTimeout);
    timer.async_wait([self = shared_from_this(), timedOut, armed](ErrorCode waitEc) {
        if (waitEc || !*armed)
            return;
        *timedOut = true;
        ErrorCode ignored;
        self->m_stream.socket().cancel(ignored);
    });
    ErrorCode ec;
    co_await beast::http::async_read(m_stream, buffer, parser,
                                     asio::redirect_error(use_awaitable, ec));
    *armed = false;
    timer.cancel();
    if (ec && *timedOut)
        ec = beast::error::timeout;
    co_return ec;
}

std::optional<HttpResponse> HttpServer::Session::answerToReadError(const ErrorCode& ec,
                                                                   const beast::flat_buffer& buffer,
                                                                   size_t bodyLimit) const {
    if (ec == beast::error::timeout && m_busy)
        return protocolProblem(
            beast::http::status::request_timeout,
            QStringLiteral("The request body did not arrive within %1 seconds")
                .arg(std::chrono::duration_cast<std::chrono::seconds>(m_server.m_limits.bodyTimeout)
                         .count()));
    if (isPeerGone(ec) || ec.category() != ErrorCode(beast::http::error::end_of_stream).category())
        return std::nullopt; // the client went away or stopped sending: nobody to answer
    if (ec == beast::http::error::body_limit)
        return problemResponse(
            ApiError(ApiError::Kind::PayloadTooLarge,
                     QStringLiteral("The request body is larger than the limit of %1 bytes")
                         .arg(bodyLimit)));
    if (ec == beast::http::error::header_limit)
        return protocolProblem(beast::http::status::request_header_fields_too_large,
                               QStringLiteral("The request headers are larger than the limit of "
                                              "%1 bytes")
                                   .arg(m_server.m_limits.maxHeaderBytes));
    if (ec == beast::http::error::buffer_overflow || ec == beast::http::error::bad_chunk_extension)
        return protocolProblem(beast::http::status::bad_request,
                               QStringLiteral("A chunk line or the trailer of the request is "
                                              "too large"));
    if (ec == beast::http::error::bad_version && namesOtherVersion(buffer))
        return protocolProblem(beast::http::status::http_version_not_supported,
                               QStringLiteral("Only HTTP/1.0 and HTTP/1.1 are spoken here"));
    return protocolProblem(beast::http::status::bad_request,
                           QStringLiteral("The request is not valid HTTP/1.1 (%1)")
                               .arg(QString::fromStdString(ec.message())));
}

awaitable<bool> HttpServer::Session::answer(HttpResponse& res, unsigned version, bool keepAlive,
                                            bool headOnly) {
    res.version(version == 10 ? 10 : 11);
    res.keep_alive(keepAlive);
    setCommonHeaders(res.base());
    ErrorCode ec;
    m_stream.expires_after(m_server.m_limits.bodyTimeout);
    if (headOnly) {
        // The header of the answer a GET would get, Content-Length included, and no body.
        beast::http::response_serializer<beast::http::string_body> serializer(res);
        co_await beast::http::async_write_header(m_stream, serializer,
                                                 asio::redirect_error(use_awaitable, ec));
    } else {
        co_await beast::http::async_write(m_stream, res, asio::redirect_error(use_awaitable, ec));
    }
    m_stream.expires_never();
    co_return !ec;
}

awaitable<void> HttpServer::Session::closeGracefully() {
    m_closing = true;
    ErrorCode ec;
    m_stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec)
        co_return;
    std::array<char, 4096> sink{};
    size_t drained = 0;
    m_stream.expires_after(kLingerTime);
    while (drained < kLingerBytes && !m_server.m_stopping) {
        const size_t n = co_await m_stream.async_read_some(asio::buffer(sink),
                                                           asio::redirect_error(use_awaitable, ec));
        if (ec)
            break;
        drained += n;
    }
    m_stream.expires_never();
}

} // namespace ck::http
