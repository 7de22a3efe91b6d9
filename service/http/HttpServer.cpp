#include "http/HttpServer.h"

#include "http/ErrorMapping.h"
#include "http/HttpSession.h"
#include "http/Responses.h"
#include "logging/Logger.h"

#include <boost/asio/redirect_error.hpp>

namespace ck::http {

namespace {
QString describe(const HttpRequest& req) {
    return QStringLiteral("%1 %2").arg(QString::fromStdString(std::string(req.method_string())),
                                       QString::fromStdString(std::string(req.target())));
}
} // namespace

HttpServer::HttpServer(asio::io_context& ioc, const Router& router, HttpLimits limits,
                       logging::Logger& log)
    : m_ioc(ioc), m_router(router), m_limits(limits), m_log(log) {}

HttpServer::~HttpServer() = default;

void HttpServer::start(tcp::acceptor acceptor, RequestGuard guard) {
    m_acceptor.emplace(std::move(acceptor));
    m_guard.emplace(std::move(guard));
    asio::co_spawn(m_ioc, acceptLoop(), asio::detached);
}

awaitable<void> HttpServer::acceptLoop() {
    while (m_acceptor && m_acceptor->is_open()) {
        ErrorCode ec;
        tcp::socket socket =
            co_await m_acceptor->async_accept(asio::redirect_error(use_awaitable, ec));
        if (ec) {
            if (m_stopping || ec == asio::error::operation_aborted)
                co_return;
            m_log.warning(QStringLiteral("Accepting a connection failed: %1")
                              .arg(QString::fromStdString(ec.message())));
            continue;
        }
        if (int(m_sessions.size()) >= m_limits.maxConnections && !makeRoom()) {
            // Over the cap: answer at once and close, rather than letting clients hang.
            auto busy = std::make_shared<tcp::socket>(std::move(socket));
            auto res = std::make_shared<HttpResponse>(problemResponse(ApiError(
                ApiError::Kind::ServiceUnavailable,
                QStringLiteral("The service has too many open connections (limit %1); try again")
                    .arg(m_limits.maxConnections))));
            res->keep_alive(false);
            beast::http::async_write(*busy, *res, [busy, res](ErrorCode, size_t) {
                ErrorCode ignored;
                busy->close(ignored);
            });
            continue;
        }
        auto session = std::make_shared<Session>(*this, std::move(socket));
        asio::co_spawn(
            m_ioc,
            [this, session]() -> awaitable<void> {
                // A fault on one connection ends that connection, never the service.
                try {
                    co_await session->run();
                } catch (const std::exception& e) {
                    m_log.error(QStringLiteral("A connection ended on an internal error: %1")
                                    .arg(QString::fromUtf8(e.what())));
                }
            },
            asio::detached);
    }
}

bool HttpServer::makeRoom() {
    Session* victim = nullptr;
    int victimRank = 0;
    for (Session* s : m_sessions) {
        const auto rank = s->evictionRank();
        if (!rank)
            continue;
        if (!victim || *rank < victimRank ||
            (*rank == victimRank && s->serial() < victim->serial())) {
            victim = s;
            victimRank = *rank;
        }
    }
    if (!victim)
        return false;
    victim->evict();
    ++m_evicted;
    // One line a minute under a flood, not one per connection.
    const auto now = std::chrono::steady_clock::now();
    if (now - m_lastEvictionWarning >= std::chrono::minutes(1)) {
        m_log.warning(QStringLiteral("At the limit of %1 connections: closed %2 idle or "
                                     "unauthenticated connection(s) to serve new ones")
                          .arg(m_limits.maxConnections)
                          .arg(m_evicted));
        m_evicted = 0;
        m_lastEvictionWarning = now;
    }
    return true;
}

HttpServer::Admission HttpServer::admit(const HttpRequest& req) const {
    Admission a;
    if (auto denied = m_guard->checkHostAndOrigin(req)) {
        a.refusal = std::move(denied);
        return a;
    }
    const auto path = splitTarget(req.target()).first;
    // HEAD is answered as GET without the body; a stream has no header-only form.
    const bool head = req.method() == beast::http::verb::head;
    a.match = m_router.resolve(head ? beast::http::verb::get : req.method(), path);
    if (head && a.match.stream)
        a.match = Router::Match{nullptr, nullptr, Access::Token, 0, true, {}};
    const bool routed = a.match.handler || a.match.stream;
    if (a.match.access != Access::Anonymous || !routed)
        if (auto denied = m_guard->checkToken(req)) {
            a.refusal = std::move(denied);
            return a;
        }
    if (!routed) {
        const QString method = QString::fromStdString(std::string(req.method_string()));
        a.refusal = a.match.pathKnown
                        ? ApiError(ApiError::Kind::MethodNotAllowed,
                                   QStringLiteral("%1 is not supported here").arg(method))
                        : ApiError(ApiError::Kind::NotFound,
                                   QStringLiteral("There is no API route %1")
                                       .arg(QString::fromStdString(std::string(path))));
        return a;
    }
    if (auto denied = m_guard->checkContentType(req)) {
        a.refusal = std::move(denied);
        return a;
    }
    // A route's larger limit (an import carrying a backup package) only behind the token.
    a.bodyLimit = a.match.access == Access::Token
                      ? std::max(m_limits.maxBodyBytes, a.match.maxBodyBytes)
                      : m_limits.maxBodyBytes;
    const auto& parserLength = req.find(beast::http::field::content_length);
    if (parserLength != req.end()) {
        const std::string text(parserLength->value());
        // Beast has already checked the digits; only the size against this route's limit.
        if (std::stoull(text) > a.bodyLimit)
            a.refusal =
                ApiError(ApiError::Kind::PayloadTooLarge,
                         QStringLiteral("The request body is larger than the limit of %1 bytes")
                             .arg(a.bodyLimit));
    }
    return a;
}

awaitable<std::optional<HttpResponse>>
HttpServer::handle(const HttpRequest& req, const Router::Match& match, Session& session) {
    try {
        const auto queryText = splitTarget(req.target()).second;
        RequestContext ctx{
            req, match.params,
            QUrlQuery(QString::fromUtf8(queryText.data(), qsizetype(queryText.size())))};
        if (match.stream) {
            co_await (*match.stream)(ctx, session);
            co_return std::nullopt;
        }
        co_return co_await (*match.handler)(ctx);
    } catch (...) {
        QString fault;
        const ApiError error = apiErrorFor(std::current_exception(), &fault);
        if (!fault.isEmpty())
            m_log.error(QStringLiteral("%1 failed: %2").arg(describe(req), fault));
        if (session.streamStarted())
            co_return std::nullopt;
        co_return problemResponse(error);
    }
}

void HttpServer::stop(std::function<void()> drained) {
    m_stopping = true;
    m_drained = std::move(drained);
    if (m_acceptor) {
        ErrorCode ignored;
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

} // namespace ck::http
