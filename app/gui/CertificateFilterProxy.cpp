#include "gui/CertificateFilterProxy.h"

#include "gui/CertificateListModel.h"

namespace ck::gui {

CertificateFilterProxy::CertificateFilterProxy(QObject* parent) : QSortFilterProxyModel(parent) {
    setSortRole(CertificateListModel::SortRole);
    setDynamicSortFilter(true);
}

void CertificateFilterProxy::setSearchText(const QString& text) {
    const QString folded = text.trimmed().toCaseFolded();
    if (folded == m_search)
        return;
    m_search = folded;
    apply();
}

void CertificateFilterProxy::setHealths(const QSet<Health>& healths) {
    if (healths == m_healths)
        return;
    m_healths = healths;
    apply();
}

void CertificateFilterProxy::setWindow(const QDateTime& from, const QDateTime& to) {
    if (m_hasWindow && from == m_from && to == m_to)
        return;
    m_hasWindow = true;
    m_from = from;
    m_to = to;
    apply();
}

void CertificateFilterProxy::clearWindow() {
    if (!m_hasWindow)
        return;
    m_hasWindow = false;
    m_from = m_to = {};
    apply();
}

bool CertificateFilterProxy::isFiltering() const {
    return !m_search.isEmpty() || !m_healths.isEmpty() || m_hasWindow;
}

void CertificateFilterProxy::clearFilters() {
    if (!isFiltering())
        return;
    m_search.clear();
    m_healths.clear();
    m_hasWindow = false;
    m_from = m_to = {};
    apply();
}

void CertificateFilterProxy::apply() {
    invalidateRowsFilter();
    Q_EMIT filtersChanged();
}

bool CertificateFilterProxy::inWindow(const QDateTime& when) const {
    return when.isValid() && (!m_from.isValid() || when >= m_from) &&
           (!m_to.isValid() || when < m_to);
}

bool CertificateFilterProxy::filterAcceptsRow(int sourceRow,
                                              const QModelIndex& sourceParent) const {
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (!m_healths.isEmpty() &&
        !m_healths.contains(Health(index.data(CertificateListModel::HealthRole).toInt())))
        return false;
    if (m_hasWindow && !inWindow(index.data(CertificateListModel::ExpiryRole).toDateTime()) &&
        !inWindow(index.data(CertificateListModel::NextRenewalRole).toDateTime()))
        return false;
    if (!m_search.isEmpty() &&
        !index.data(CertificateListModel::SearchTextRole).toString().contains(m_search))
        return false;
    return true;
}

} // namespace ck::gui
