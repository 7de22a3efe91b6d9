#include "gui/settings/RegisterAccountDialog.h"

#include "client/ApiClient.h"
#include "gui/FormSupport.h"
#include "gui/ServiceCatalog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace ck::gui {

RegisterAccountDialog::RegisterAccountDialog(ServiceCatalog* catalog, QWidget* parent)
    : FormDialog({QStringLiteral("registerAccountDialog"), tr("Register an ACME account"),
                  tr("&Register"), QStringLiteral("registerButton"),
                  QStringLiteral("registerError"), tr("Registration failed"), 70},
                 parent),
      m_catalog(catalog) {
    m_ca = new QComboBox(this);
    m_ca->setObjectName(QStringLiteral("registerCaCombo"));
    m_ca->setAccessibleName(tr("Certificate authority"));
    for (const auto& ca : catalog->authorities())
        m_ca->addItem(ca.title, ca.id);
    m_staging = new QCheckBox(tr("The CA's &staging (test) environment"), this);
    m_staging->setObjectName(QStringLiteral("registerStagingCheck"));
    m_email = new QLineEdit(this);
    m_email->setObjectName(QStringLiteral("emailEdit"));
    m_email->setAccessibleName(tr("Contact email"));
    m_email->setPlaceholderText(tr("you@example.com"));
    m_emailError = new ErrorLabel(QStringLiteral("emailError"), tr("Problem with the email"), this);
    m_keyType = new QComboBox(this);
    m_keyType->setObjectName(QStringLiteral("accountKeyCombo"));
    m_keyType->setAccessibleName(tr("Account key type"));
    m_keyType->addItem(tr("ECDSA P-256 (recommended)"), QStringLiteral("ecdsa-p256"));
    m_keyType->addItem(tr("ECDSA P-384"), QStringLiteral("ecdsa-p384"));
    m_keyType->addItem(tr("RSA 2048"), QStringLiteral("rsa2048"));
    m_keyType->addItem(tr("RSA 4096"), QStringLiteral("rsa4096"));

    m_agree = new QCheckBox(tr("I &agree to the CA's terms of service"), this);
    m_agree->setObjectName(QStringLiteral("agreeTermsCheck"));
    m_terms = new QLabel(this);
    m_terms->setObjectName(QStringLiteral("termsLink"));
    m_terms->setAccessibleName(tr("Where the CA's terms of service are"));
    m_terms->setTextFormat(Qt::RichText);
    m_terms->setOpenExternalLinks(true);
    m_terms->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_agreeError =
        new ErrorLabel(QStringLiteral("agreeError"), tr("The terms must be accepted"), this);

    m_useEab = new QCheckBox(tr("My CA gave me E&xternal Account Binding keys"), this);
    m_useEab->setObjectName(QStringLiteral("useEabCheck"));
    m_eab = new QGroupBox(tr("External Account Binding"), this);
    m_eab->setObjectName(QStringLiteral("eabGroup"));
    m_eabKeyId = new QLineEdit(m_eab);
    m_eabKeyId->setObjectName(QStringLiteral("eabKeyIdEdit"));
    m_eabKeyId->setAccessibleName(tr("EAB key id"));
    m_eabHmac = new QLineEdit(m_eab);
    m_eabHmac->setObjectName(QStringLiteral("eabHmacEdit"));
    m_eabHmac->setAccessibleName(tr("EAB HMAC key"));
    m_eabHmac->setEchoMode(QLineEdit::Password);
    QCheckBox* reveal = makeRevealCheck({m_eabHmac}, m_eab);
    m_eabError = new ErrorLabel(QStringLiteral("eabError"), tr("Problem with the EAB keys"), m_eab);
    auto* eabForm = new QFormLayout(m_eab);
    eabForm->addRow(makeCaption(tr("Key &id:"), m_eabKeyId, m_eab), m_eabKeyId);
    eabForm->addRow(makeCaption(tr("&HMAC key:"), m_eabHmac, m_eab), m_eabHmac);
    eabForm->addRow(QString(), reveal);
    eabForm->addRow(m_eabError);
    eabForm->addRow(makeHint(tr("Both come from your account page at the CA. The HMAC key is "
                                "used once to bind the account and is not stored."),
                             m_eab));

    QFormLayout* form = makeForm();
    form->addRow(makeCaption(tr("&CA:"), m_ca, this), column(this, {m_ca, m_staging}));
    form->addRow(makeCaption(tr("&Email:"), m_email, this), column(this, {m_email, m_emailError}));
    form->addRow(makeCaption(tr("&Key type:"), m_keyType, this), m_keyType);
    form->addRow(QString(), column(this, {m_agree, m_terms, m_agreeError}));
    form->addRow(QString(), m_useEab);
    finish(form, {m_eab});

    fieldErrors().add(FieldErrorRouter::exactly({QStringLiteral("email")}), m_emailError, m_email);
    fieldErrors().add(FieldErrorRouter::exactly({QStringLiteral("agreeToTerms")}), m_agreeError,
                      m_agree);
    fieldErrors().add(
        FieldErrorRouter::startingWith({QStringLiteral("eab")}),
        [this](const QList<FieldError>& errors) {
            if (!errors.isEmpty()) { // the keys are at fault: show where they are typed
                m_useEab->setChecked(true);
                m_eab->show();
            }
            m_eabError->showMessages(detailsOf(errors), m_eabKeyId);
        },
        m_eabKeyId);

    connect(m_ca, &QComboBox::currentIndexChanged, this, &RegisterAccountDialog::caChosen);
    connect(m_useEab, &QCheckBox::toggled, m_eab, &QWidget::setVisible);
    caChosen();
    m_email->setFocus();
}

void RegisterAccountDialog::selectCertificateAuthority(const QString& id) {
    m_ca->setCurrentIndex(std::max(0, m_ca->findData(id)));
}

void RegisterAccountDialog::caChosen() {
    const CertificateAuthority* ca = m_catalog->authority(m_ca->currentData().toString());
    m_staging->setEnabled(ca && !ca->stagingDirectoryUrl.isEmpty());
    if (!m_staging->isEnabled())
        m_staging->setChecked(false);
    const bool eabRequired = ca && ca->eabRequired;
    m_useEab->setChecked(eabRequired || m_useEab->isChecked());
    m_useEab->setEnabled(!eabRequired); // required: the fields stay
    m_eab->setVisible(m_useEab->isChecked());
    // The terms are the CA's; its site says where they are.
    const QString site = ca ? ca->website : QString();
    m_terms->setText(
        site.isEmpty() ? tr("The terms are in the CA's directory; ask its operator.")
                       : tr("Read them at <a href=\"%1\">%2</a>.")
                             .arg(site.toHtmlEscaped(),
                                  QStringLiteral("%1 — %2").arg(ca->title, site).toHtmlEscaped()));
}

void RegisterAccountDialog::submit() {
    AccountRegistrationRequest request;
    request.certificateAuthorityId = m_ca->currentData().toString();
    request.staging = m_staging->isChecked();
    request.email = m_email->text().trimmed();
    request.agreeToTerms = m_agree->isChecked();
    request.keyAlgorithm = m_keyType->currentData().toString();
    if (m_useEab->isChecked()) {
        request.eabKeyId = m_eabKeyId->text().trimmed();
        request.eabHmacKey = m_eabHmac->text().trimmed();
    }
    for (ErrorLabel* e : {m_emailError, m_agreeError, m_eabError, formError()})
        e->clear();
    setBusy(true);
    formError()->showInfo(tr("Registering with %1…").arg(m_ca->currentText()));
    m_catalog->client()->registerAccount(
        request, this,
        [this](const AcmeAccount& account) {
            setBusy(false);
            Q_EMIT registered(account);
            accept();
        },
        [this](const ApiError& error) {
            setBusy(false);
            refused(error);
        });
}

void RegisterAccountDialog::setBusy(bool busy) {
    setSending(busy);
    for (QWidget* w : std::initializer_list<QWidget*>{m_ca, m_staging, m_email, m_keyType, m_agree,
                                                      m_useEab, m_eab})
        w->setEnabled(!busy);
    if (!busy)
        caChosen();
}

} // namespace ck::gui
