#pragma once
// Registers an ACME account with a CA: a contact address the CA writes to about expiring
// certificates, agreement to the CA's terms (linked), the key type, and the External Account
// Binding key id and HMAC key for CAs that require them (ZeroSSL, Google).

#include "gui/settings/FormDialog.h"
#include "model/CertificateAuthority.h"

class QCheckBox;
class QComboBox;
class QGroupBox;
class QLabel;

namespace ck::gui {

class ServiceCatalog;

class RegisterAccountDialog : public FormDialog {
    Q_OBJECT
public:
    RegisterAccountDialog(ServiceCatalog* catalog, QWidget* parent);

    void selectCertificateAuthority(const QString& id);

Q_SIGNALS:
    void registered(const ck::AcmeAccount& account);

private:
    void caChosen();
    void submit() override;
    void setBusy(bool busy);

    ServiceCatalog* m_catalog;
    QComboBox* m_ca;
    QCheckBox* m_staging;
    QLineEdit* m_email;
    ErrorLabel* m_emailError;
    QComboBox* m_keyType;
    QCheckBox* m_agree;
    QLabel* m_terms;
    ErrorLabel* m_agreeError;
    QCheckBox* m_useEab;
    QGroupBox* m_eab;
    QLineEdit* m_eabKeyId;
    QLineEdit* m_eabHmac;
    ErrorLabel* m_eabError;
};

} // namespace ck::gui
