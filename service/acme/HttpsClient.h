#pragma once
// The service's HTTP(S) client for talking to certificate authorities: Beast over TLS (OpenSSL),
// verifying the CA's certificate against the system's roots plus an optional extra root file
// (for private CAs and Pebble), with a timeout on every step. Plain http:// is allowed only for
// loopback addresses (test responders), never for a real CA.

#include "http/Asio.h"

#include <QString>
#include <QUrl>

#include <boost/asio/ssl/context.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace ck::acme {

struct HttpCall {
    http::verb method = http::verb::get;
    QUrl url;
    std::string contentType; // set when there is a body
    std::string accept;
    std::string body;
    std::chrono::milliseconds timeout{std::chrono::seconds(30)};
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

// Connections are kept alive and reused (a few idle ones per host, for up to 30 s): an ACME
// request is a dozen small exchanges with one server, and a new TLS handshake for each would
// cost more than the exchanges themselves. A reused connection the server has meanwhile closed
// is replaced once, transparently; that is safe even for POSTs because every ACME POST carries
// a single-use nonce, so a request the server did see cannot take effect twice.
class HttpsClient {
public:
    // `extraRootPemFile` (may be empty) is trusted in addition to the system roots.
    HttpsClient(asio::any_io_executor executor, const QString& extraRootPemFile);
    ~HttpsClient();

    awaitable<HttpReply> fetch(const HttpCall& call);

private:
    struct Connection;
    awaitable<std::unique_ptr<Connection>> connect(const HttpCall& call);
    std::unique_ptr<Connection> takeIdle(const std::string& key);
    void keepIdle(std::unique_ptr<Connection> connection);

    asio::any_io_executor m_executor;
    std::shared_ptr<asio::ssl::context> m_tls;
    std::multimap<std::string, std::unique_ptr<Connection>> m_idle; // by scheme://host:port
};

} // namespace ck::acme
