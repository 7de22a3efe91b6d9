#pragma once
// The About tab: the versions of the app and of the service it is connected to (with the Qt,
// OpenSSL and other libraries each runs with), the edition (objectName "editionLabel"), the
// licensee, the expiry, how many certificates are used of the limit, any warning from the service
// (an expired key), an "Enter Key..." button that opens the EnterKeyDialog and a "Deactivate
// Install..." button that asks first; then where the documentation is, and the licences.
// It shows the service's own words when it refuses something.
//
// Embedding: `tabs->addTab(new ck::gui::AboutPage(client, tabs), tr("About"));` - it loads the
// license and the service's versions when first shown; refresh() loads them again.

#include "model/License.h"

#include <QDialog>
#include <QWidget>

#include <functional>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTextBrowser;

namespace ck {
class ApiClient;
struct ApiError;
struct ServiceDiagnostics;
} // namespace ck

namespace ck::gui {

// Asks for a license key and activates it. Stays open with the service's explanation when the
// key is refused; accepts (and emits activated) when it is taken.
class EnterKeyDialog : public QDialog {
    Q_OBJECT
public:
    EnterKeyDialog(ApiClient* client, QWidget* parent = nullptr);
    // A new dialog, opened window-modal without blocking, deleted when closed.
    static EnterKeyDialog* openFor(ApiClient* client, QWidget* parent);
    QString problem() const; // the refusal on screen, if any

Q_SIGNALS:
    void activated(const ck::LicenseInfo& info);

private:
    void activate();

    ApiClient* m_client;
    QPlainTextEdit* m_key;
    QLabel* m_problem;
    QPushButton* m_activate;
};

class AboutPage : public QWidget {
    Q_OBJECT
public:
    explicit AboutPage(ApiClient* client, QWidget* parent = nullptr);

    // Asks the user to confirm deactivation; replaceable so tests can answer it.
    using Confirmation = std::function<bool(QWidget* parent, const QString& question)>;
    void setConfirmation(Confirmation confirm) { m_confirm = std::move(confirm); }

    const LicenseInfo& license() const { return m_license; }

public Q_SLOTS:
    void refresh();
    // Opens the EnterKeyDialog (window-modal, without blocking); returns it.
    EnterKeyDialog* enterKey();
    void deactivate();

Q_SIGNALS:
    // After every successful load, activation or deactivation.
    void licenseChanged(const ck::LicenseInfo& info);

protected:
    void showEvent(QShowEvent* event) override;

private:
    QWidget* createVersions();
    QWidget* createDocumentation();
    void display(const LicenseInfo& info);
    void displayService(const ServiceDiagnostics& diagnostics);
    void showError(const ApiError& error);

    ApiClient* m_client;
    LicenseInfo m_license;
    bool m_loaded = false;
    QLabel* m_edition;
    QLabel* m_licensee;
    QLabel* m_expires;
    QLabel* m_usage;
    QLabel* m_installId;
    QLabel* m_warning;
    QLabel* m_error;
    QLabel* m_appVersions;
    QLabel* m_serviceVersions;
    QTextBrowser* m_notices;
    QPushButton* m_enterKey;
    QPushButton* m_deactivate;
    Confirmation m_confirm;
};

} // namespace ck::gui
