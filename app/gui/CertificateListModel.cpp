#include "gui/CertificateListModel.h"

#include "gui/FormSupport.h"

#include "gui/HealthStyle.h"

#include <QApplication>
#include <QBrush>
#include <QLocale>

namespace ck::gui {

namespace {
// Sorts after every real date when ascending: "not issued" is the least urgent to renew.
const QDateTime kNever(QDate(9999, 12, 31), QTime(0, 0), Qt::UTC);

QString relativeDays(const QDateTime& when, const QDateTime& now) {
    const qint64 days = now.toLocalTime().date().daysTo(when.toLocalTime().date());
    if (days == 0)
        return CertificateListModel::tr("today");
    const QString amount = countOf(int(days > 0 ? days : -days), CertificateListModel::tr("day"),
                                   CertificateListModel::tr("days"));
    return days > 0 ? CertificateListModel::tr("in %1").arg(amount)
                    : CertificateListModel::tr("%1 ago").arg(amount);
}

QString longDate(const QDateTime& when, const QDateTime& now) {
    return QStringLiteral("%1 (%2)").arg(
        QLocale().toString(when.toLocalTime(), QLocale::LongFormat), relativeDays(when, now));
}

bool isRunningState(RequestState state) {
    return state == RequestState::Queued || state == RequestState::Running;
}

QString progressText(RequestState state, const QString& what) {
    if (state == RequestState::Queued)
        return CertificateListModel::tr("Queued");
    return what.isEmpty() ? CertificateListModel::tr("Requesting…")
                          : CertificateListModel::tr("Requesting: %1").arg(what);
}
} // namespace

CertificateListModel::CertificateListModel(QObject* parent)
    : QAbstractTableModel(parent), m_now(QDateTime::currentDateTimeUtc()) {}

int CertificateListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int CertificateListModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QString CertificateListModel::domainsText(const ManagedCertificate& item) {
    const QStringList names = item.domains();
    if (names.isEmpty())
        return {};
    if (names.size() == 1)
        return names.first();
    // English plurals without a translation catalogue: "+1 more" reads right either way.
    return tr("%1 +%2 more").arg(names.first()).arg(names.size() - 1);
}

QDateTime CertificateListModel::nextRenewal(const ManagedCertificate& item) {
    return item.includeInAutoRenew ? item.dateNextScheduledRenewalAttempt : QDateTime();
}

QString CertificateListModel::expiryText(const ManagedCertificate& item) {
    if (!item.dateExpiry.isValid())
        return tr("not issued");
    return item.dateExpiry.toLocalTime().date().toString(Qt::ISODate);
}

QString CertificateListModel::nextRenewalText(const ManagedCertificate& item,
                                              const QDateTime& now) {
    if (!item.includeInAutoRenew)
        return tr("manual only");
    if (!item.dateNextScheduledRenewalAttempt.isValid())
        return tr("not scheduled");
    if (item.dateNextScheduledRenewalAttempt <= now)
        return tr("due now");
    return item.dateNextScheduledRenewalAttempt.toLocalTime().date().toString(Qt::ISODate);
}

CertificateListModel::Row CertificateListModel::makeRow(const ManagedCertificate& item) const {
    Row row;
    row.item = item;
    row.health = item.health(m_now);
    row.nameKey = item.name.toCaseFolded();
    row.searchText =
        (QStringList{item.name} + item.domains()).join(QLatin1Char('\n')).toCaseFolded();
    return row;
}

QVariant CertificateListModel::display(const Row& row, Column column) const {
    switch (column) {
    case NameColumn:
        return row.item.name;
    case DomainsColumn:
        return domainsText(row.item);
    case HealthColumn:
        // A request under way says so, with its step when the live events tell it.
        if (const auto it = m_progress.constFind(row.item.id); it != m_progress.cend())
            return progressText(requestStateFromString(it->state).value_or(RequestState::Running),
                                it->message.isEmpty() ? it->step : it->message);
        if (isRunningState(row.item.lastRenewalStatus))
            return progressText(row.item.lastRenewalStatus, {});
        return healthText(row.health);
    case ExpiryColumn:
        return expiryText(row.item);
    case NextRenewalColumn:
        return nextRenewalText(row.item, m_now);
    case ColumnCount:
        break;
    }
    return {};
}

QVariant CertificateListModel::sortKey(const Row& row, Column column) const {
    switch (column) {
    case NameColumn:
        return row.nameKey;
    case DomainsColumn:
        return row.item.requestConfig.primaryDomain;
    case HealthColumn:
        // Worst first when ascending.
        return int(healthsByUrgency().indexOf(row.health));
    case ExpiryColumn:
        return row.item.dateExpiry.isValid() ? row.item.dateExpiry : kNever;
    case NextRenewalColumn:
        return nextRenewal(row.item).isValid() ? nextRenewal(row.item) : kNever;
    case ColumnCount:
        break;
    }
    return {};
}

QVariant CertificateListModel::toolTip(const Row& row, Column column) const {
    const ManagedCertificate& item = row.item;
    switch (column) {
    case DomainsColumn:
        return item.domains().join(QLatin1Char('\n'));
    case HealthColumn:
        if (const auto it = m_progress.constFind(item.id); it != m_progress.cend())
            return it->message;
        return item.renewalFailureMessage.isEmpty() ? QVariant() : item.renewalFailureMessage;
    case ExpiryColumn:
        return item.dateExpiry.isValid() ? longDate(item.dateExpiry, m_now) : QVariant();
    case NextRenewalColumn:
        return item.dateNextScheduledRenewalAttempt.isValid()
                   ? longDate(item.dateNextScheduledRenewalAttempt, m_now)
                   : QVariant();
    case NameColumn:
    case ColumnCount:
        break;
    }
    return {};
}

bool CertificateListModel::isActive(const Row& row) const {
    return m_progress.contains(row.item.id) || isRunningState(row.item.lastRenewalStatus);
}

QVariant CertificateListModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& row = m_rows.at(index.row());
    const auto column = Column(index.column());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
        return display(row, column);
    case SortRole:
        return sortKey(row, column);
    case Qt::ToolTipRole:
        return toolTip(row, column);
    case Qt::DecorationRole:
        if (column != HealthColumn)
            return {};
        return isActive(row) ? busyIcon() : healthIcon(row.health);
    case Qt::ForegroundRole:
        if (column == HealthColumn &&
            (row.health == Health::Error || row.health == Health::Warning))
            return QBrush(healthColor(row.health, QApplication::palette()));
        return {};
    case IdRole:
        return row.item.id;
    case HealthRole:
        return int(row.health);
    case SearchTextRole:
        return row.searchText;
    case ExpiryRole:
        return row.item.dateExpiry;
    case NextRenewalRole:
        return nextRenewal(row.item);
    case ActiveRole:
        return isActive(row);
    default:
        return {};
    }
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
    case HealthColumn:
        return tr("Health");
    case ExpiryColumn:
        return tr("Expiry");
    case NextRenewalColumn:
        return tr("Next renewal");
    case ColumnCount:
        break;
    }
    return {};
}

void CertificateListModel::upsert(const QList<ManagedCertificate>& items) {
    QList<Row> added;
    QHash<QString, qsizetype> addedAt; // a page may repeat an id while items move: keep the last
    for (const auto& item : items) {
        if (const int row = m_rowById.value(item.id, -1); row >= 0) {
            // An item that is no longer queued or running ends the progress shown for it.
            const bool progressOver =
                !isRunningState(item.lastRenewalStatus) && m_progress.remove(item.id) > 0;
            if (!(m_rows[row].item == item)) {
                m_rows[row] = makeRow(item);
                Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
            } else if (progressOver) {
                Q_EMIT dataChanged(index(row, HealthColumn), index(row, HealthColumn));
            }
        } else if (const auto at = addedAt.constFind(item.id); at != addedAt.cend()) {
            added[*at] = makeRow(item);
        } else {
            addedAt.insert(item.id, added.size());
            added.append(makeRow(item));
        }
    }
    if (!added.isEmpty()) {
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(added.size()) - 1);
        for (auto& row : added) {
            m_rowById.insert(row.item.id, int(m_rows.size()));
            m_rows.append(std::move(row));
        }
        endInsertRows();
    }
}

void CertificateListModel::removeAllExcept(const QSet<QString>& keep) {
    // From the end, in runs, so that each removal is one signal and rows above do not shift.
    bool removed = false;
    int row = int(m_rows.size()) - 1;
    while (row >= 0) {
        if (keep.contains(m_rows[row].item.id)) {
            --row;
            continue;
        }
        int first = row;
        while (first > 0 && !keep.contains(m_rows[first - 1].item.id))
            --first;
        beginRemoveRows({}, first, row);
        for (int r = first; r <= row; ++r)
            m_progress.remove(m_rows[r].item.id);
        m_rows.remove(first, row - first + 1);
        endRemoveRows();
        removed = true;
        row = first - 1;
    }
    if (removed)
        rebuildIndex();
}

void CertificateListModel::removeId(const QString& id) {
    const int row = rowOfId(id);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    m_progress.remove(id);
    endRemoveRows();
    rebuildIndex();
}

void CertificateListModel::clear() {
    if (m_rows.isEmpty())
        return;
    beginResetModel();
    m_rows.clear();
    m_rowById.clear();
    m_progress.clear();
    endResetModel();
}

void CertificateListModel::setProgress(const RequestProgress& progress) {
    const int row = rowOfId(progress.itemId);
    if (row < 0)
        return;
    // A step without a state belongs to a request the item says is running: a late log line of
    // a request that has already ended must not bring its progress back.
    if (progress.state.isEmpty() && !isRunningState(m_rows[row].item.lastRenewalStatus))
        return;
    if (progress.isActive())
        m_progress.insert(progress.itemId, progress);
    else if (!m_progress.remove(progress.itemId))
        return;
    Q_EMIT dataChanged(index(row, HealthColumn), index(row, HealthColumn));
}

void CertificateListModel::setNow(const QDateTime& now) {
    m_nowFixed = now.isValid();
    m_now = m_nowFixed ? now : QDateTime::currentDateTimeUtc();
    recomputeHealth();
}

void CertificateListModel::refreshClock() {
    if (m_nowFixed)
        return;
    m_now = QDateTime::currentDateTimeUtc();
    recomputeHealth();
}

void CertificateListModel::recomputeHealth() {
    if (m_rows.isEmpty())
        return;
    for (auto& row : m_rows)
        row.health = row.item.health(m_now);
    // "due now" and the relative dates move with the clock too: every row may have changed.
    Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

void CertificateListModel::rebuildIndex() {
    m_rowById.clear();
    for (int row = 0; row < m_rows.size(); ++row)
        m_rowById.insert(m_rows[row].item.id, row);
}

} // namespace ck::gui
