#pragma once
// Create or edit one managed certificate: name, domains (one per line, the first is the primary)
// and comments. The service decides what is valid; its field errors are shown in red directly
// under the field they belong to (for domains, with the line), and the user's input is never
// lost: not on a validation error, not when someone else saved the item meanwhile (409).

#include "ApiError.h"
#include "ManagedCertificate.h"

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QWidget;

namespace ck {
class ApiClient;
}

namespace ck::gui {

class CertificateEditorDialog : public QDialog {
    Q_OBJECT
public:
    // An item without id is created; one with an id is updated (with its version).
    CertificateEditorDialog(ApiClient* client, ManagedCertificate item, QWidget* parent = nullptr);

    const ManagedCertificate& item() const { return m_item; }

Q_SIGNALS:
    // The service stored the item; the dialog then closes (accepted).
    void saved(const ck::ManagedCertificate& stored);

private:
    void save();
    void reloadTheirVersion();
    ManagedCertificate itemFromFields();
    void showError(const ApiError& error);
    void clearErrors();
    void setBusy(bool busy);
    QLabel* makeErrorLabel(const char* objectName, const QString& accessibleName);
    static void showOn(QLabel* label, QWidget* field, const QStringList& messages);

    ApiClient* m_client;
    ManagedCertificate m_item; // as loaded (or reloaded): the base of what is saved
    QList<int> m_lineOfName;   // line number (1-based) of each name sent, for the service's errors

    QLineEdit* m_nameEdit;
    QLabel* m_nameError;
    QPlainTextEdit* m_domainsEdit;
    QLabel* m_domainsError;
    QPlainTextEdit* m_commentsEdit;
    QLabel* m_conflictLabel;
    QPushButton* m_reloadButton;
    QLabel* m_formError;
    QDialogButtonBox* m_buttons;
    QPushButton* m_saveButton;
};

} // namespace ck::gui
