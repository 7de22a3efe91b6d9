#pragma once
// How many certificates have each health, worst first: one row per health, counted over the whole
// list (not the filtered view), kept current as rows arrive, change or go. The summary strip's
// buttons show these rows.

#include "model/ManagedCertificate.h"

#include <QAbstractListModel>
#include <QList>

namespace ck::gui {

class CertificateListModel;

class HealthSummaryModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role { HealthRole = Qt::UserRole, CountRole };

    explicit HealthSummaryModel(CertificateListModel* source, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

    int count(Health health) const;
    int total() const { return m_total; }

private:
    void recount();

    CertificateListModel* m_source;
    QList<int> m_counts; // by row (healthsByUrgency order)
    int m_total = 0;
};

} // namespace ck::gui
