#pragma once
// The checks every request passes before a handler runs (DESIGN.md "Security of the local API"):
// a Host naming this service on loopback (against DNS rebinding), no Origin header (browsers
// never get in), the bearer token compared in constant time, and JSON for state changes.

#include "ApiError.h"
#include "base/Beast.h"

#include <optional>
#include <string>

namespace ck::http {

class RequestGuard {
public:
    RequestGuard(std::string token, std::string boundHost, unsigned short boundPort);

    std::optional<ApiError> checkHostAndOrigin(const HttpRequest& req) const;
    std::optional<ApiError> checkToken(const HttpRequest& req) const;
    std::optional<ApiError> checkContentType(const HttpRequest& req) const;

private:
    bool hostAllowed(std::string_view host) const;

    std::string m_token;
    std::string m_boundHost;
    unsigned short m_boundPort;
};

} // namespace ck::http
