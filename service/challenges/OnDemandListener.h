#pragma once
// The listening socket of a built-in challenge responder: opened when the first challenge needs
// it and closed when the last one is done, so the port is not held between orders. Each accepted
// connection goes to the responder's own `serve`.

#include "base/Async.h"

#include <QString>

#include <functional>
#include <memory>

namespace ck::challenges {

class OnDemandListener {
public:
    using Serve = std::function<awaitable<void>(tcp::socket)>;

    // `what` names the responder in errors ("http-01", "tls-alpn-01").
    OnDemandListener(asio::io_context& ioc, QString host, int port, const char* what, Serve serve);
    ~OnDemandListener();

    // Starts listening unless it already is. Throws std::runtime_error naming the responder, the
    // address and the reason; for ports below 1024 the reason says how to get the right to bind
    // them. "::" is every address, IPv4 included, and falls back to IPv4 where IPv6 is absent.
    void open();
    void close();
    int port() const { return m_port; }

private:
    awaitable<void> acceptLoop(std::shared_ptr<tcp::acceptor> acceptor);

    asio::io_context& m_ioc;
    QString m_host;
    int m_port;
    const char* m_what;
    Serve m_serve;
    std::shared_ptr<tcp::acceptor> m_acceptor; // shared with the accept loop that uses it
};

} // namespace ck::challenges
