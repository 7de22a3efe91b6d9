#include "preview/ChallengeProbe.h"

#include "base/Beast.h"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/beast/ssl.hpp>

#include <openssl/ssl.h>

namespace ck::preview {

namespace {
constexpr std::uint64_t kBodyLimit = 64 * 1024;

QString describe(const ErrorCode& ec, std::chrono::milliseconds timeout) {
    if (ec == beast::error::timeout)
        return QStringLiteral("no answer within %1 s")
            .arg(std::chrono::duration<double>(timeout).count());
    if (ec == asio::error::connection_refused)
        return QStringLiteral("connection refused (nothing listens there)");
    return QString::fromStdString(ec.message());
}

// The endpoint for an address in text; false with `result.error` set when it is not one.
bool endpointFor(const QString& address, int port, tcp::endpoint& ep, ProbeResult& result) {
    ErrorCode ec;
    const auto ip = asio::ip::make_address(address.toStdString(), ec);
    if (ec) {
        result.error = QStringLiteral("'%1' is not an IP address").arg(address);
        return false;
    }
    ep = tcp::endpoint(ip, static_cast<unsigned short>(port));
    return true;
}
} // namespace

QString endpointText(const QString& address, int port) {
    return address.contains(u':') ? QStringLiteral("[%1]:%2").arg(address).arg(port)
                                  : QStringLiteral("%1:%2").arg(address).arg(port);
}

awaitable<ProbeResult> fetchHttp(QString address, int port, QString hostName, QString path,
                                 std::chrono::milliseconds timeout) {
    ProbeResult result;
    tcp::endpoint ep;
    if (!endpointFor(address, port, ep, result))
        co_return result;
    auto executor = co_await asio::this_coro::executor;
    beast::tcp_stream stream(executor);
    stream.expires_after(timeout); // one deadline for the whole exchange
    ErrorCode ec;
    co_await stream.async_connect(ep, asio::redirect_error(use_awaitable, ec));
    if (ec) {
        result.error = describe(ec, timeout);
        co_return result;
    }
    result.connected = true;
    HttpRequest req{beast::http::verb::get, path.toStdString(), 11};
    // The port is left out of Host for 80, as a CA sends it.
    req.set(beast::http::field::host,
            port == 80 ? hostName.toStdString()
                       : QStringLiteral("%1:%2").arg(hostName).arg(port).toStdString());
    req.set(beast::http::field::user_agent, "certkeeper-self-check");
    req.set(beast::http::field::accept, "*/*");
    req.set(beast::http::field::connection, "close");
    co_await beast::http::async_write(stream, req, asio::redirect_error(use_awaitable, ec));
    beast::flat_buffer buffer;
    beast::http::response_parser<beast::http::string_body> parser;
    parser.body_limit(kBodyLimit);
    if (!ec)
        co_await beast::http::async_read(stream, buffer, parser,
                                         asio::redirect_error(use_awaitable, ec));
    if (ec) {
        result.error = ec == beast::http::error::body_limit
                           ? QStringLiteral("the answer is larger than 64 KiB")
                           : QStringLiteral("no HTTP answer (%1)").arg(describe(ec, timeout));
        co_return result;
    }
    const auto& res = parser.get();
    result.status = res.result_int();
    result.body = QByteArray::fromStdString(res.body());
    result.location = QString::fromStdString(std::string(res[beast::http::field::location]));
    ErrorCode ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    co_return result;
}

awaitable<ProbeResult> handshakeTlsAlpn(QString address, int port, QString hostName,
                                        std::chrono::milliseconds timeout) {
    ProbeResult result;
    tcp::endpoint ep;
    if (!endpointFor(address, port, ep, result))
        co_return result;
    // No chain verification: the CA checks the acmeIdentifier of a self-signed certificate.
    asio::ssl::context tls(asio::ssl::context::tls_client);
    tls.set_verify_mode(asio::ssl::verify_none);
    auto executor = co_await asio::this_coro::executor;
    beast::ssl_stream<beast::tcp_stream> stream(executor, tls);
    beast::get_lowest_layer(stream).expires_after(timeout);
    ErrorCode ec;
    co_await beast::get_lowest_layer(stream).async_connect(ep,
                                                           asio::redirect_error(use_awaitable, ec));
    if (ec) {
        result.error = describe(ec, timeout);
        co_return result;
    }
    result.connected = true;
    static const unsigned char kAcmeTls1[] = "\x0a"
                                             "acme-tls/1";
    const QByteArray sni = hostName.toUtf8();
    // SSL_set_tlsext_host_name is a macro with a C cast; this is what it expands to.
    SSL_ctrl(stream.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
             const_cast<char*>(sni.constData()));
    SSL_set_alpn_protos(stream.native_handle(), kAcmeTls1, sizeof kAcmeTls1 - 1);
    co_await stream.async_handshake(asio::ssl::stream_base::client,
                                    asio::redirect_error(use_awaitable, ec));
    if (ec) {
        result.error = QStringLiteral("the TLS handshake failed (%1)").arg(describe(ec, timeout));
        co_return result;
    }
    const unsigned char* selected = nullptr;
    unsigned int length = 0;
    SSL_get0_alpn_selected(stream.native_handle(), &selected, &length);
    result.alpn = QString::fromLatin1(reinterpret_cast<const char*>(selected), int(length));
    ErrorCode ignored;
    beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_both, ignored);
    co_return result;
}

} // namespace ck::preview
