#pragma once
// Creating managed items within the edition's allowance (licensing::ItemAllowance). Items are
// counted and created together on the store thread, so concurrent creates cannot pass the limit
// together; a batch creates what fits, in order, and reports why the rest were refused.

#include "base/Async.h"
#include "base/Clock.h"
#include "licensing/LicenseManager.h"
#include "model/ManagedCertificate.h"
#include "store/ItemStore.h"
#include "store/StoreWorker.h"

#include <QDateTime>
#include <QList>
#include <QString>

namespace ck::items {

// What a batch create did.
struct BatchCreation {
    // The first of the items asked for, in order, as many as fit: created, with their ids (in a
    // dry run: the ones that would be, not stored).
    QList<ManagedCertificate> accepted;
    QString overLimit; // why the others were refused; empty when none were
};

// On the store thread: creates the first of `newItems` (validated) that fit `allowance` next to
// the items stored, in one transaction, and says why the others were refused. `dryRun`: creates
// nothing and answers what would be created.
BatchCreation createWithinAllowance(store::ItemStore& itemStore,
                                    const QList<ManagedCertificate>& newItems,
                                    const licensing::ItemAllowance& allowance, const QDateTime& now,
                                    bool dryRun);

class ItemCreation {
public:
    ItemCreation(store::StoreWorker& store, const licensing::LicenseManager& license,
                 const Clock& clock = Clock::system())
        : m_store(store), m_license(license), m_clock(clock) {}

    // A new item (validated), stored. Throws LimitReachedError when the edition allows no more.
    // The parameters are by value: a coroutine keeps its own copies.
    awaitable<ManagedCertificate> create(ManagedCertificate item);
    // New items (validated) as far as the edition allows (createWithinAllowance).
    awaitable<BatchCreation> createBatch(QList<ManagedCertificate> items, bool dryRun);

private:
    store::StoreWorker& m_store;
    const licensing::LicenseManager& m_license;
    const Clock& m_clock;
};

} // namespace ck::items
