#pragma once
// The Certificate tab: name, domains, CA (and the account the service will use with it), key
// type (or your own CSR), the PFX password, automatic renewal with an optional schedule of its own,
// comments.

#include "gui/FormSupport.h"
#include "gui/editor/EditorTab.h"

#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace ck::gui {

class CsrPanel;
class DomainListEditor;

class CertificateTab : public EditorTab {
    Q_OBJECT
public:
    CertificateTab(const EditorContext& context, QWidget* parent);

    void load(const ManagedCertificate& item) override;
    void apply(ManagedCertificate& item) const override;
    QList<FieldError> showErrors(const QList<FieldError>& errors) override;
    void clearErrors() override;
    void setReadOnly(bool readOnly) override;

    QLineEdit* nameEdit() const { return m_name; }
    DomainListEditor* domains() const { return m_domains; }
    QComboBox* keyType() const { return m_keyType; }
    CsrPanel* csrPanel() const { return m_csr; }

Q_SIGNALS:
    // The user wants to register an account (or manage CAs): the Settings' accounts page.
    void accountsRequested();

private:
    void fillChoices(); // from the catalog, keeping what is chosen
    void updateAccount();
    void updateRenewalInterval();
    void updateCsrChoice();
    bool usesOwnCsr() const;
    QString chosenCa() const;
    std::optional<RenewalMode> chosenMode() const; // none: the default from the settings
    RenewalMode shownMode() const;

    QLineEdit* m_name;
    ErrorLabel* m_nameError;
    DomainListEditor* m_domains;
    QComboBox* m_ca;
    QCheckBox* m_staging;
    QLabel* m_account;
    QPushButton* m_accounts;
    ErrorLabel* m_caError;
    QLineEdit* m_fallbackCas; // requestConfig.fallbackCertificateAuthorityIds, comma-separated
    ErrorLabel* m_fallbackError;
    QComboBox* m_keyType;
    QCheckBox* m_reuseKey;
    CsrPanel* m_csr;
    ErrorLabel* m_keyError;
    QComboBox* m_pfxPassword;
    ErrorLabel* m_pfxError;
    QCheckBox* m_autoRenew;
    QComboBox* m_renewalMode;
    QSpinBox* m_renewalInterval;
    ErrorLabel* m_renewalError;
    QPlainTextEdit* m_comments;
    ErrorLabel* m_commentsError;
    FieldErrorRouter m_fieldErrors;

    // What the item names, kept while the catalog's lists are (re)loaded.
    QString m_caId;
    QString m_pfxCredentialId;
    std::optional<RenewalPolicy> m_renewal; // the item's own schedule as loaded
    bool m_readOnly = false;
};

} // namespace ck::gui
