#pragma once
// What the list area shows while there is no certificate: what Certkeeper does, and the two
// steps to a first certificate, each one click away: register an account with a certificate
// authority (done when the service has one: it then says which), and add a certificate.
//
// It reads the accounts from the service when shown and after a registration; the window
// decides when it is shown (an empty list, no search or filter).

#include <QWidget>

class QLabel;
class QPushButton;

namespace ck::gui {

class ServiceCatalog;

class FirstRunGuide : public QWidget {
    Q_OBJECT
public:
    explicit FirstRunGuide(ServiceCatalog* catalog, QWidget* parent = nullptr);

    // Reads the accounts again (the window calls it when the guide comes into view).
    void refresh();

public Q_SLOTS:
    // Opens the registration form (window-modal, without blocking).
    void registerAccount();

Q_SIGNALS:
    void addCertificateRequested();

private:
    void showAccounts();

    ServiceCatalog* m_catalog;
    QLabel* m_accountState;
    QPushButton* m_register;
    QPushButton* m_add;
};

} // namespace ck::gui
