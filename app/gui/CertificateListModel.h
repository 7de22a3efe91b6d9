#pragma once
// The managed certificates as the list shows them: one row per item, columns Name, Domains,
// Status and Expiry. Rows are keyed by id, so a refresh updates rows in place (selection and
// scroll position survive the 10 s polling) instead of resetting the whole table.

#include "ManagedCertificate.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QSet>

namespace ck::gui {

class CertificateListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { NameColumn, DomainsColumn, StatusColumn, ExpiryColumn, ColumnCount };
    // Raw values to sort by (names case-folded, dates as dates), for QSortFilterProxyModel.
    static constexpr int SortRole = Qt::UserRole;
    static constexpr int IdRole = Qt::UserRole + 1;

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

    const ManagedCertificate& item(int row) const { return m_items.at(row); }
    int rowOfId(const QString& id) const { return m_rowById.value(id, -1); }
    // The clock the Status column uses; tests fix it.
    void setNow(const QDateTime& now);

    static QString healthText(Health health);
    static QString domainsText(const ManagedCertificate& item);
    static QString expiryText(const ManagedCertificate& item);

private:
    QDateTime now() const;
    void rebuildIndex();

    QList<ManagedCertificate> m_items;
    QHash<QString, int> m_rowById;
    QDateTime m_fixedNow;
};

} // namespace ck::gui
