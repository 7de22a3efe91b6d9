#pragma once
// The service's HTTP/1.1 server on Boost.Beast: one coroutine per connection (HttpSession),
// with limits on header size, body size, header/body/idle time and the number of connections.
// Every request passes the RequestGuard on its header alone, then the Router; whatever a
// handler throws becomes a problem response (apiErrorFor, in ErrorMapping), and no exception
// ends the process.

#include "base/Beast.h"
#include "http/RequestGuard.h"
#include "http/Router.h"
#include "logging/Logger.h"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <unordered_set>

namespace ck::http {

struct HttpLimits {
    size_t maxBodyBytes = 1024 * 1024;
    size_t maxHeaderBytes = 16 * 1024;
    std::chrono::milliseconds headerTimeout{
        std::chrono::seconds(10)}; // to receive a request's header
    std::chrono::milliseconds bodyTimeout{std::chrono::seconds(30)}; // to receive its body
    std::chrono::milliseconds idleTimeout{std::chrono::seconds(30)}; // keep-alive between requests
    int maxConnections = 64;
};

class HttpServer {
public:
    HttpServer(asio::io_context& ioc, const Router& router, HttpLimits limits,
               logging::Logger& log);
    ~HttpServer();

    // Starts accepting on an acceptor that is already bound and listening.
    void start(tcp::acceptor acceptor, RequestGuard guard);
    // Stops accepting and closes idle connections; requests in flight are answered first.
    // `drained` runs once the last connection has closed.
    void stop(std::function<void()> drained);
    size_t connectionCount() const { return m_sessions.size(); }

private:
    class Session;
    friend class Session;

    // What the header of a request earns it before any body is read: the route, and either a
    // refusal (foreign Host, Origin, token, unknown route, content type, body too large) or
    // the body limit that applies.
    struct Admission {
        Router::Match match;
        std::optional<ApiError> refusal;
        size_t bodyLimit = 0;
    };
    Admission admit(const HttpRequest& header) const;

    awaitable<void> acceptLoop();
    // At the connection cap, closes the connection least likely to matter (see
    // Session::evictionRank) so a new client is served: a flood of idle or slow connections
    // from clients without the token cannot lock out the app. False when every open
    // connection is answering a request or streaming.
    bool makeRoom();
    // The response to send, or nothing when a stream route has already answered.
    awaitable<std::optional<HttpResponse>> handle(const HttpRequest& req,
                                                  const Router::Match& match, Session& session);
    void sessionEnded(Session* s);

    asio::io_context& m_ioc;
    const Router& m_router;
    HttpLimits m_limits;
    logging::Logger& m_log;
    std::optional<tcp::acceptor> m_acceptor;
    std::optional<RequestGuard> m_guard;
    std::unordered_set<Session*> m_sessions;
    std::uint64_t m_accepted = 0;
    std::uint64_t m_evicted = 0; // since the last warning about it
    std::chrono::steady_clock::time_point m_lastEvictionWarning;
    bool m_stopping = false;
    std::function<void()> m_drained;
};

} // namespace ck::http
