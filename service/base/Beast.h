#pragma once
// Boost.Beast for the modules that speak HTTP: the API server here, the CA client's HTTPS
// transport, the http-01 listener and the probes. Everything else uses base/Async.h alone.

#include "base/Async.h"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace ck {
namespace beast = boost::beast;
namespace http = boost::beast::http;

using HttpRequest = http::request<http::string_body>;
using HttpResponse = http::response<http::string_body>;
} // namespace ck
