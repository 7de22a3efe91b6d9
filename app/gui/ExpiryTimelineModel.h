#pragma once
// When certificates expire and renew, counted per day for the next 13 weeks: one row per day,
// after a first row for what is already expired or overdue and before a last row for everything
// later. The expiry counts are split by health so the timeline can colour them. Counted over the
// whole list, kept current as rows arrive, change or go, and as the days pass.

#include "model/ManagedCertificate.h"

#include <QAbstractTableModel>
#include <QDate>
#include <QDateTime>
#include <QList>

namespace ck::gui {

class CertificateListModel;

class ExpiryTimelineModel : public QAbstractTableModel {
    Q_OBJECT
public:
    static constexpr int kDays = 91;
    enum Column { PeriodColumn, ExpiringColumn, RenewingColumn, ColumnCount };
    enum class Kind { Overdue, Day, Later };
    enum Role {
        FromRole = Qt::UserRole, // QDateTime: start of the row's period; invalid for Overdue
        ToRole,                  // QDateTime: its end (exclusive); invalid for Later
        KindRole,                // int(Kind)
        ExpiringByHealthRole,    // QVariantList: expiring counts indexed by int(Health)
    };

    explicit ExpiryTimelineModel(CertificateListModel* source, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    QDate firstDay() const { return m_today; }
    int expiring(int row) const { return m_rows.at(row).expiring; }
    int renewing(int row) const { return m_rows.at(row).renewing; }
    int maxCount() const; // the largest expiring or renewing count of one row
    QDateTime from(int row) const;
    QDateTime to(int row) const;
    // One sentence for people who cannot see the drawing (the timeline's accessible description).
    QString description() const;

private:
    struct Bucket {
        int expiring = 0;
        int renewing = 0;
        QList<int> byHealth = QList<int>(5, 0);
        bool operator==(const Bucket&) const = default;
    };
    int rowOf(const QDateTime& when) const;
    QString periodText(int row) const;
    void recount();

    CertificateListModel* m_source;
    QDate m_today; // local
    // The start of each day from today on and the end of the last, in milliseconds since the
    // epoch: a row is found by comparing numbers, without converting every date to local time.
    QList<qint64> m_dayStarts;
    QList<Bucket> m_rows;
};

} // namespace ck::gui
