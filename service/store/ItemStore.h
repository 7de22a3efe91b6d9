#pragma once
// The store's interface: what the service keeps about its managed certificates, whatever holds
// them. SqliteItemStore (manageditems.db, the default) and PostgresItemStore (a database shared by
// several services) implement it. Synchronous, and used from one thread only (see StoreWorker).
// Every answered write is durable before the call returns.

#include "DomainError.h"
#include "model/ItemList.h"
#include "model/ManagedCertificate.h"
#include "model/ServiceDiagnostics.h"

#include <QDateTime>
#include <QString>

#include <functional>
#include <memory>

namespace ck::store {

// What start-up found wrong with the database and what it did about it, and the last backup:
// the store reports them in the words diagnostics serve, so the app shows what may be missing.
using RecoveryEvent = ServiceDiagnostics::Recovery;
using BackupResult = ServiceDiagnostics::Backup;

// A page of the list as the items' stored JSON texts, to answer GET /api/managedcertificates
// without decoding and encoding every item (the service wrote each text from a validated item).
struct RawItemPage {
    QList<QByteArray> items; // compact JSON objects, in list order
    int total = 0;           // matching items in all pages
    int offset = 0;
    int limit = 0;
    // The same document as ItemPage::toJson: {"items": [...], "total", "offset", "limit"}.
    QByteArray toJsonBytes() const;
};

class ItemStore {
public:
    virtual ~ItemStore() = default;

    virtual ItemPage list(const ListQuery& query) const = 0;
    // The same page as list(), undecoded. Throws InternalError naming an item whose stored
    // text is not JSON.
    virtual RawItemPage listRaw(const ListQuery& query) const = 0;
    virtual ItemSummary summary() const = 0;
    // Names the stored state the list reads: equal tags mean list() and listRaw() answer the
    // same for the same query. It moves with every committed write, whoever made it, and
    // differs between two openings of the store. Reads no item, so a conditional list request
    // that finds nothing changed costs almost nothing.
    virtual QByteArray stateTag() const = 0;
    // Throws NotFoundError for an unknown id.
    virtual ManagedCertificate get(const QString& id) const = 0;
    // Assigns a new id (UUID without braces), version 1 and dateCreated; the item must already
    // be validated. Returns the stored item.
    virtual ManagedCertificate create(ManagedCertificate item, const QDateTime& now) = 0;
    // Replaces the item if its stored version equals `item.version`; the stored copy gets
    // version + 1. Throws NotFoundError or ConflictError (naming both versions).
    virtual ManagedCertificate update(ManagedCertificate item) = 0;
    // Updates several items as update() does, in one transaction (one disk sync for all rather
    // than one each: the scheduler stores thousands of plans in one pass). An item changed
    // meanwhile (another version) or gone is left out. Returns the stored items.
    virtual QList<ManagedCertificate> updateMany(QList<ManagedCertificate> items) = 0;
    // Throws NotFoundError.
    virtual void remove(const QString& id) = 0;
    virtual bool contains(const QString& id) const = 0;
    // Creates every item (new ids, as create does) in one transaction: all or, on an error,
    // none. The items must already be validated.
    virtual QList<ManagedCertificate> createMany(QList<ManagedCertificate> items,
                                                 const QDateTime& now) = 0;
    // Writes items with their own ids (a restored backup) in one transaction: an id not stored
    // yet is inserted; a stored one is replaced (its version goes on counting) when
    // `replaceExisting`, else left as it is. Returns the ids written.
    virtual QStringList restore(const QList<ManagedCertificate>& items, bool replaceExisting,
                                const QDateTime& now) = 0;
    virtual int count() const = 0;
    // Every readable item, in no particular order (for scans such as "which items use this
    // credential"); damaged rows are skipped here and reported by get().
    virtual QList<ManagedCertificate> all() const = 0;
    // Recomputes the `status` (health) column for items whose health changed with time.
    virtual int refreshHealth(const QDateTime& now) = 0;

    // Told about every committed change, on the store's thread: the saved item, or (with a null
    // item) the id of a removed one. For live events; set once before the store is shared.
    using ChangeObserver = std::function<void(const ManagedCertificate* saved, const QString& id)>;
    virtual void setChangeObserver(ChangeObserver observer) = 0;

    // A verified copy of everything, beside the store, that start-up can recover from.
    virtual BackupResult backup(const QDateTime& now) = 0;
    // False when the database is its administrator's to back up (a shared PostgreSQL): the
    // service then schedules no backup() of its own.
    virtual bool makesOwnBackups() const { return true; }
    virtual QString integrityCheck() const = 0; // "ok", or what is damaged
    virtual QString location() const = 0;       // where the items are kept, for diagnostics
};

// Opens a store; run on the store's own thread (StoreWorker::open).
using ItemStoreOpener = std::function<std::unique_ptr<ItemStore>()>;

} // namespace ck::store
