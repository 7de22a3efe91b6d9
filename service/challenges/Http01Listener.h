#pragma once
// The built-in http-01 responder (RFC 8555 §8.3): a small HTTP server on
// httpChallengeServerPort that answers GET /.well-known/acme-challenge/<token> with the key
// authorization of a challenge in progress, and 404 for anything else. It listens only while
// some order needs it, so the port is not held when no request is running.

#include "http/Asio.h"

#include <QString>

#include <map>
#include <memory>

namespace ck::challenges {

class Http01Listener {
public:
    Http01Listener(asio::io_context& ioc, QString host, int port);
    ~Http01Listener();

    // Starts listening if it is not already; throws std::runtime_error naming the port and the
    // reason (e.g. "permission denied: ports below 1024 need CAP_NET_BIND_SERVICE").
    void add(const QString& token, const QString& keyAuthorization);
    // Stops answering for the token; stops listening when no token is left.
    void remove(const QString& token);
    int port() const { return m_port; }
    size_t pending() const { return m_tokens.size(); }

private:
    void ensureListening();
    awaitable<void> acceptLoop(std::shared_ptr<tcp::acceptor> acceptor);
    awaitable<void> serve(tcp::socket socket);

    asio::io_context& m_ioc;
    QString m_host;
    int m_port;
    std::shared_ptr<tcp::acceptor> m_acceptor; // shared with the accept loop that uses it
    std::map<std::string, std::string> m_tokens;
};

} // namespace ck::challenges
