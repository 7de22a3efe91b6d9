#pragma once
// Boost.Asio / Beast includes in the order Boost 1.74 needs for C++20 coroutines: <utility>
// before <boost/asio/awaitable.hpp>, and use_awaitable passed explicitly everywhere.

#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace ck {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;
using asio::awaitable;
using asio::use_awaitable;

using HttpRequest = http::request<http::string_body>;
using HttpResponse = http::response<http::string_body>;
} // namespace ck
