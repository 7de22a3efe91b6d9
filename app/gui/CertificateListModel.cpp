#include "CertificateListModel.h"

#include <QBrush>
#include <QColor>
#include <QLocale>

namespace ck::gui {

CertificateListModel::CertificateListModel(QObject* parent) : QAbstractTableModel(parent) {}

int CertificateListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_items.size());
}

int CertificateListModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QString CertificateListModel::healthText(Health health) {
    switch (health) {
    case Health::Ok:
        return tr("OK");
    case Health::Warning:
        return tr("Warning");
    case Health::Error:
        return tr("Error");
    case Health::AwaitingUser:
        return tr("Awaiting user");
    case Health::NotYetIssued:
        return tr("Not yet issued");
    }
    return {};
}

QString CertificateListModel::domainsText(const ManagedCertificate& item) {
    const QStringList names = item.domains();
    if (names.isEmpty())
        return {};
    if (names.size() == 1)
        return names.first();
    return tr("%1 +%n more", nullptr, int(names.size() - 1)).arg(names.first());
}

QString CertificateListModel::expiryText(const ManagedCertificate& item) {
    if (!item.dateExpiry.isValid())
        return tr("not issued");
    return item.dateExpiry.toLocalTime().date().toString(Qt::ISODate);
}

QVariant CertificateListModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ManagedCertificate& item = m_items.at(index.row());
    if (role == IdRole)
        return item.id;
    const auto column = Column(index.column());
    if (role == Qt::DisplayRole || role == Qt::AccessibleTextRole) {
        switch (column) {
        case NameColumn:
            return item.name;
        case DomainsColumn:
            return domainsText(item);
        case StatusColumn:
            return healthText(item.health(now()));
        case ExpiryColumn:
            return expiryText(item);
        case ColumnCount:
            break;
        }
    } else if (role == SortRole) {
        switch (column) {
        case NameColumn:
            return item.name.toCaseFolded();
        case DomainsColumn:
            return item.requestConfig.primaryDomain;
        case StatusColumn:
            return int(item.health(now()));
        case ExpiryColumn:
            // Not issued sorts last when ascending: those are the least urgent to renew.
            return item.dateExpiry.isValid() ? item.dateExpiry : QDateTime(QDate(9999, 12, 31), {});
        case ColumnCount:
            break;
        }
    } else if (role == Qt::ToolTipRole) {
        if (column == DomainsColumn)
            return item.domains().join(QLatin1Char('\n'));
        if (column == StatusColumn && !item.renewalFailureMessage.isEmpty())
            return item.renewalFailureMessage;
        if (column == ExpiryColumn && item.dateExpiry.isValid())
            return QLocale().toString(item.dateExpiry.toLocalTime(), QLocale::LongFormat);
    } else if (role == Qt::ForegroundRole && column == StatusColumn) {
        const Health health = item.health(now());
        if (health == Health::Error)
            return QBrush(QColor(0xb0, 0x00, 0x20));
        if (health == Health::Warning)
            return QBrush(QColor(0x9a, 0x60, 0x00));
    }
    return {};
}

QVariant CertificateListModel::headerData(int section, Qt::Orientation orientation,
                                          int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case NameColumn:
        return tr("Name");
    case DomainsColumn:
        return tr("Domains");
    case StatusColumn:
        return tr("Status");
    case ExpiryColumn:
        return tr("Expiry");
    case ColumnCount:
        break;
    }
    return {};
}

void CertificateListModel::upsert(const QList<ManagedCertificate>& items) {
    QList<ManagedCertificate> added;
    QHash<QString, qsizetype> addedAt; // a page may repeat an id while items move: keep the last
    for (const auto& item : items) {
        if (const int row = m_rowById.value(item.id, -1); row >= 0) {
            if (!(m_items[row] == item)) {
                m_items[row] = item;
                Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
            }
        } else if (const auto at = addedAt.constFind(item.id); at != addedAt.cend()) {
            added[*at] = item;
        } else {
            addedAt.insert(item.id, added.size());
            added.append(item);
        }
    }
    if (added.isEmpty())
        return;
    const int first = int(m_items.size());
    beginInsertRows({}, first, first + int(added.size()) - 1);
    for (const auto& item : added) {
        m_rowById.insert(item.id, int(m_items.size()));
        m_items.append(item);
    }
    endInsertRows();
}

void CertificateListModel::removeAllExcept(const QSet<QString>& keep) {
    // From the end, in runs, so that each removal is one signal and rows above do not shift.
    int row = int(m_items.size()) - 1;
    while (row >= 0) {
        if (keep.contains(m_items[row].id)) {
            --row;
            continue;
        }
        int first = row;
        while (first > 0 && !keep.contains(m_items[first - 1].id))
            --first;
        beginRemoveRows({}, first, row);
        m_items.remove(first, row - first + 1);
        endRemoveRows();
        row = first - 1;
    }
    rebuildIndex();
}

void CertificateListModel::removeId(const QString& id) {
    const int row = rowOfId(id);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_items.removeAt(row);
    endRemoveRows();
    rebuildIndex();
}

void CertificateListModel::clear() {
    if (m_items.isEmpty())
        return;
    beginResetModel();
    m_items.clear();
    m_rowById.clear();
    endResetModel();
}

void CertificateListModel::setNow(const QDateTime& now) {
    m_fixedNow = now;
    if (!m_items.isEmpty())
        Q_EMIT dataChanged(index(0, StatusColumn), index(rowCount() - 1, StatusColumn));
}

QDateTime CertificateListModel::now() const {
    return m_fixedNow.isValid() ? m_fixedNow : QDateTime::currentDateTimeUtc();
}

void CertificateListModel::rebuildIndex() {
    m_rowById.clear();
    for (int row = 0; row < m_items.size(); ++row)
        m_rowById.insert(m_items[row].id, row);
}

} // namespace ck::gui
