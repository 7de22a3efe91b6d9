#pragma once
// The managed-item store over SQL, the same for both engines: the items as rows of JSON with
// columns beside them for search, paging and the due-scan, and their names in a table of their
// own. SqliteItemStore (one machine) and PostgresItemStore (several services sharing one
// database) open it and add what only their engine does: the change tag, backups, checks.
//
// Tables: manageditem(id PRIMARY KEY, json, version, name, primary_domain, date_expiry,
// next_renewal_due, status, name_key) - the JSON is the item; name_key is the case-folded name,
// so search ignores case beyond ASCII and the list is ordered by it - and manageditem_domain
// (item_id, case-folded domain), which makes search by any domain an indexed lookup. The SQL
// that differs between the engines is in StoreDialect.

#include "store/ItemStore.h"

namespace ck::store {

class SqlItemStore : public ItemStore {
public:
    ~SqlItemStore() override;

    ItemPage list(const ListQuery& query) const final;
    RawItemPage listRaw(const ListQuery& query) const final;
    ItemSummary summary() const final;
    ManagedCertificate get(const QString& id) const final;
    ManagedCertificate create(ManagedCertificate item, const QDateTime& now) final;
    ManagedCertificate update(ManagedCertificate item) final;
    QList<ManagedCertificate> updateMany(QList<ManagedCertificate> items) final;
    void remove(const QString& id) final;
    bool contains(const QString& id) const final;
    QList<ManagedCertificate> createMany(QList<ManagedCertificate> items,
                                         const QDateTime& now) final;
    QStringList restore(const QList<ManagedCertificate>& items, bool replaceExisting,
                        const QDateTime& now) final;
    int count() const final;
    QList<ManagedCertificate> all() const final;
    int refreshHealth(const QDateTime& now) final;
    void setChangeObserver(ChangeObserver observer) final;

    struct Impl;

protected:
    explicit SqlItemStore(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> d;
};

} // namespace ck::store
