#include "gui/FleetTrayIcon.h"

#include "gui/FormSupport.h"
#include "gui/HealthStyle.h"
#include "gui/HealthSummaryModel.h"

#include <QAction>
#include <QApplication>
#include <QLocale>
#include <QMenu>
#include <QPainter>

namespace ck::gui {

namespace {
// What each health is called in the tray's sentence, "2 in error, 3 with warnings".
QString countPhrase(Health health, int count) {
    const QString n = QLocale().toString(count);
    switch (health) {
    case Health::Error:
        return FleetTrayIcon::tr("%1 in error").arg(n);
    case Health::Warning:
        return (count == 1 ? FleetTrayIcon::tr("%1 with a warning")
                           : FleetTrayIcon::tr("%1 with warnings"))
            .arg(n);
    case Health::AwaitingUser:
        return FleetTrayIcon::tr("%1 awaiting you").arg(n);
    case Health::NotYetIssued:
        return FleetTrayIcon::tr("%1 not yet issued").arg(n);
    case Health::Ok:
        break;
    }
    return {};
}

Health badgeHealth(FleetHealth::State state) {
    switch (state) {
    case FleetHealth::State::Failing:
        return Health::Error;
    case FleetHealth::State::Attention:
        return Health::Warning;
    case FleetHealth::State::AllOk:
        break;
    }
    return Health::Ok;
}

// The app's icon with the state's health badge in a corner; the badge alone when the app has no
// icon (tests, a build without resources). All OK shows the plain app icon: nothing to see.
QIcon stateIcon(FleetHealth::State state) {
    const QIcon app = QApplication::windowIcon();
    const QIcon badge = healthIcon(badgeHealth(state));
    if (app.isNull())
        return badge;
    if (state == FleetHealth::State::AllOk)
        return app;
    QIcon icon;
    for (const int side : {16, 22, 24, 32, 48, 64}) {
        QPixmap pixmap(side, side);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        app.paint(&painter, pixmap.rect());
        const int badgeSide = side * 3 / 5;
        badge.paint(&painter, QRect(side - badgeSide, side - badgeSide, badgeSide, badgeSide));
        painter.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}
} // namespace

FleetHealth fleetHealth(const HealthSummaryModel& summary) {
    FleetHealth health;
    if (summary.count(Health::Error) > 0)
        health.state = FleetHealth::State::Failing;
    else if (summary.count(Health::Warning) > 0 || summary.count(Health::AwaitingUser) > 0)
        health.state = FleetHealth::State::Attention;
    const int total = summary.total();
    if (total == 0) {
        health.text = FleetTrayIcon::tr("Certkeeper — no certificates yet");
        return health;
    }
    QStringList parts;
    for (const Health h : healthsByUrgency())
        if (h != Health::Ok && summary.count(h) > 0)
            parts << countPhrase(h, summary.count(h));
    const QString certificates =
        countOf(total, FleetTrayIcon::tr("certificate"), FleetTrayIcon::tr("certificates"));
    health.text = parts.isEmpty() ? FleetTrayIcon::tr("Certkeeper — %1, all OK").arg(certificates)
                                  : FleetTrayIcon::tr("Certkeeper — %1: %2")
                                        .arg(certificates, parts.join(QStringLiteral(", ")));
    return health;
}

FleetTrayIcon::FleetTrayIcon(HealthSummaryModel* summary, const QList<QAction*>& extraActions,
                             QObject* parent)
    : QSystemTrayIcon(parent), m_summary(summary), m_menu(std::make_unique<QMenu>()) {
    setObjectName(QStringLiteral("fleetTrayIcon"));
    QMenu* menu = m_menu.get();
    QAction* show = menu->addAction(tr("Show Certkeeper"), this, &FleetTrayIcon::showRequested);
    show->setObjectName(QStringLiteral("trayShow"));
    menu->addSeparator();
    menu->addActions(extraActions);
    menu->addSeparator();
    QAction* quit = menu->addAction(tr("Quit"), this, &FleetTrayIcon::quitRequested);
    quit->setObjectName(QStringLiteral("trayQuit"));
    quit->setStatusTip(tr("Close Certkeeper; the service goes on renewing"));
    setContextMenu(menu);

    connect(this, &QSystemTrayIcon::activated, this, [this](ActivationReason reason) {
        if (reason == Trigger || reason == DoubleClick)
            Q_EMIT showRequested();
    });
    connect(summary, &QAbstractItemModel::dataChanged, this, &FleetTrayIcon::updateHealth);
    connect(summary, &QAbstractItemModel::modelReset, this, &FleetTrayIcon::updateHealth);
    updateHealth();
}

FleetTrayIcon::~FleetTrayIcon() = default;

void FleetTrayIcon::updateHealth() {
    const FleetHealth health = fleetHealth(*m_summary);
    setToolTip(health.text);
    if (!m_haveIcon || health.state != m_state) {
        m_state = health.state;
        m_haveIcon = true;
        setIcon(stateIcon(m_state));
    }
}

} // namespace ck::gui
