#include "store/StoreWorker.h"

#include <future>

namespace ck::store {

StoreWorker::StoreWorker()
    : m_work(asio::make_work_guard(m_ioc)), m_thread([this] { m_ioc.run(); }) {}

StoreWorker::~StoreWorker() {
    close();
    m_work.reset();
    m_thread.join();
}

void StoreWorker::runBlocking(std::function<void()> work) {
    std::promise<void> done;
    asio::post(m_ioc, [&] {
        try {
            work();
            done.set_value();
        } catch (...) {
            done.set_exception(std::current_exception());
        }
    });
    done.get_future().get();
}

void StoreWorker::open(store::ItemStoreOpener opener) {
    runBlocking([&] { m_store = opener(); });
}

store::ItemStore& StoreWorker::opened() {
    if (!m_store)
        throw UnavailableError(QStringLiteral("The database is closed"));
    return *m_store;
}

void StoreWorker::close() {
    runBlocking([&] { m_store.reset(); });
}

} // namespace ck::store
