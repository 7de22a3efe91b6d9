#pragma once
// The service's HTTP(S) client for talking to certificate authorities: Beast over TLS (OpenSSL),
// verifying the CA's certificate against the system's roots plus an optional extra root file
// (for private CAs and Pebble), with a timeout on every step. Plain http:// is allowed only for
// loopback addresses (test responders), never for a real CA.

#include "base/Beast.h"
#include "config/ProxySettings.h"

#include <QString>
#include <QUrl>

#include <boost/asio/ssl/context.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace ck::acme {

struct HttpCall {
    beast::http::verb method = beast::http::verb::get;
    QUrl url;
    std::string contentType; // set when there is a body
    std::string accept;
    std::string body;
    // For each step: name lookup, connecting (with the TLS handshake), sending and reading the
    // answer. Unset: the client's step timeout.
    std::optional<std::chrono::milliseconds> timeout;
};

struct HttpReply {
    int status = 0;
    std::multimap<std::string, std::string> headers; // lower-case names, in order received
    std::string body;

    std::string header(const std::string& lowerName) const; // first value or empty
    std::vector<std::string> headerValues(const std::string& lowerName) const;
};

// A failure to reach the server or to get an HTTP answer at all (no status code).
struct TransportError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The server did not answer in time. Unlike an idle connection the server closed meanwhile, this
// is not worth retrying on a new connection: that would double the step's timeout.
struct TimedOut : TransportError {
    using TransportError::TransportError;
};

// Connections are kept alive and reused (a few idle ones per host, for up to 30 s): an ACME
// request is a dozen small exchanges with one server, and a new TLS handshake for each would
// cost more than the exchanges themselves. A reused connection the server has meanwhile closed
// is replaced once, transparently; that is safe even for POSTs because every ACME POST carries
// a single-use nonce, so a request the server did see cannot take effect twice. A server that
// took the request and does not answer in time is not asked again: the call fails after its
// timeout, not after twice that.
class HttpsClient {
public:
    static constexpr std::chrono::milliseconds kDefaultStepTimeout{std::chrono::seconds(30)};

    // `extraRootsPem` (PEM certificates, may be empty) is trusted in addition to the system
    // roots. `stepTimeout`: for each step of a call that does not set its own
    // (serviceconfig.json acmeRequestTimeoutSeconds). `proxy`: every connection to a host it
    // does not bypass is a CONNECT tunnel through it (TLS end to end with the CA); none: direct.
    HttpsClient(asio::any_io_executor executor, const QByteArray& extraRootsPem,
                std::chrono::milliseconds stepTimeout = kDefaultStepTimeout,
                OutgoingProxy proxy = {});
    ~HttpsClient();

    awaitable<HttpReply> fetch(const HttpCall& call);

private:
    struct Connection;
    awaitable<std::unique_ptr<Connection>> connect(const HttpCall& call);
    // Connects `stream` to the proxy and asks it for a tunnel to host:port; throws
    // TransportError naming the proxy and its answer when it refuses.
    awaitable<void> openTunnel(beast::tcp_stream& stream, const HttpCall& call,
                               const std::string& host, const std::string& port);
    std::unique_ptr<Connection> takeIdle(const std::string& key);
    void keepIdle(std::unique_ptr<Connection> connection);

    asio::any_io_executor m_executor;
    std::shared_ptr<asio::ssl::context> m_tls;
    std::chrono::milliseconds m_stepTimeout;
    OutgoingProxy m_proxy;
    std::multimap<std::string, std::unique_ptr<Connection>> m_idle; // by scheme://host:port
};

} // namespace ck::acme
