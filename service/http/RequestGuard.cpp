#include "http/RequestGuard.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <array>

namespace ck::http {

namespace {
std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    return out;
}
} // namespace

RequestGuard::RequestGuard(std::string token, std::string boundHost, unsigned short boundPort)
    : m_token(std::move(token)), m_boundHost(std::move(boundHost)), m_boundPort(boundPort) {}

bool RequestGuard::hostAllowed(std::string_view hostHeader) const {
    // Split "name:port" / "[v6]:port". A missing port means 80 in HTTP.
    std::string_view name = hostHeader;
    std::string_view port;
    if (!name.empty() && name.front() == '[') {
        const auto close = name.find(']');
        if (close == std::string_view::npos)
            return false;
        port = name.substr(close + 1);
        name = name.substr(1, close - 1);
        if (!port.empty() && port.front() != ':')
            return false;
        if (!port.empty())
            port.remove_prefix(1);
    } else if (const auto colon = name.rfind(':'); colon != std::string_view::npos) {
        port = name.substr(colon + 1);
        name = name.substr(0, colon);
    }
    const std::string wantedPort = std::to_string(m_boundPort);
    if (port.empty() ? m_boundPort != 80 : port != wantedPort)
        return false;
    const std::string n = lower(name);
    static const std::array<std::string_view, 3> loopback = {"127.0.0.1", "localhost", "::1"};
    return std::find(loopback.begin(), loopback.end(), n) != loopback.end() || n == m_boundHost;
}

std::optional<ApiError> RequestGuard::checkHostAndOrigin(const HttpRequest& req) const {
    const auto host = req[beast::http::field::host];
    if (!hostAllowed(host))
        return ApiError(ApiError::Kind::Forbidden,
                        QStringLiteral("The Host header '%1' does not name this service; use "
                                       "127.0.0.1:%2 or localhost:%2")
                            .arg(QString::fromUtf8(host.data(), qsizetype(host.size())))
                            .arg(m_boundPort));
    if (req.find(beast::http::field::origin) != req.end())
        return ApiError(ApiError::Kind::Forbidden,
                        QStringLiteral("Requests from web pages (with an Origin header) are not "
                                       "accepted by the Certkeeper service"));
    return std::nullopt;
}

std::optional<ApiError> RequestGuard::checkToken(const HttpRequest& req) const {
    constexpr std::string_view scheme = "Bearer ";
    const auto auth = req[beast::http::field::authorization];
    const bool hasScheme =
        auth.size() > scheme.size() && lower(auth.substr(0, scheme.size())) == lower(scheme);
    const auto presented = hasScheme ? auth.substr(scheme.size()) : std::string_view{};
    // Length is not secret (tokens are fixed-size hex); the bytes are compared in constant time.
    const bool ok = presented.size() == m_token.size() &&
                    CRYPTO_memcmp(presented.data(), m_token.data(), m_token.size()) == 0;
    if (ok)
        return std::nullopt;
    return ApiError(ApiError::Kind::Unauthorized,
                    auth.empty() ? QStringLiteral("This request needs the service's API token "
                                                  "(Authorization: Bearer <contents of api.token>)")
                                 : QStringLiteral("The API token is not valid for this service"));
}

std::optional<ApiError> RequestGuard::checkContentType(const HttpRequest& req) const {
    const auto method = req.method();
    if (method != beast::http::verb::post && method != beast::http::verb::put &&
        method != beast::http::verb::patch)
        return std::nullopt;
    const auto type = lower(req[beast::http::field::content_type]);
    if (type.rfind("application/json", 0) == 0)
        return std::nullopt;
    return ApiError(ApiError::Kind::UnsupportedMediaType,
                    QStringLiteral("Send the request body as JSON with Content-Type: "
                                   "application/json"));
}

} // namespace ck::http
