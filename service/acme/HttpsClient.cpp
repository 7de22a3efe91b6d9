#include "acme/HttpsClient.h"

#include <QHostAddress>

#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <openssl/ssl.h>

namespace ck::acme {

namespace {
std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

[[noreturn]] void fail(const QUrl& url, const QString& what, const ErrorCode& ec) {
    const std::string text =
        QStringLiteral("%1 %2: %3")
            .arg(what, url.toString(QUrl::RemoveQuery), QString::fromStdString(ec.message()))
            .toStdString();
    if (ec == beast::error::timeout)
        throw TimedOut(text);
    throw TransportError(text);
}

HttpRequest makeRequest(const HttpCall& call) {
    const QUrl& url = call.url;
    std::string target = url.path(QUrl::FullyEncoded).toStdString();
    if (target.empty())
        target = "/";
    if (url.hasQuery())
        target += "?" + url.query(QUrl::FullyEncoded).toStdString();
    HttpRequest req{call.method, target, 11};
    const bool defaultPort = url.port() < 0;
    req.set(beast::http::field::host,
            url.host().toStdString() + (defaultPort ? "" : ":" + std::to_string(url.port())));
    req.set(beast::http::field::user_agent, "certkeeper/" CERTKEEPER_VERSION);
    if (!call.accept.empty())
        req.set(beast::http::field::accept, call.accept);
    if (!call.contentType.empty())
        req.set(beast::http::field::content_type, call.contentType);
    req.body() = call.body;
    req.prepare_payload();
    return req;
}

HttpReply toReply(beast::http::response<beast::http::string_body>& res) {
    HttpReply reply;
    reply.status = int(res.result_int());
    for (const auto& field : res)
        reply.headers.emplace(lower(field.name_string()), std::string(field.value()));
    reply.body = std::move(res.body());
    return reply;
}

constexpr auto kIdleLimit = std::chrono::seconds(30);
constexpr size_t kIdlePerHost = 4;

std::string poolKey(const QUrl& url) {
    const bool tls = url.scheme() == QLatin1String("https");
    return url.scheme().toStdString() + "://" + url.host().toStdString() + ":" +
           std::to_string(url.port(tls ? 443 : 80));
}

// Name lookup and TCP connection of `stream` to host:port, each within `timeout`.
awaitable<void> connectTcp(beast::tcp_stream& stream,
                           const std::optional<std::chrono::milliseconds>& timeout, const QUrl& url,
                           const std::string& host, const std::string& port) {
    ErrorCode ec;
    auto executor = stream.get_executor();
    tcp::resolver resolver(executor);
    auto timer = std::make_shared<asio::steady_timer>(executor, *timeout);
    timer->async_wait([&resolver](const ErrorCode& e) {
        if (!e)
            resolver.cancel();
    });
    const auto endpoints =
        co_await resolver.async_resolve(host, port, asio::redirect_error(use_awaitable, ec));
    timer->cancel();
    if (ec)
        fail(url, "looking up", ec);
    stream.expires_after(*timeout);
    co_await stream.async_connect(endpoints, asio::redirect_error(use_awaitable, ec));
    if (ec)
        fail(url, "connecting to", ec);
}

template <typename Stream>
awaitable<beast::http::response<beast::http::string_body>>
exchange(Stream& stream, beast::tcp_stream& lowest, const HttpCall& call) {
    HttpRequest req = makeRequest(call);
    ErrorCode ec;
    lowest.expires_after(*call.timeout);
    co_await beast::http::async_write(stream, req, asio::redirect_error(use_awaitable, ec));
    if (ec)
        fail(call.url, "sending to", ec);
    beast::flat_buffer buffer;
    beast::http::response_parser<beast::http::string_body> parser;
    parser.body_limit(16 * 1024 * 1024);
    if (call.method == beast::http::verb::head)
        parser.skip(true);
    co_await beast::http::async_read(stream, buffer, parser,
                                     asio::redirect_error(use_awaitable, ec));
    if (ec)
        fail(call.url, "reading the answer from", ec);
    co_return parser.release();
}
} // namespace

struct HttpsClient::Connection {
    std::string key;
    std::optional<beast::tcp_stream> plain;
    std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
    std::chrono::steady_clock::time_point idleSince;

    beast::tcp_stream& lowest() { return secure ? beast::get_lowest_layer(*secure) : *plain; }
    awaitable<beast::http::response<beast::http::string_body>> exchange(const HttpCall& call) {
        if (secure)
            co_return co_await acme::exchange(*secure, lowest(), call);
        co_return co_await acme::exchange(*plain, *plain, call);
    }
};

std::string HttpReply::header(const std::string& lowerName) const {
    const auto it = headers.find(lowerName);
    return it == headers.end() ? std::string() : it->second;
}

std::vector<std::string> HttpReply::headerValues(const std::string& lowerName) const {
    std::vector<std::string> values;
    const auto [begin, end] = headers.equal_range(lowerName);
    for (auto it = begin; it != end; ++it)
        values.push_back(it->second);
    return values;
}

HttpsClient::HttpsClient(asio::any_io_executor executor, const QByteArray& extraRootsPem,
                         std::chrono::milliseconds stepTimeout, OutgoingProxy proxy)
    : m_executor(std::move(executor)),
      m_tls(std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client)),
      m_stepTimeout(stepTimeout), m_proxy(std::move(proxy)) {
    m_tls->set_default_verify_paths();
    m_tls->set_verify_mode(asio::ssl::verify_peer);
    m_tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                       asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                       asio::ssl::context::no_tlsv1_1);
    if (!extraRootsPem.isEmpty()) {
        ErrorCode ec;
        // Adds every certificate of the PEM text, not only the first.
        m_tls->add_certificate_authority(
            asio::buffer(extraRootsPem.constData(), size_t(extraRootsPem.size())), ec);
        if (ec)
            throw TransportError(QStringLiteral("The trusted root certificates cannot be used: %1")
                                     .arg(QString::fromStdString(ec.message()))
                                     .toStdString());
    }
}

HttpsClient::~HttpsClient() = default;

std::unique_ptr<HttpsClient::Connection> HttpsClient::takeIdle(const std::string& key) {
    const auto now = std::chrono::steady_clock::now();
    for (auto it = m_idle.find(key); it != m_idle.end() && it->first == key;) {
        std::unique_ptr<Connection> c = std::move(it->second);
        it = m_idle.erase(it);
        if (now - c->idleSince < kIdleLimit && c->lowest().socket().is_open())
            return c;
    }
    return nullptr;
}

void HttpsClient::keepIdle(std::unique_ptr<Connection> connection) {
    if (m_idle.count(connection->key) >= kIdlePerHost)
        return;
    connection->idleSince = std::chrono::steady_clock::now();
    const std::string key = connection->key;
    m_idle.emplace(key, std::move(connection));
}

awaitable<std::unique_ptr<HttpsClient::Connection>> HttpsClient::connect(const HttpCall& call) {
    const QUrl& url = call.url;
    const bool tls = url.scheme() == QLatin1String("https");
    const std::string host = url.host().toStdString();
    if (!tls && url.scheme() == QLatin1String("http")) {
        const QHostAddress address(url.host());
        if (!(address.isLoopback() || url.host() == QLatin1String("localhost")))
            throw TransportError(
                QStringLiteral("%1 is not HTTPS; only https:// addresses are used for a CA")
                    .arg(url.toString())
                    .toStdString());
    } else if (!tls) {
        throw TransportError(
            QStringLiteral("'%1' is not an https:// address").arg(url.toString()).toStdString());
    }
    const std::string port = std::to_string(url.port(tls ? 443 : 80));

    auto c = std::make_unique<Connection>();
    c->key = poolKey(url);
    beast::tcp_stream& stream =
        tls ? c->secure.emplace(m_executor, *m_tls).next_layer() : c->plain.emplace(m_executor);
    if (m_proxy.appliesTo(url.host()))
        co_await openTunnel(stream, call, host, port);
    else
        co_await connectTcp(stream, call.timeout, url, host, port);
    if (!tls)
        co_return c;
    // SSL_set_tlsext_host_name is a macro with a C cast; this is what it expands to.
    if (!SSL_ctrl(c->secure->native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME,
                  TLSEXT_NAMETYPE_host_name, const_cast<char*>(host.c_str())))
        throw TransportError("cannot set the TLS server name for " + host);
    c->secure->set_verify_callback(asio::ssl::host_name_verification(host));
    c->lowest().expires_after(*call.timeout);
    ErrorCode ec;
    co_await c->secure->async_handshake(asio::ssl::stream_base::client,
                                        asio::redirect_error(use_awaitable, ec));
    if (ec)
        fail(url, "a trusted TLS connection could not be made to", ec);
    co_return c;
}

awaitable<void> HttpsClient::openTunnel(beast::tcp_stream& stream, const HttpCall& call,
                                        const std::string& host, const std::string& port) {
    const QString proxyAddress = m_proxy.address();
    const QUrl proxyUrl(proxyAddress);
    const std::string proxyPort = std::to_string(m_proxy.port);
    const std::string proxyHost = m_proxy.host.toStdString();
    try {
        co_await connectTcp(stream, call.timeout, proxyUrl, proxyHost, proxyPort);
    } catch (const TimedOut& e) {
        throw TimedOut(std::string(e.what()) + " (the proxy for " + host + ")");
    } catch (const TransportError& e) {
        throw TransportError(std::string(e.what()) + " (the proxy for " + host + ")");
    }
    const std::string authority =
        (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + port;
    HttpRequest req{beast::http::verb::connect, authority, 11};
    req.set(beast::http::field::host, authority);
    req.set(beast::http::field::user_agent, "certkeeper/" CERTKEEPER_VERSION);
    if (!m_proxy.user.isEmpty())
        req.set(beast::http::field::proxy_authorization,
                "Basic " +
                    (m_proxy.user + u':' + m_proxy.password).toUtf8().toBase64().toStdString());
    ErrorCode ec;
    stream.expires_after(*call.timeout);
    co_await beast::http::async_write(stream, req, asio::redirect_error(use_awaitable, ec));
    if (ec)
        fail(proxyUrl, "asking for a tunnel to " + QString::fromStdString(authority) + " at", ec);
    // Only the header: a 2xx answer to CONNECT has no body (RFC 9110 §9.3.6) and what follows
    // is the tunnel; a refusal's body is not needed, the connection is dropped.
    beast::flat_buffer buffer;
    beast::http::response_parser<beast::http::empty_body> parser;
    parser.skip(true);
    co_await beast::http::async_read_header(stream, buffer, parser,
                                            asio::redirect_error(use_awaitable, ec));
    if (ec)
        fail(proxyUrl,
             "reading the tunnel's answer to " + QString::fromStdString(authority) + " from", ec);
    const auto& answer = parser.get();
    const int status = int(answer.result_int());
    if (status < 200 || status > 299)
        throw TransportError(
            QStringLiteral("The proxy %1 refused the tunnel to %2: HTTP %3 %4%5")
                .arg(proxyAddress, QString::fromStdString(authority))
                .arg(status)
                .arg(QString::fromStdString(std::string(answer.reason())))
                // 407 is the standard answer; some proxies (tinyproxy's BasicAuth) say 401.
                .arg(status == 407 || status == 401
                         ? QStringLiteral(" (it wants a user name and password, or "
                                          "refused the ones given: check the "
                                          "credential named in serviceconfig.json's "
                                          "proxy.credentialId)")
                         : QString())
                .toStdString());
    if (buffer.size() > 0) // the server speaks only after our TLS hello: nothing may be here
        throw TransportError(QStringLiteral("The proxy %1 sent data after opening the tunnel to "
                                            "%2")
                                 .arg(proxyAddress, QString::fromStdString(authority))
                                 .toStdString());
}

awaitable<HttpReply> HttpsClient::fetch(const HttpCall& request) {
    HttpCall call = request; // below, call.timeout is always set
    if (!call.timeout)
        call.timeout = m_stepTimeout;
    std::unique_ptr<Connection> c = takeIdle(poolKey(call.url));
    const bool reused = c != nullptr;
    if (!c)
        c = co_await connect(call);
    beast::http::response<beast::http::string_body> response;
    bool stale = false;
    try {
        response = co_await c->exchange(call);
    } catch (const TimedOut&) {
        throw; // the server has the request and is silent: not a stale connection
    } catch (const TransportError&) {
        if (!reused)
            throw;
        stale = true; // the server closed the idle connection meanwhile
    }
    if (stale) { // (no co_await inside a catch block)
        c = co_await connect(call);
        response = co_await c->exchange(call);
    }
    // No TLS close_notify when done: the answer is complete (Content-Length or chunked), and
    // waiting for the peer's close would only add a round trip.
    if (response.keep_alive())
        keepIdle(std::move(c));
    co_return toReply(response);
}

} // namespace ck::acme
