#pragma once
// Tells when an item's request or renewal has just failed, from the changes of the window's list
// model, whichever way they came (a live event, a reload, the polling of a requested item): it
// keeps the latest failure it has seen of each item and compares every change with it. A failure
// is known by the attempt that failed (its start time, then the count of failures in a row), not
// by a change of state: the same failure read again by the next reload, or replayed with the
// states before it after the event stream reconnects, is not a new one.
//
// What the list held when it was first loaded whole had failed before the app looked: those
// items are told once, together (alreadyFailing), never one by one. An item that arrives later
// already failed counts as new only when its failed attempt began after that first load (an item
// requested and failed between two reloads), not when it failed long ago (another service's
// items, after a change of service).

#include "model/ManagedCertificate.h"

#include <QDateTime>
#include <QHash>
#include <QObject>

namespace ck::gui {

class CertificateListModel;

class RenewalFailureWatch : public QObject {
    Q_OBJECT
public:
    explicit RenewalFailureWatch(CertificateListModel* model, QObject* parent = nullptr);

    // A load of the whole list finished; the first one sets what "before" is.
    void listLoaded();
    bool hasBaseline() const { return m_baseline.isValid(); }

Q_SIGNALS:
    // The item's request has just failed; renewalFailureMessage says why, in the service's words.
    void failed(const ck::ManagedCertificate& item);
    // Once, at the end of the first load, when some items were failing already.
    void alreadyFailing(const QList<ck::ManagedCertificate>& items);

private:
    // A failed attempt; none when `attempt` is invalid and `failures` 0.
    struct Failure {
        QDateTime attempt; // when the attempt began (the service's clock)
        int failures = 0;  // in a row, with this one
        bool isLaterThan(const Failure& other) const;
    };
    static Failure failureOf(const ManagedCertificate& item) {
        return {item.dateLastRenewalAttempt, item.renewalFailureCount};
    }
    void rowsArrived(int first, int last);
    void rowsChanged(int first, int last);
    void rowsLeaving(int first, int last);
    void forgetAll();

    CertificateListModel* m_model;
    QHash<QString, Failure> m_latest; // the latest failure seen, by item id
    QDateTime m_baseline;             // when the first load finished (UTC); invalid before
};

} // namespace ck::gui
