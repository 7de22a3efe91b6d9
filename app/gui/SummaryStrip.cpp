#include "gui/SummaryStrip.h"

#include "gui/ExpiryTimelineView.h"
#include "gui/HealthStyle.h"
#include "gui/HealthSummaryModel.h"

#include <QHBoxLayout>
#include <QToolButton>
#include <QVBoxLayout>

namespace ck::gui {

SummaryStrip::SummaryStrip(HealthSummaryModel* health, ExpiryTimelineModel* timeline,
                           QWidget* parent)
    : QFrame(parent), m_health(health), m_timeline(new ExpiryTimelineView(timeline, this)) {
    setObjectName(QStringLiteral("summaryStrip"));
    setAccessibleName(tr("Summary"));
    auto* buttons = new QVBoxLayout;
    buttons->setSpacing(2);
    for (int row = 0; row < health->rowCount(); ++row) {
        auto* button = new QToolButton(this);
        const auto value = Health(health->index(row).data(HealthSummaryModel::HealthRole).toInt());
        button->setObjectName(QStringLiteral("healthButton%1").arg(toString(value)));
        button->setCheckable(true);
        button->setAutoRaise(true);
        button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        button->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
        button->setFocusPolicy(Qt::StrongFocus);
        connect(button, &QToolButton::toggled, this,
                [this] { Q_EMIT healthsChosen(checkedHealths()); });
        m_buttons.append(button);
        buttons->addWidget(button);
        updateButton(row);
    }
    buttons->addStretch();
    connect(health, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex& topLeft, const QModelIndex& bottomRight) {
                for (int row = topLeft.row(); row <= bottomRight.row(); ++row)
                    updateButton(row);
            });

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(buttons);
    layout->addWidget(m_timeline, 1);
}

void SummaryStrip::updateButton(int row) {
    QToolButton* button = m_buttons.at(row);
    const QModelIndex index = m_health->index(row);
    button->setText(index.data().toString());
    button->setIcon(index.data(Qt::DecorationRole).value<QIcon>());
    const int count = index.data(HealthSummaryModel::CountRole).toInt();
    const auto health = Health(index.data(HealthSummaryModel::HealthRole).toInt());
    button->setToolTip(tr("Show only the certificates whose health is “%1” (%2); check several "
                          "to see them together")
                           .arg(healthText(health))
                           .arg(count));
    button->setAccessibleName(tr("%1: show only these").arg(index.data().toString()));
}

QSet<Health> SummaryStrip::checkedHealths() const {
    QSet<Health> healths;
    for (int row = 0; row < m_buttons.size(); ++row)
        if (m_buttons[row]->isChecked())
            healths.insert(
                Health(m_health->index(row).data(HealthSummaryModel::HealthRole).toInt()));
    return healths;
}

void SummaryStrip::setCheckedHealths(const QSet<Health>& healths) {
    for (int row = 0; row < m_buttons.size(); ++row) {
        const QSignalBlocker blocker(m_buttons[row]);
        m_buttons[row]->setChecked(healths.contains(
            Health(m_health->index(row).data(HealthSummaryModel::HealthRole).toInt())));
    }
}

QToolButton* SummaryStrip::healthButton(Health health) const {
    for (int row = 0; row < m_buttons.size(); ++row)
        if (Health(m_health->index(row).data(HealthSummaryModel::HealthRole).toInt()) == health)
            return m_buttons[row];
    return nullptr;
}

QList<QWidget*> SummaryStrip::focusOrder() const {
    QList<QWidget*> order(m_buttons.cbegin(), m_buttons.cend());
    order.append(m_timeline);
    return order;
}

} // namespace ck::gui
