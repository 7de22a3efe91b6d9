#include "gui/RenewalFailureWatch.h"

#include "gui/CertificateListModel.h"

namespace ck::gui {

RenewalFailureWatch::RenewalFailureWatch(CertificateListModel* model, QObject* parent)
    : QObject(parent), m_model(model) {
    connect(model, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex&, int first, int last) { rowsArrived(first, last); });
    connect(model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex& topLeft, const QModelIndex& bottomRight) {
                rowsChanged(topLeft.row(), bottomRight.row());
            });
    connect(model, &QAbstractItemModel::rowsAboutToBeRemoved, this,
            [this](const QModelIndex&, int first, int last) { rowsLeaving(first, last); });
    connect(model, &QAbstractItemModel::modelReset, this, &RenewalFailureWatch::forgetAll);
    if (model->rowCount() > 0)
        rowsArrived(0, model->rowCount() - 1);
}

void RenewalFailureWatch::listLoaded() {
    if (hasBaseline())
        return;
    m_baseline = QDateTime::currentDateTimeUtc();
    QList<ManagedCertificate> failing;
    for (int row = 0; row < m_model->rowCount(); ++row)
        if (m_model->item(row).lastRenewalStatus == RequestState::Error)
            failing.append(m_model->item(row));
    if (!failing.isEmpty())
        Q_EMIT alreadyFailing(failing);
}

bool RenewalFailureWatch::Failure::isLaterThan(const Failure& other) const {
    if (attempt.isValid() && other.attempt.isValid() && attempt != other.attempt)
        return attempt > other.attempt;
    if (attempt.isValid() != other.attempt.isValid())
        return attempt.isValid();
    return failures > other.failures; // the same attempt, or no times to tell them apart
}

void RenewalFailureWatch::rowsArrived(int first, int last) {
    for (int row = first; row <= last; ++row) {
        const ManagedCertificate& item = m_model->item(row);
        const bool failing = item.lastRenewalStatus == RequestState::Error;
        m_latest.insert(item.id, failing ? failureOf(item) : Failure{});
        // New to the list but failed since the first load: created and requested between two
        // reloads. An older failure is what the item brought with it, not news.
        if (hasBaseline() && failing && item.dateLastRenewalAttempt.isValid() &&
            item.dateLastRenewalAttempt >= m_baseline)
            Q_EMIT failed(item);
    }
}

void RenewalFailureWatch::rowsChanged(int first, int last) {
    for (int row = first; row <= last; ++row) {
        const ManagedCertificate& item = m_model->item(row);
        if (item.lastRenewalStatus != RequestState::Error)
            continue; // no failure in this state; the latest one stays what it was
        const Failure failure = failureOf(item);
        Failure& latest = m_latest[item.id];
        if (!failure.isLaterThan(latest))
            continue; // told already, or an older state arriving late
        latest = failure;
        if (hasBaseline())
            Q_EMIT failed(item);
    }
}

void RenewalFailureWatch::rowsLeaving(int first, int last) {
    for (int row = first; row <= last; ++row)
        m_latest.remove(m_model->item(row).id);
}

void RenewalFailureWatch::forgetAll() {
    m_latest.clear();
    if (m_model->rowCount() > 0)
        rowsArrived(0, m_model->rowCount() - 1);
}

} // namespace ck::gui
