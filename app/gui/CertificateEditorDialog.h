#pragma once
// Create or edit one managed certificate, in tabs: Certificate (name, domains, CA, key, PFX
// password, renewal, comments), Authorization (how names are proven, with Test), Deployment
// (tasks before and after the request), Preview (what a request would do), Log (live) and
// Status (the current certificate and its history).
//
// The service decides what is valid: its field errors are shown at the field they belong to,
// on whichever tab that is, and the user's input is never lost: not on a validation error,
// not when someone else saved the item meanwhile (409). "Save and request" saves, asks the
// service for the certificate and shows the log as it runs and the status when it is done.
// When the edition's limit refuses a new certificate, it offers to enter a license key (the
// service's words, EditionPrompts) and keeps everything typed: Save works once a key is taken.

#include "ApiError.h"
#include "model/License.h"
#include "model/ManagedCertificate.h"

#include <QDialog>

#include <chrono>

class QLabel;
class QPushButton;
class QTabWidget;
class QTimer;

namespace ck {
class ApiClient;
}

namespace ck::gui {

class AuthorizationTab;
class CertificateTab;
class DeploymentTab;
class EditorTab;
class ErrorLabel;
class LogTab;
class PreviewTab;
class ServiceCatalog;
class StatusTab;

class CertificateEditorDialog : public QDialog {
    Q_OBJECT
public:
    static constexpr int kStatusPollMs = 1000;
    static constexpr std::chrono::minutes kPatientTimeout{3}; // Test, running tasks

    // An item without id is created; one with an id is updated (with its version).
    CertificateEditorDialog(ApiClient* client, ManagedCertificate item, QWidget* parent = nullptr);

    // The item as last loaded from or stored by the service.
    const ManagedCertificate& item() const { return m_base; }
    // Every tab's fields over the loaded item: what Save would send.
    ManagedCertificate currentItem() const;
    QTabWidget* tabs() const { return m_tabs; }

public Q_SLOTS:
    void save();           // and close
    void saveAndRequest(); // stays open, follows the request

Q_SIGNALS:
    // The service stored the item (a save, or the outcome of a request).
    void saved(const ck::ManagedCertificate& stored);
    // A license key was activated from the edition limit's offer.
    void licenseChanged(const ck::LicenseInfo& info);

private:
    enum class AfterSave { Close, Request };
    void createButtons();
    void loadTabs(const ManagedCertificate& item);
    void store(AfterSave next);
    void stored(const ManagedCertificate& item, AfterSave next);
    void startRequest();
    void pollRequest();
    void reloadTheirVersion();
    void showError(const ApiError& error);
    void offerLicense(const ApiError& error);
    void clearErrors();
    void setBusy(bool busy);
    void openAccounts();
    void tabEdited();

    ApiClient* m_client;
    ServiceCatalog* m_catalog;
    // The item as loaded (or reloaded, or stored): the base of what is saved, so that fields of
    // a newer service that this app does not know (its `extra`) are sent back as they were.
    ManagedCertificate m_base;
    bool m_loading = false;
    bool m_edited = false;

    QTabWidget* m_tabs;
    CertificateTab* m_certificateTab;
    AuthorizationTab* m_authorizationTab;
    DeploymentTab* m_deploymentTab;
    PreviewTab* m_previewTab;
    LogTab* m_logTab;
    StatusTab* m_statusTab;
    QList<EditorTab*> m_allTabs;

    QLabel* m_conflictLabel;
    QPushButton* m_reloadButton;
    ErrorLabel* m_formError;
    QLabel* m_requestStatus;
    QPushButton* m_saveButton;
    QPushButton* m_requestButton;
    QPushButton* m_closeButton;
    QTimer* m_requestPoll;
};

} // namespace ck::gui
