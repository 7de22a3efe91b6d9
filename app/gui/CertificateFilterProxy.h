#pragma once
// Sorting and filtering of the certificate list, all in the app: the list holds every item, so a
// search or a click on the summary strip answers at once, without asking the service again.
// Filters combine (all must match): a search text (in the name or any domain, ignoring case),
// a set of healths, and a time window (the certificate expires or is due to renew in it).

#include "model/ManagedCertificate.h"

#include <QDateTime>
#include <QSet>
#include <QSortFilterProxyModel>

namespace ck::gui {

class CertificateFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit CertificateFilterProxy(QObject* parent = nullptr);

    void setSearchText(const QString& text);
    QString searchText() const { return m_search; }
    // Empty: every health.
    void setHealths(const QSet<Health>& healths);
    QSet<Health> healths() const { return m_healths; }
    // [from, to); an invalid end is open (from the beginning of time, or forever).
    void setWindow(const QDateTime& from, const QDateTime& to);
    void clearWindow();
    bool hasWindow() const { return m_hasWindow; }
    QDateTime windowFrom() const { return m_from; }
    QDateTime windowTo() const { return m_to; }

    bool isFiltering() const;
    void clearFilters();

Q_SIGNALS:
    void filtersChanged();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    bool inWindow(const QDateTime& when) const;
    void apply();

    QString m_search; // case-folded
    QSet<Health> m_healths;
    bool m_hasWindow = false;
    QDateTime m_from;
    QDateTime m_to;
};

} // namespace ck::gui
