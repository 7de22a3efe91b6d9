#pragma once
// ACME accounts (register with a contact address and the CA's terms, with External Account
// Binding where the CA needs it; remove) and the certificate authorities (the built-in ones and
// custom ones: add, remove).

#include "SettingsDialog.h"

#include <QWidget>

class QPushButton;
class QTreeWidget;

namespace ck::gui {

class ErrorLabel;
class ServiceCatalog;

class AccountsPage : public QWidget {
    Q_OBJECT
public:
    AccountsPage(ServiceCatalog* catalog, QWidget* parent);
    void setConfirmation(Confirmation confirm) { m_confirm = std::move(confirm); }

    void registerAccount();
    void addCertificateAuthority();

private:
    void fill();
    void removeAccount();
    void removeCertificateAuthority();
    void updateButtons();

    ServiceCatalog* m_catalog;
    Confirmation m_confirm;
    QTreeWidget* m_accounts;
    QPushButton* m_register;
    QPushButton* m_removeAccount;
    QTreeWidget* m_authorities;
    QPushButton* m_addCa;
    QPushButton* m_removeCa;
    ErrorLabel* m_status;
};

} // namespace ck::gui
