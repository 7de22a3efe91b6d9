#pragma once
// The managed-item store in one SQLite database (manageditems.db) through Qt SQL; every write
// is durable (WAL, synchronous=FULL) before the call returns.
//
// Table: manageditem(id TEXT PRIMARY KEY, json TEXT NOT NULL, version INTEGER, name,
// primary_domain, date_expiry, next_renewal_due, status, name_key) - the JSON is the item; the
// other columns are indexes for search, paging and the due-scan (name_key is the case-folded name,
// so search ignores case beyond ASCII). A second table, manageditem_domain (item_id, domain,
// case-folded), makes search by any domain an indexed lookup.

#include "base/Clock.h"
#include "store/ItemStore.h"

namespace ck::store {

class SqliteItemStore final : public ItemStore {
public:
    // Opens dataDir/manageditems.db, creating it if absent. A database that fails
    // PRAGMA integrity_check (or cannot be opened at all) is quarantined, its readable rows are
    // recovered, the newest good backup (.bak, then .bak.old) fills in the rest, and what was
    // done is appended to `events`. Throws InternalError only when no usable database can
    // be made at all.
    // `clock` stamps the rows and the recovery report.
    static std::unique_ptr<SqliteItemStore> open(const QString& dataDir,
                                                 QList<RecoveryEvent>* events,
                                                 const Clock& clock = Clock::system());
    ~SqliteItemStore() override;

    ItemPage list(const ListQuery& query) const override;
    RawItemPage listRaw(const ListQuery& query) const override;
    ItemSummary summary() const override;
    QByteArray stateTag() const override;
    ManagedCertificate get(const QString& id) const override;
    ManagedCertificate create(ManagedCertificate item, const QDateTime& now) override;
    ManagedCertificate update(ManagedCertificate item) override;
    QList<ManagedCertificate> updateMany(QList<ManagedCertificate> items) override;
    void remove(const QString& id) override;
    bool contains(const QString& id) const override;
    QList<ManagedCertificate> createMany(QList<ManagedCertificate> items,
                                         const QDateTime& now) override;
    QStringList restore(const QList<ManagedCertificate>& items, bool replaceExisting,
                        const QDateTime& now) override;
    int count() const override;
    QList<ManagedCertificate> all() const override;
    int refreshHealth(const QDateTime& now) override;
    void setChangeObserver(ChangeObserver observer) override;

    // Online backup to manageditems.db.bak: written to a temp file (VACUUM INTO), verified with
    // PRAGMA integrity_check, then the old .bak becomes .bak.old and the new one takes its place.
    BackupResult backup(const QDateTime& now) override;
    QString integrityCheck() const override; // "ok" or SQLite's report
    QString location() const override;       // the database file

private:
    struct Impl;
    explicit SqliteItemStore(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> d;
};

} // namespace ck::store
