#include "gui/DesktopNotices.h"

#include "gui/CertificateFilterProxy.h"
#include "gui/CertificateListModel.h"
#include "gui/DesktopNotifier.h"
#include "gui/FailureNoticeGrouping.h"
#include "gui/FleetTrayIcon.h"
#include "gui/ListFreshness.h"
#include "gui/MainWindow.h"
#include "gui/RenewalFailureWatch.h"

#include <QAction>
#include <QSettings>
#include <QTabWidget>
#include <QTableView>

namespace ck::gui {

namespace {
const QString kEnabledKey = QStringLiteral("DesktopNotices/enabled");
} // namespace

DesktopNotices::DesktopNotices(MainWindow* window, CertificateListModel* model,
                               ListFreshness* freshness, HealthSummaryModel* health)
    : QObject(window), m_window(window), m_model(model), m_toggle(new QAction(this)),
      m_watch(new RenewalFailureWatch(model, this)), m_grouping(new FailureNoticeGrouping(this)),
      m_notifier(new DesktopNotifier(this)) {
    setObjectName(QStringLiteral("desktopNotices"));
    m_toggle->setObjectName(QStringLiteral("actionDesktopNotifications"));
    m_toggle->setText(tr("Desktop &Notifications"));
    m_toggle->setStatusTip(tr("Tell of failed renewals in the desktop's notifications while "
                              "Certkeeper runs"));
    m_toggle->setCheckable(true);
    m_toggle->setChecked(QSettings().value(kEnabledKey, true).toBool());
    connect(m_toggle, &QAction::toggled, this, [this](bool on) {
        QSettings().setValue(kEnabledKey, on);
        if (!on)
            m_grouping->discardPending();
    });

    connect(freshness, &ListFreshness::loadFinished, m_watch, &RenewalFailureWatch::listLoaded);
    connect(m_watch, &RenewalFailureWatch::failed, this, [this](const ManagedCertificate& item) {
        if (isEnabled())
            m_grouping->add(item);
    });
    connect(m_watch, &RenewalFailureWatch::alreadyFailing, this,
            [this](const QList<ManagedCertificate>& items) {
                if (isEnabled())
                    m_notifier->show(FailureNoticeGrouping::alreadyFailingNotice(items));
            });
    // Turning notifications off drops what the grouping holds: what it sends is still wanted.
    connect(m_grouping, &FailureNoticeGrouping::noticeReady, m_notifier, &DesktopNotifier::show);
    connect(m_notifier, &DesktopNotifier::activated, this, &DesktopNotices::showItem);

    if (QSystemTrayIcon::isSystemTrayAvailable())
        createTrayIcon(health);
    // Without a notification server the tray's balloon says it; without either, the list does.
    m_notifier->setFallback([this](const DesktopNotice& notice) {
        if (!m_tray || !m_tray->isVisible() || !QSystemTrayIcon::supportsMessages())
            return false;
        m_trayMessageItem = notice.itemId;
        m_tray->showMessage(notice.summary, notice.body,
                            notice.urgency == DesktopNotice::Urgency::Critical
                                ? QSystemTrayIcon::Critical
                                : QSystemTrayIcon::Information);
        return true;
    });
}

bool DesktopNotices::isEnabled() const {
    return m_toggle->isChecked();
}

void DesktopNotices::createTrayIcon(HealthSummaryModel* health) {
    m_tray = new FleetTrayIcon(health, {m_toggle}, this);
    connect(m_tray, &FleetTrayIcon::showRequested, this, &DesktopNotices::raiseWindow);
    // As the window's own Quit: the window closes and, the last one, ends the app.
    connect(m_tray, &FleetTrayIcon::quitRequested, m_window, &QWidget::close);
    connect(m_tray, &QSystemTrayIcon::messageClicked, this,
            [this] { showItem(m_trayMessageItem); });
    m_tray->show();
}

void DesktopNotices::raiseWindow() {
    if (m_window->isMinimized())
        m_window->showNormal();
    else
        m_window->show();
    m_window->raise();
    m_window->activateWindow();
}

void DesktopNotices::showItem(const QString& id) {
    raiseWindow();
    const int row = m_model->rowOfId(id);
    auto* table = m_window->findChild<QTableView*>(QStringLiteral("certificateTable"));
    if (row < 0 || !table)
        return; // gone meanwhile: the window is all there is to show
    CertificateFilterProxy* proxy = m_window->filterProxy();
    QModelIndex index = proxy->mapFromSource(m_model->index(row, 0));
    if (!index.isValid()) { // a search or a filter hides it
        m_window->clearFilters();
        index = proxy->mapFromSource(m_model->index(row, 0));
    }
    // The list may sit in a tab of the window: bring that tab forward.
    for (QWidget* above = table->parentWidget(); above && above != m_window;
         above = above->parentWidget())
        if (auto* tabs = qobject_cast<QTabWidget*>(above))
            for (int tab = 0; tab < tabs->count(); ++tab)
                if (tabs->widget(tab)->isAncestorOf(table))
                    tabs->setCurrentIndex(tab);
    table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                        QItemSelectionModel::Rows);
    table->scrollTo(index);
    table->setFocus(Qt::OtherFocusReason);
}

} // namespace ck::gui
