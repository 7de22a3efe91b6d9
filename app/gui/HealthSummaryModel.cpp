#include "gui/HealthSummaryModel.h"

#include "gui/CertificateListModel.h"
#include "gui/HealthStyle.h"

#include <QLocale>

namespace ck::gui {

HealthSummaryModel::HealthSummaryModel(CertificateListModel* source, QObject* parent)
    : QAbstractListModel(parent), m_source(source),
      m_counts(qsizetype(healthsByUrgency().size()), 0) {
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(source, signal, this, &HealthSummaryModel::recount);
    connect(source, &QAbstractItemModel::modelReset, this, &HealthSummaryModel::recount);
    connect(source, &QAbstractItemModel::dataChanged, this, &HealthSummaryModel::recount);
    recount();
}

int HealthSummaryModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_counts.size());
}

QVariant HealthSummaryModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Health health = healthsByUrgency().at(index.row());
    const int count = m_counts.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return QStringLiteral("%1 %2").arg(QLocale().toString(count), healthText(health));
    case Qt::DecorationRole:
        return healthIcon(health);
    case HealthRole:
        return int(health);
    case CountRole:
        return count;
    default:
        return {};
    }
}

int HealthSummaryModel::count(Health health) const {
    return m_counts.at(healthsByUrgency().indexOf(health));
}

void HealthSummaryModel::recount() {
    QList<int> counts(m_counts.size(), 0);
    const int rows = m_source->rowCount();
    for (int row = 0; row < rows; ++row)
        ++counts[healthsByUrgency().indexOf(m_source->health(row))];
    m_total = rows;
    for (int row = 0; row < counts.size(); ++row) {
        if (counts[row] == m_counts[row])
            continue;
        m_counts[row] = counts[row];
        Q_EMIT dataChanged(index(row), index(row));
    }
}

} // namespace ck::gui
