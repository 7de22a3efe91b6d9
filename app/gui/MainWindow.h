#pragma once
// The manager window: a summary strip (counts by health, the expiry timeline), the certificate
// list (sorted and filtered in the app, loaded page by page so 10,000 items never freeze it),
// and a toolbar for New, Edit, Request now, Test, Preview, Revoke, Delete and Refresh. Changes
// arrive live through the service's event stream; without it the list is polled. Long work shows
// in the status bar and never blocks the window. When the service cannot be reached, a page says
// why and what to do. Once per connection it reads the service's diagnostics and says, above the
// list, when the service had to recover a damaged database or is on another port than configured.
// The window is only a view: closing it stops nothing the service does.
//
// What keeps the list fresh (loading, live events, polling, diagnostics) is ListFreshness; the
// window shows what it says. MainWindow.cpp builds the window; MainWindowMenus.cpp its actions,
// menus and toolbar; MainWindowCommands.cpp carries out the commands; MainWindowNotices.cpp
// shows the start-up notices.

#include "ApiError.h"
#include "config/ServersConfig.h"

#include <QMainWindow>
#include <QPointer>
#include <QSet>
#include <QStringList>

#include <chrono>
#include <functional>
#include <optional>

class QAction;
class QDialog;
class QDockWidget;
class QFrame;
class QLabel;
class QLineEdit;
class QMenu;
class QPlainTextEdit;
class QStackedWidget;
class QTabWidget;
class QTableView;
class QTimer;
class QToolButton;

namespace ck {
class ApiClient;
struct LogEntry;
struct ManagedCertificate;
struct ServiceDiagnostics;
} // namespace ck

namespace ck::gui {

class AboutPage;
class CertificateFilterProxy;
class CertificateListModel;
class ConnectionProblemPage;
class EditionReminder;
class ExpiryTimelineModel;
class FirstRunGuide;
class HealthSummaryModel;
class ListFreshness;
class LiveUpdates;
class ServiceCatalog;
class StatusMessage;
class SummaryStrip;
class WorkIndicator;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // Test and Preview ask DNS servers and the CA: they may take this long.
    static constexpr std::chrono::seconds kChecksTimeout{120};

    explicit MainWindow(const QString& dataDir, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Asks the user to confirm a destructive action; replaceable so tests can answer it.
    using Confirmation = std::function<bool(QWidget* parent, const QString& question)>;
    void setConfirmation(Confirmation confirm) { m_confirm = std::move(confirm); }
    // Asks for the RFC 5280 reason of a revocation (nothing: cancelled); replaceable for tests.
    using RevocationReason =
        std::function<std::optional<int>(QWidget* parent, const QList<ManagedCertificate>&)>;
    void setRevocationReason(RevocationReason ask) { m_askReason = std::move(ask); }

    CertificateListModel* listModel() const { return m_model; }
    CertificateFilterProxy* filterProxy() const { return m_proxy; }
    ListFreshness* freshness() const { return m_freshness; }
    LiveUpdates* liveUpdates() const;

public Q_SLOTS:
    void refresh();
    void newCertificate();
    void editSelected();
    void deleteSelected();
    void requestSelected();
    void testSelected();
    void previewSelected();
    void revokeSelected();
    void clearFilters();
    // The About tab (versions, edition, license key, licences).
    void showAbout();
    // The settings (accounts and CAs, credentials, preferences, connections); one at a time,
    // beside the window (not modal): the list stays usable while it is open.
    void showSettings();
    void showAdoption(); // File > Adopt Certificates…

protected:
    void changeEvent(QEvent* event) override;
    void closeEvent(QCloseEvent* event) override;

private:
    // --- MainWindowMenus.cpp ---
    void createActions();

    // --- MainWindow.cpp ---
    void createModels();
    QWidget* createListPage();
    QDockWidget* createActivityDock();
    void connectFreshness();
    void setKeyboardOrder();
    void restoreWindowState();
    void saveWindowState() const;
    // Re-reads servers.json: the service rewrites it when it starts or moves to another port.
    void loadServerEntry();
    // servers.json was edited in the settings: follow the default service if it is another.
    void serversEdited();
    void fetchSummary();
    void fetchVersion();
    void showPolling(); // the status bar's "Live" or "Refreshed every …"
    void updateFilterBar();
    void showListPage();
    // The list, or the first-run guide while the service has no certificate.
    void updateListArea();
    void showConnectionProblem(const QString& explanation);
    void handleFailure(const ApiError& error);
    // A failure of a call beside the list's load, in the status bar: `what` with %1 for why.
    void reportFailure(const QString& what, const ApiError& error);
    void updateActions();
    QList<ManagedCertificate> selectedItems() const;
    void appendActivity(const QString& name, const LogEntry& entry);

    // --- MainWindowCommands.cpp ---
    void openEditor(const ManagedCertificate& item);
    // Runs `call` for each item, one batch in the status bar; failures are listed together
    // at the end, in the service's words.
    using PerItemCall = std::function<void(const ManagedCertificate& item, QObject* context,
                                           std::function<void()> done,
                                           std::function<void(const ApiError&)> failed)>;
    void forEachItem(const QList<ManagedCertificate>& items, const QString& doing,
                     const QString& failureTitle, PerItemCall call);
    void showCheckResults(bool preview);
    static bool askToConfirm(QWidget* parent, const QString& question);
    static std::optional<int> askRevocationReason(QWidget* parent,
                                                  const QList<ManagedCertificate>& items);
    void showError(const QString& title, const QString& text);

    // --- MainWindowNotices.cpp ---
    void createNotices(QWidget* page); // hidden until the diagnostics call for them
    void showStartupNotices(const ServiceDiagnostics& diagnostics);
    void dismissRecoveryBanner();
    void tintNotices();
    // Certificates but no ACME account: nothing can be requested or renewed.
    void showAccountNotice();

    QString m_dataDir;
    ServerEntry m_server;
    QString m_serversProblem; // why servers.json could not be used, if it could not
    ApiClient* m_client = nullptr;
    ListFreshness* m_freshness = nullptr;
    CertificateListModel* m_model = nullptr;
    CertificateFilterProxy* m_proxy = nullptr;
    HealthSummaryModel* m_healthSummary = nullptr;
    ExpiryTimelineModel* m_timelineModel = nullptr;
    QTabWidget* m_tabs = nullptr; // Certificates, About
    QStackedWidget* m_pages = nullptr;
    QWidget* m_listPage = nullptr;
    ConnectionProblemPage* m_problemPage = nullptr;
    SummaryStrip* m_summary = nullptr;
    EditionReminder* m_reminder = nullptr; // Community edition: the limit, and where to lift it
    AboutPage* m_aboutPage = nullptr;
    ServiceCatalog* m_catalog = nullptr; // the accounts, for the guide and the account notice
    FirstRunGuide* m_guide = nullptr;
    QStackedWidget* m_listArea = nullptr; // the table, or the guide
    QWidget* m_searchRow = nullptr;
    bool m_listLoaded = false;    // the list of this connection arrived whole at least once
    QPointer<QDialog> m_settings; // deleted when closed
    QPointer<QDialog> m_adoption; // deleted when closed
    QTableView* m_table = nullptr;
    QLineEdit* m_searchEdit = nullptr;
    QTimer* m_searchDebounce = nullptr;
    QFrame* m_filterBar = nullptr;
    QLabel* m_filterLabel = nullptr;
    QDockWidget* m_activityDock = nullptr;
    QPlainTextEdit* m_activity = nullptr;
    QLabel* m_countsLabel = nullptr; // permanent, like the two below
    QLabel* m_liveLabel = nullptr;
    QLabel* m_serviceLabel = nullptr;
    WorkIndicator* m_work = nullptr;
    StatusMessage* m_statusMessage = nullptr; // left of the permanent widgets, never under them
    QFrame* m_recoveryBanner = nullptr;
    QLabel* m_recoveryText = nullptr;
    QFrame* m_portNotice = nullptr;
    QLabel* m_portNoticeLabel = nullptr;
    QFrame* m_accountNotice = nullptr;
    QLabel* m_accountNoticeLabel = nullptr;
    QAction* m_actionNew = nullptr;
    QAction* m_actionEdit = nullptr;
    QAction* m_actionRequest = nullptr;
    QAction* m_actionTest = nullptr;
    QAction* m_actionPreview = nullptr;
    QAction* m_actionRevoke = nullptr;
    QAction* m_actionDelete = nullptr;
    QAction* m_actionRefresh = nullptr;
    QAction* m_actionClearFilters = nullptr;
    QAction* m_actionSettings = nullptr;
    QMenu* m_viewMenu = nullptr;
    int m_loadWork = 0; // the status bar's "Loading certificates", while a load runs
    bool m_haveVersion = false;
    QStringList m_shownRecoveries;       // keys of the recovery events on the banner
    QSet<QString> m_dismissedRecoveries; // dismissed for this run of the app
    Confirmation m_confirm;
    RevocationReason m_askReason;
};

} // namespace ck::gui
