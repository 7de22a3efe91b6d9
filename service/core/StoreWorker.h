#pragma once
// The store's own thread. A Qt SQL connection belongs to the thread that opened it, and SQLite
// writes with synchronous=FULL wait for the disk, so the store lives on a dedicated thread and
// the network thread co_awaits its results without blocking other connections.

#include "http/Asio.h"
#include "store/ManagedItemStore.h"

#include <boost/asio/async_result.hpp>
#include <boost/asio/executor_work_guard.hpp>

#include <exception>
#include <functional>
#include <memory>
#include <thread>
#include <type_traits>

namespace ck {

class StoreWorker {
public:
    StoreWorker();
    ~StoreWorker(); // closes the store on its own thread, then joins

    // Opens the store on the worker thread (blocking the caller); rethrows what open throws.
    void open(const QString& dataDir, QList<store::RecoveryEvent>* events);
    // Closes the store on the worker thread (blocking the caller).
    void close();

    // Runs `f(store)` on the store thread and resumes the caller on its own executor with the
    // result, or with the exception `f` threw (a DomainError passes through unchanged).
    //
    // Not a coroutine itself, and `work` is taken by reference: GCC 12 can destroy a temporary
    // twice when it lives across a co_await (GCC PR 100611), so callers pass a named lambda
    // (`co_await store.run(std::move(work))`) and no temporary spans the suspension.
    template <typename F> auto run(F&& work) {
        using Fn = std::decay_t<F>;
        using R = std::invoke_result_t<Fn&, store::ManagedItemStore&>;
        static_assert(!std::is_void_v<R>, "return a value from store work");
        return asio::async_initiate<decltype(use_awaitable), void(std::exception_ptr, R)>(
            [this](auto handler, Fn f) {
                auto resumeOn = asio::get_associated_executor(handler);
                asio::post(m_ioc, [this, f = std::move(f), handler = std::move(handler),
                                   resumeOn]() mutable {
                    std::exception_ptr error;
                    R result{};
                    try {
                        if (!m_store)
                            throw UnavailableError(QStringLiteral("The database is closed"));
                        result = f(*m_store);
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

    // Runs `f(store)` on the store thread and waits for it: for start-up, before the network
    // loop runs.
    template <typename F> auto call(F f) -> std::invoke_result_t<F, store::ManagedItemStore&> {
        std::invoke_result_t<F, store::ManagedItemStore&> result{};
        runBlocking([&] { result = f(*m_store); });
        return result;
    }

private:
    void runBlocking(std::function<void()> work);

    asio::io_context m_ioc;
    asio::executor_work_guard<asio::io_context::executor_type> m_work;
    std::unique_ptr<store::ManagedItemStore> m_store;
    std::thread m_thread;
};

} // namespace ck
