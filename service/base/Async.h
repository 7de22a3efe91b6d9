#pragma once
// The service's async runtime: Boost.Asio with C++20 coroutines, and nothing of HTTP. Modules
// that speak HTTP add http/Beast.h. <utility> comes before <boost/asio/awaitable.hpp> as Boost
// 1.74 needs, and use_awaitable is passed explicitly everywhere.

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
#include <boost/system/error_code.hpp>

namespace ck {
namespace asio = boost::asio;
using tcp = boost::asio::ip::tcp;
using asio::awaitable;
using asio::use_awaitable;
using ErrorCode = boost::system::error_code;
} // namespace ck
