#pragma once
// The built-in http-01 responder (RFC 8555 §8.3): a small HTTP server on
// httpChallengeServerPort that answers GET /.well-known/acme-challenge/<token> with the key
// authorization of a challenge in progress, and 404 for anything else. It listens only while
// some order needs it, so the port is not held when no request is running.

#include "base/Async.h"
#include "challenges/OnDemandListener.h"

#include <QString>

#include <map>
#include <memory>

namespace ck::challenges {

class Http01Listener {
public:
    Http01Listener(asio::io_context& ioc, QString host, int port);

    // Starts listening if it is not already; throws std::runtime_error naming the port and the
    // reason (e.g. "permission denied: ports below 1024 need CAP_NET_BIND_SERVICE").
    void add(const QString& token, const QString& keyAuthorization);
    // Stops answering for the token; stops listening when no token is left.
    void remove(const QString& token);
    int port() const { return m_listener.port(); }
    size_t pending() const { return m_tokens.size(); }

private:
    awaitable<void> serve(tcp::socket socket);

    std::map<std::string, std::string> m_tokens;
    OnDemandListener m_listener; // last: closed before the tokens it serves go
};

} // namespace ck::challenges
