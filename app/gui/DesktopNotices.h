#pragma once
// What the app tells the desktop while it runs, with nothing to configure: a desktop
// notification when a renewal fails (RenewalFailureWatch finds it in the window's list, whether a
// live event or a reload brought it; FailureNoticeGrouping groups a burst; DesktopNotifier sends
// it), and a tray icon with the fleet's health (FleetTrayIcon) where the desktop has a tray.
// Clicking a notification brings the window up with the item selected.
//
// The user turns notifications off with a checkable action (the window puts it in its View menu,
// the tray in its menu); the choice is kept in the settings, and is on until turned off.

#include <QObject>

class QAction;

namespace ck::gui {

class CertificateListModel;
class DesktopNotifier;
class FailureNoticeGrouping;
class FleetTrayIcon;
class HealthSummaryModel;
class ListFreshness;
class MainWindow;
class RenewalFailureWatch;

class DesktopNotices : public QObject {
    Q_OBJECT
public:
    DesktopNotices(MainWindow* window, CertificateListModel* model, ListFreshness* freshness,
                   HealthSummaryModel* health);

    // "Desktop notifications", checkable; its state is the saved preference.
    QAction* toggleAction() const { return m_toggle; }
    bool isEnabled() const;

    RenewalFailureWatch* watch() const { return m_watch; }
    FailureNoticeGrouping* grouping() const { return m_grouping; }
    DesktopNotifier* notifier() const { return m_notifier; }
    FleetTrayIcon* trayIcon() const { return m_tray; } // null where the desktop has no tray

    // Brings the window up with the item selected (showing the whole list if a filter hid it).
    void showItem(const QString& id);

private:
    void raiseWindow();
    void createTrayIcon(HealthSummaryModel* health);

    MainWindow* m_window;
    CertificateListModel* m_model;
    QAction* m_toggle;
    RenewalFailureWatch* m_watch;
    FailureNoticeGrouping* m_grouping;
    DesktopNotifier* m_notifier;
    FleetTrayIcon* m_tray = nullptr;
    QString m_trayMessageItem; // what the tray's last balloon is about
};

} // namespace ck::gui
