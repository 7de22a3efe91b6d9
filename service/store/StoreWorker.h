#pragma once
// The store's own thread. A Qt SQL connection belongs to the thread that opened it, and SQLite
// writes with synchronous=FULL wait for the disk, so the store lives on a dedicated thread and
// the network thread co_awaits its results without blocking other connections.

#include "base/Offload.h"
#include "store/ItemStore.h"

#include <boost/asio/executor_work_guard.hpp>

#include <functional>
#include <memory>
#include <thread>
#include <type_traits>

namespace ck::store {

class StoreWorker {
public:
    StoreWorker();
    ~StoreWorker(); // closes the store on its own thread, then joins

    // Opens the store on the worker thread (blocking the caller); rethrows what `opener` throws.
    void open(store::ItemStoreOpener opener);
    // Closes the store on the worker thread (blocking the caller).
    void close();

    // Runs `f(store)` on the store thread and resumes the caller on its own executor with the
    // result, or with the exception `f` threw. Not a coroutine: callers pass a named lambda
    // (`co_await store.run(std::move(work))`), see offloadTo.
    template <typename F> auto run(F&& work) {
        using Fn = std::decay_t<F>;
        static_assert(!std::is_void_v<std::invoke_result_t<Fn&, store::ItemStore&>>,
                      "return a value from store work");
        auto onStore = [this, f = Fn(std::forward<F>(work))]() mutable { return f(opened()); };
        return offloadTo(m_ioc, std::move(onStore));
    }

    // Runs `f(store)` on the store thread and waits for it: for start-up, before the network
    // loop runs.
    template <typename F> auto call(F f) -> std::invoke_result_t<F, store::ItemStore&> {
        std::invoke_result_t<F, store::ItemStore&> result{};
        runBlocking([&] { result = f(opened()); });
        return result;
    }

private:
    void runBlocking(std::function<void()> work);
    // The open store; throws UnavailableError once it is closed.
    store::ItemStore& opened();

    asio::io_context m_ioc;
    asio::executor_work_guard<asio::io_context::executor_type> m_work;
    std::unique_ptr<store::ItemStore> m_store;
    std::thread m_thread;
};

} // namespace ck::store
