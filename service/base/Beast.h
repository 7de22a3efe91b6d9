#pragma once
// Boost.Beast for the modules that speak HTTP: the API server here, the CA client's HTTPS
// transport, the http-01 listener and the probes. Everything else uses base/Async.h alone.

#include "base/Async.h"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace ck {
// Beast's HTTP names are written beast::http::...: ck::http is the service's own HTTP module.
namespace beast = boost::beast;

using HttpRequest = beast::http::request<beast::http::string_body>;
using HttpResponse = beast::http::response<beast::http::string_body>;
} // namespace ck
