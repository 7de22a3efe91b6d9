#pragma once
// The app's icon in the desktop's system tray while it runs: its picture and tooltip show the
// health of the whole fleet at a glance (all OK, something needs attention, something is in
// error), with the same counts as the summary strip; clicking it brings the window up, and its
// menu has Show Certkeeper and Quit. The tray is there only while the app runs: closing the
// window still ends the app (the service goes on renewing).

#include <QSystemTrayIcon>

#include <memory>

class QAction;
class QMenu;

namespace ck::gui {

class HealthSummaryModel;

// The fleet's health as the tray shows it.
struct FleetHealth {
    enum class State { AllOk, Attention, Failing };
    State state = State::AllOk;
    // "Certkeeper — 120 certificates: 2 in error, 3 with warnings"
    QString text;
};
FleetHealth fleetHealth(const HealthSummaryModel& summary);

class FleetTrayIcon : public QSystemTrayIcon {
    Q_OBJECT
public:
    // `extraActions` go into the menu between Show and Quit.
    FleetTrayIcon(HealthSummaryModel* summary, const QList<QAction*>& extraActions,
                  QObject* parent = nullptr);
    ~FleetTrayIcon() override;

    FleetHealth::State state() const { return m_state; }

Q_SIGNALS:
    void showRequested();
    void quitRequested();

private:
    void updateHealth();

    HealthSummaryModel* m_summary;
    std::unique_ptr<QMenu> m_menu; // the tray does not own its menu
    FleetHealth::State m_state = FleetHealth::State::AllOk;
    bool m_haveIcon = false;
};

} // namespace ck::gui
