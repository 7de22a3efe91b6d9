#pragma once
// Settings and connections: ACME accounts and certificate authorities, stored credentials,
// the service's preferences (renewal defaults, notifications, default PFX password), and the
// list of services this app can connect to (servers.json).
//
// MainWindow opens it with a new SettingsDialog(m_client, m_dataDir, this), WA_DeleteOnClose
// and open(), and re-reads servers.json on serversChanged().

#include <QDialog>

#include <functional>

class QTabWidget;

namespace ck {
class ApiClient;
}

namespace ck::gui {

class AccountsPage;
class CertificateAuthoritiesPage;
class ConnectionsPage;
class CredentialsPage;
class PreferencesPage;
class ServiceCatalog;

// Asks the user to confirm a destructive action; replaceable so tests can answer it.
using Confirmation = std::function<bool(QWidget* parent, const QString& question)>;
bool askToConfirm(QWidget* parent, const QString& question);

class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    enum class Page { Accounts, Credentials, Preferences, Connections };

    SettingsDialog(ApiClient* client, const QString& dataDir, QWidget* parent = nullptr);

    void showPage(Page page);
    void setConfirmation(Confirmation confirm);
    ServiceCatalog* catalog() const { return m_catalog; }

Q_SIGNALS:
    // servers.json was written: the default connection may have changed.
    void serversChanged();

private:
    ServiceCatalog* m_catalog;
    QTabWidget* m_tabs;
    AccountsPage* m_accounts;
    CertificateAuthoritiesPage* m_authorities;
    CredentialsPage* m_credentials;
    PreferencesPage* m_preferences;
    ConnectionsPage* m_connections;
};

} // namespace ck::gui
