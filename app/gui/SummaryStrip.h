#pragma once
// The strip above the list: a button per health with its count (checking buttons shows only
// those healths; several may be checked) and the expiry timeline (a day or a range of days shows
// only the certificates that expire or renew then).

#include "model/ManagedCertificate.h"

#include <QDateTime>
#include <QFrame>
#include <QList>
#include <QSet>

class QToolButton;

namespace ck::gui {

class ExpiryTimelineModel;
class ExpiryTimelineView;
class HealthSummaryModel;

class SummaryStrip : public QFrame {
    Q_OBJECT
public:
    SummaryStrip(HealthSummaryModel* health, ExpiryTimelineModel* timeline,
                 QWidget* parent = nullptr);

    QSet<Health> checkedHealths() const;
    void setCheckedHealths(const QSet<Health>& healths); // emits nothing
    QToolButton* healthButton(Health health) const;
    ExpiryTimelineView* timeline() const { return m_timeline; }
    // Its controls in the keyboard's order (the health buttons, then the timeline), for the
    // window's tab order.
    QList<QWidget*> focusOrder() const;

Q_SIGNALS:
    void healthsChosen(const QSet<ck::Health>& healths);

private:
    void updateButton(int row);

    HealthSummaryModel* m_health;
    QList<QToolButton*> m_buttons; // by row of the summary model
    ExpiryTimelineView* m_timeline;
};

} // namespace ck::gui
