#include "gui/ExpiryTimelineModel.h"

#include "gui/CertificateListModel.h"

#include <QLocale>

#include <algorithm>

namespace ck::gui {

namespace {
constexpr int kRows = ExpiryTimelineModel::kDays + 2;
constexpr int kLaterRow = kRows - 1;

QDateTime startOf(const QDate& day) {
    return day.startOfDay().toUTC();
}
} // namespace

ExpiryTimelineModel::ExpiryTimelineModel(CertificateListModel* source, QObject* parent)
    : QAbstractTableModel(parent), m_source(source), m_rows(kRows) {
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(source, signal, this, &ExpiryTimelineModel::recount);
    connect(source, &QAbstractItemModel::modelReset, this, &ExpiryTimelineModel::recount);
    connect(source, &QAbstractItemModel::dataChanged, this, &ExpiryTimelineModel::recount);
    m_today = source->now().toLocalTime().date();
    recount();
}

int ExpiryTimelineModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : kRows;
}

int ExpiryTimelineModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QDateTime ExpiryTimelineModel::from(int row) const {
    if (row <= 0)
        return {};
    return startOf(m_today.addDays(row - 1));
}

QDateTime ExpiryTimelineModel::to(int row) const {
    if (row >= kLaterRow)
        return {};
    return startOf(m_today.addDays(row));
}

int ExpiryTimelineModel::rowOf(const QDateTime& when) const {
    const qint64 ms = when.toMSecsSinceEpoch();
    // The first day start after `when` is the end of its row.
    const auto after = std::upper_bound(m_dayStarts.cbegin(), m_dayStarts.cend(), ms);
    return int(after - m_dayStarts.cbegin()); // 0 before today, kLaterRow after the last day
}

QString ExpiryTimelineModel::periodText(int row) const {
    if (row == 0)
        return tr("Expired or overdue");
    if (row == kLaterRow)
        return tr("After %1")
            .arg(QLocale().toString(m_today.addDays(kDays - 1), QLocale::ShortFormat));
    return QLocale().toString(m_today.addDays(row - 1), QLocale::ShortFormat);
}

int ExpiryTimelineModel::maxCount() const {
    int most = 0;
    for (const auto& bucket : m_rows)
        most = std::max({most, bucket.expiring, bucket.renewing});
    return most;
}

QVariant ExpiryTimelineModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row();
    const Bucket& bucket = m_rows.at(row);
    switch (role) {
    case Qt::DisplayRole:
        switch (Column(index.column())) {
        case PeriodColumn:
            return periodText(row);
        case ExpiringColumn:
            return bucket.expiring;
        case RenewingColumn:
            return bucket.renewing;
        case ColumnCount:
            break;
        }
        return {};
    case FromRole:
        return from(row);
    case ToRole:
        return to(row);
    case KindRole:
        return int(row == 0 ? Kind::Overdue : row == kLaterRow ? Kind::Later : Kind::Day);
    case ExpiringByHealthRole: {
        QVariantList counts;
        for (const int count : bucket.byHealth)
            counts.append(count);
        return counts;
    }
    default:
        return {};
    }
}

QVariant ExpiryTimelineModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case PeriodColumn:
        return tr("When");
    case ExpiringColumn:
        return tr("Expiring");
    case RenewingColumn:
        return tr("Renewing");
    case ColumnCount:
        break;
    }
    return {};
}

QString ExpiryTimelineModel::description() const {
    int nextWeekExpiring = 0;
    int nextWeekRenewing = 0;
    for (int row = 1; row <= 7; ++row) {
        nextWeekExpiring += m_rows[row].expiring;
        nextWeekRenewing += m_rows[row].renewing;
    }
    return tr("%1 expired or overdue; in the next 7 days %2 expire and %3 renew; %4 expire "
              "after %5.")
        .arg(m_rows[0].expiring + m_rows[0].renewing)
        .arg(nextWeekExpiring)
        .arg(nextWeekRenewing)
        .arg(m_rows[kLaterRow].expiring)
        .arg(periodText(kLaterRow).section(QLatin1Char(' '), 1));
}

void ExpiryTimelineModel::recount() {
    const QDate today = m_source->now().toLocalTime().date();
    const bool newDay = today != m_today || m_dayStarts.isEmpty();
    if (newDay) {
        m_today = today;
        m_dayStarts.clear();
        for (int day = 0; day <= kDays; ++day)
            m_dayStarts.append(startOf(today.addDays(day)).toMSecsSinceEpoch());
    }
    QList<Bucket> rows(kRows);
    const int count = m_source->rowCount();
    for (int row = 0; row < count; ++row) {
        const ManagedCertificate& item = m_source->item(row);
        if (item.dateExpiry.isValid()) {
            Bucket& bucket = rows[rowOf(item.dateExpiry)];
            ++bucket.expiring;
            ++bucket.byHealth[int(m_source->health(row))];
        }
        if (const QDateTime renewal = CertificateListModel::nextRenewal(item); renewal.isValid())
            ++rows[rowOf(renewal)].renewing;
    }
    if (newDay) {
        m_rows = rows;
        Q_EMIT dataChanged(index(0, 0), index(kRows - 1, ColumnCount - 1));
        return;
    }
    for (int row = 0; row < kRows; ++row) {
        if (rows[row] == m_rows[row])
            continue;
        m_rows[row] = rows[row];
        Q_EMIT dataChanged(index(row, ExpiringColumn), index(row, RenewingColumn));
    }
}

} // namespace ck::gui
