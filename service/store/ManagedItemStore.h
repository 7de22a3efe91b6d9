#pragma once
// The managed-item store: one SQLite database (manageditems.db) through Qt SQL. Synchronous, and
// used only from the thread that opened it (see StoreWorker); every answered write is durable
// (WAL, synchronous=FULL) before the call returns.
//
// Table: manageditem(id TEXT PRIMARY KEY, json TEXT NOT NULL, version INTEGER, name,
// primary_domain, date_expiry, next_renewal_due, status, name_key) - the JSON is the item; the
// other columns are indexes for search, paging and the due-scan (name_key is the case-folded name,
// so search ignores case beyond ASCII). A second table, manageditem_domain (item_id, domain,
// case-folded), makes search by any domain an indexed lookup.

#include "DomainError.h"
#include "ItemList.h"
#include "ManagedCertificate.h"

#include <QDateTime>
#include <QString>

#include <functional>
#include <memory>

namespace ck::store {

// What start-up found wrong with the database and what it did about it. Shown in diagnostics
// and the app, so a user knows what may be missing.
struct RecoveryEvent {
    QDateTime time;
    QString summary;         // one sentence: what happened and what was done
    QString quarantinedFile; // where the damaged file was moved, if it was
    QString backupUsed;      // the backup restored from, if one was
    int rowsRecovered = 0;   // rows read back from the damaged file
    int rowsFromBackup = 0;  // rows taken from the backup (not recovered from the damaged file)
    QString possiblyMissing; // what may be lost, in words ("changes after 2026-11-20 10:00 UTC")
    QJsonObject toJson() const;
};

struct BackupResult {
    bool ok = false;
    QString path;  // manageditems.db.bak
    QString error; // why it failed; the previous backup is then untouched
    QDateTime time;
    int rows = 0;
};

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

class ManagedItemStore {
public:
    // Opens dataDir/manageditems.db, creating it if absent. A database that fails
    // PRAGMA integrity_check (or cannot be opened at all) is quarantined, its readable rows are
    // recovered, the newest good backup (.bak, then .bak.old) fills in the rest, and what was
    // done is appended to `events`. Throws InternalError only when no usable database can
    // be made at all.
    static std::unique_ptr<ManagedItemStore> open(const QString& dataDir,
                                                  QList<RecoveryEvent>* events);
    ~ManagedItemStore();

    ItemPage list(const ListQuery& query) const;
    // The same page as list(), undecoded. Throws InternalError naming an item whose stored
    // text is not JSON.
    RawItemPage listRaw(const ListQuery& query) const;
    ItemSummary summary() const;
    // Throws NotFoundError for an unknown id.
    ManagedCertificate get(const QString& id) const;
    // Assigns a new id (UUID without braces), version 1 and dateCreated; the item must already
    // be validated. Returns the stored item.
    ManagedCertificate create(ManagedCertificate item, const QDateTime& now);
    // Replaces the item if its stored version equals `item.version`; the stored copy gets
    // version + 1. Throws NotFoundError or ConflictError(naming both versions).
    ManagedCertificate update(ManagedCertificate item);
    // Updates several items as update() does, in one transaction (one disk sync for all rather
    // than one each: the scheduler stores thousands of plans in one pass). An item changed
    // meanwhile (another version) or gone is left out. Returns the stored items.
    QList<ManagedCertificate> updateMany(QList<ManagedCertificate> items);
    // Throws NotFoundError.
    void remove(const QString& id);
    bool contains(const QString& id) const;
    // Creates every item (new ids, as create does) in one transaction: all or, on an error,
    // none. The items must already be validated.
    QList<ManagedCertificate> createMany(QList<ManagedCertificate> items, const QDateTime& now);
    // Writes items with their own ids (a restored backup) in one transaction: an id not stored
    // yet is inserted; a stored one is replaced (its version goes on counting) when
    // `replaceExisting`, else left as it is. Returns the ids written.
    QStringList restore(const QList<ManagedCertificate>& items, bool replaceExisting,
                        const QDateTime& now);
    int count() const;
    // Every readable item, in no particular order (for scans such as "which items use this
    // credential"); damaged rows are skipped here and reported by get().
    QList<ManagedCertificate> all() const;
    // Recomputes the `status` (health) column for items whose health changed with time.
    int refreshHealth(const QDateTime& now);

    // Told about every committed change, on the store's thread: the saved item, or (with a null
    // item) the id of a removed one. For live events; set once before the store is shared.
    using ChangeObserver = std::function<void(const ManagedCertificate* saved, const QString& id)>;
    void setChangeObserver(ChangeObserver observer);

    // Online backup to manageditems.db.bak: written to a temp file (VACUUM INTO), verified with
    // PRAGMA integrity_check, then the old .bak becomes .bak.old and the new one takes its place.
    BackupResult backup(const QDateTime& now);
    QString integrityCheck() const; // "ok" or SQLite's report
    QString path() const;

private:
    struct Impl;
    explicit ManagedItemStore(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> d;
};

} // namespace ck::store
