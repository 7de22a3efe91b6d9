#include "items/ItemCreation.h"

namespace ck::items {

BatchCreation createWithinAllowance(store::ItemStore& itemStore,
                                    const QList<ManagedCertificate>& newItems,
                                    const licensing::ItemAllowance& allowance, const QDateTime& now,
                                    bool dryRun) {
    const licensing::AllowanceFit fit = allowance.fit(itemStore.count(), int(newItems.size()));
    BatchCreation out;
    out.accepted = newItems.mid(0, fit.fitting);
    if (fit.refused)
        out.overLimit = fit.reason;
    if (!dryRun)
        out.accepted = itemStore.createMany(out.accepted, now);
    return out;
}

// The work sent to the store is a named lambda, never a temporary inside the co_await
// expression (see StoreWorker::run on GCC 12).

awaitable<ManagedCertificate> ItemCreation::create(ManagedCertificate item) {
    auto work = [item = std::move(item), now = m_clock.now(),
                 allowance = m_license.allowance()](store::ItemStore& s) {
        allowance.require(s.count(), 1);
        return s.create(item, now);
    };
    co_return co_await m_store.run(std::move(work));
}

awaitable<BatchCreation> ItemCreation::createBatch(QList<ManagedCertificate> items, bool dryRun) {
    auto work = [items = std::move(items), dryRun, now = m_clock.now(),
                 allowance = m_license.allowance()](store::ItemStore& s) {
        return createWithinAllowance(s, items, allowance, now, dryRun);
    };
    co_return co_await m_store.run(std::move(work));
}

} // namespace ck::items
