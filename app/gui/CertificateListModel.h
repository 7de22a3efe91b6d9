#pragma once
// The managed certificates as the list shows them: one row per item, columns Name, Domains
// (primary and how many more), Health (icon and text, or the step of a running request), Expiry
// and Next renewal. Rows are keyed by id, so a refresh or a live update changes rows in place
// (selection and scroll position survive) instead of resetting the table; the keys that sorting
// and searching need are worked out once per change, not on every comparison, so that 10,000
// rows sort and filter without a pause.

#include "client/EventStream.h"
#include "model/ManagedCertificate.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QSet>

namespace ck::gui {

class CertificateListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        NameColumn,
        DomainsColumn,
        HealthColumn,
        ExpiryColumn,
        NextRenewalColumn,
        ColumnCount
    };
    enum Role {
        SortRole = Qt::UserRole, // raw values to sort by (names case-folded, dates as dates)
        IdRole,
        HealthRole,      // int(Health), any column
        SearchTextRole,  // case-folded name and every domain, any column
        ExpiryRole,      // QDateTime (UTC), invalid when not issued
        NextRenewalRole, // QDateTime (UTC), invalid when none is scheduled
        ActiveRole,      // bool: a request is queued or running
    };

    explicit CertificateListModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // Updates rows with a known id, appends the others.
    void upsert(const QList<ManagedCertificate>& items);
    // Removes every row whose id is not in `keep` (the end of a full refresh).
    void removeAllExcept(const QSet<QString>& keep);
    void removeId(const QString& id);
    void clear();
    // Shows a running request's step in the Health column until it is no longer active (an
    // explicit finished state, or the item itself no longer queued or running). A step without a
    // state counts only while the item is queued or running.
    void setProgress(const RequestProgress& progress);

    const ManagedCertificate& item(int row) const { return m_rows.at(row).item; }
    int rowOfId(const QString& id) const { return m_rowById.value(id, -1); }
    Health health(int row) const { return m_rows.at(row).health; }
    // The clock the Health column uses; tests fix it. Without a fixed time, refreshClock() moves
    // it on (the window calls it every minute) so that health follows the time of day.
    void setNow(const QDateTime& now);
    void refreshClock();
    QDateTime now() const { return m_now; }

    // When the service will next renew the item by itself; invalid when it will not.
    static QDateTime nextRenewal(const ManagedCertificate& item);
    static QString domainsText(const ManagedCertificate& item);
    static QString expiryText(const ManagedCertificate& item);
    static QString nextRenewalText(const ManagedCertificate& item, const QDateTime& now);

private:
    struct Row {
        ManagedCertificate item;
        Health health = Health::NotYetIssued;
        QString nameKey;    // case-folded name
        QString searchText; // case-folded name and domains, one per line
    };
    Row makeRow(const ManagedCertificate& item) const;
    QVariant display(const Row& row, Column column) const;
    QVariant sortKey(const Row& row, Column column) const;
    QVariant toolTip(const Row& row, Column column) const;
    bool isActive(const Row& row) const; // a request is queued or running
    void rebuildIndex();
    void recomputeHealth();

    QList<Row> m_rows;
    QHash<QString, int> m_rowById;
    QHash<QString, RequestProgress> m_progress; // active requests by item id
    QDateTime m_now;
    bool m_nowFixed = false;
};

} // namespace ck::gui
