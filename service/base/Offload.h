#pragma once
// Running blocking work elsewhere (the store's thread, the process pool) and resuming the
// awaiting coroutine on its own executor with the result, or with the exception the work threw.

#include "base/Async.h"

#include <boost/asio/async_result.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/prefer.hpp>

#include <exception>
#include <type_traits>

namespace ck {

// `co_await offloadTo(context, std::move(work))`: runs `work()` on `context` (an io_context or a
// thread pool). Not a coroutine itself, and `work` must be a named callable the caller moves in:
// GCC 12 can destroy a temporary twice when it lives across a co_await (GCC PR 100611). `work`
// must return a value.
template <typename Context, typename F> auto offloadTo(Context& context, F&& work) {
    using Fn = std::decay_t<F>;
    using R = std::invoke_result_t<Fn&>;
    static_assert(!std::is_void_v<R>, "return a value from offloaded work");
    return asio::async_initiate<decltype(use_awaitable), void(std::exception_ptr, R)>(
        [&context](auto handler, Fn f) {
            // Tracked: the caller's io_context counts the job as work, so its run() does not
            // return while the job is away.
            auto resumeOn = asio::prefer(asio::get_associated_executor(handler),
                                         asio::execution::outstanding_work.tracked);
            asio::post(context,
                       [f = std::move(f), handler = std::move(handler), resumeOn]() mutable {
                           std::exception_ptr error;
                           R result{};
                           try {
                               result = f();
                           } catch (...) {
                               error = std::current_exception();
                           }
                           asio::post(resumeOn, [handler = std::move(handler), error,
                                                 result = std::move(result)]() mutable {
                               handler(error, std::move(result));
                           });
                       });
        },
        use_awaitable, Fn(std::forward<F>(work)));
}

} // namespace ck
