#pragma once
// The manager window: the certificate list (searchable, sortable, refreshed every 10 s) with
// New/Edit/Delete/Refresh, or, when the service cannot be reached, a page that says why and
// what to do. It talks to the service of servers.json's default entry in the data directory.
// Once per connection it reads the service's diagnostics and says, above the list, when the
// service had to recover a damaged database at start or is on another port than configured.

#include "ApiError.h"
#include "ServersConfig.h"

#include <QMainWindow>
#include <QSet>
#include <QStringList>

#include <functional>

class QAction;
class QFrame;
class QJsonObject;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QStackedWidget;
class QTableView;
class QTimer;

namespace ck {
class ApiClient;
struct ManagedCertificate;
} // namespace ck

namespace ck::gui {

class CertificateListLoader;
class CertificateListModel;
class ConnectionProblemPage;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    static constexpr int kPollSeconds = 10;

    explicit MainWindow(const QString& dataDir, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Asks the user to confirm a destructive action; replaceable so tests can answer it.
    using Confirmation = std::function<bool(QWidget* parent, const QString& question)>;
    void setConfirmation(Confirmation confirm) { m_confirm = std::move(confirm); }

public Q_SLOTS:
    void refresh();
    void newCertificate();
    void editSelected();
    void deleteSelected();

protected:
    void changeEvent(QEvent* event) override;

private:
    void createActions();
    QWidget* createListPage();
    // Re-reads servers.json: the service rewrites it when it starts or moves to another port.
    void loadServerEntry();
    void startSearch();
    void fetchSummary();
    void fetchVersion();
    // Diagnostics are read once per connection: again after the service was unreachable or
    // moved, since it may have started anew (and recovered its database) meanwhile.
    void fetchDiagnostics();
    void forgetDiagnostics();
    void showStartupNotices(const QJsonObject& diagnostics);
    void dismissRecoveryBanner();
    void tintNotices();
    void showListPage();
    void showConnectionProblem(const QString& explanation);
    void handleFailure(const ApiError& error);
    void openEditor(const ManagedCertificate& item);
    void updateActions();
    QList<ManagedCertificate> selectedItems() const;

    QString m_dataDir;
    ServerEntry m_server;
    QString m_serversProblem; // why servers.json could not be used, if it could not
    ApiClient* m_client = nullptr;
    CertificateListLoader* m_loader = nullptr;
    CertificateListModel* m_model = nullptr;
    QSortFilterProxyModel* m_proxy = nullptr;
    QStackedWidget* m_pages = nullptr;
    QWidget* m_listPage = nullptr;
    ConnectionProblemPage* m_problemPage = nullptr;
    QTableView* m_table = nullptr;
    QLineEdit* m_searchEdit = nullptr;
    QTimer* m_searchDebounce = nullptr;
    QTimer* m_pollTimer = nullptr;
    QLabel* m_countsLabel = nullptr;
    QLabel* m_serviceLabel = nullptr;
    QFrame* m_recoveryBanner = nullptr;
    QLabel* m_recoveryText = nullptr;
    QFrame* m_portNotice = nullptr;
    QLabel* m_portNoticeLabel = nullptr;
    QAction* m_actionNew = nullptr;
    QAction* m_actionEdit = nullptr;
    QAction* m_actionDelete = nullptr;
    QAction* m_actionRefresh = nullptr;
    QString m_loadedSearch;           // the search the rows on screen answer
    bool m_replaceOnNextPage = false; // a new search: its first page replaces the rows
    bool m_haveVersion = false;
    bool m_diagnosticsRequested = false; // for the current connection
    int m_connection = 0;                // counts (re)connections; stale answers are dropped
    QStringList m_shownRecoveries;       // keys of the recovery events on the banner
    QSet<QString> m_dismissedRecoveries; // dismissed for this run of the app
    Confirmation m_confirm;
};

} // namespace ck::gui
