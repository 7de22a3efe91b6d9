#include "gui/editor/CertificateTab.h"

#include "gui/FormSupport.h"
#include "gui/ServiceCatalog.h"
#include "gui/editor/CsrPanel.h"
#include "gui/editor/DomainListEditor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QVBoxLayout>

namespace ck::gui {

namespace {
struct Choice {
    const char* value;
    const char* text;
};

constexpr Choice kKeyTypes[] = {
    {"ecdsa-p256", QT_TRANSLATE_NOOP("CertificateTab", "ECDSA P-256 (recommended)")},
    {"ecdsa-p384", QT_TRANSLATE_NOOP("CertificateTab", "ECDSA P-384")},
    {"rsa2048", QT_TRANSLATE_NOOP("CertificateTab", "RSA 2048 (for old clients)")},
    {"rsa3072", QT_TRANSLATE_NOOP("CertificateTab", "RSA 3072")},
    {"rsa4096", QT_TRANSLATE_NOOP("CertificateTab", "RSA 4096")},
    {"csr", QT_TRANSLATE_NOOP("CertificateTab", "Use my own CSR (the key stays with you)")},
};
// The key type entry that is not a key type: the item carries the user's CSR instead.
const QString kOwnCsr = QStringLiteral("csr");

// The item's own renewal schedule; none = the default from the settings.
struct ModeChoice {
    std::optional<RenewalMode> mode;
    const char* text;
};
constexpr ModeChoice kRenewalModes[] = {
    {std::nullopt, QT_TRANSLATE_NOOP("CertificateTab", "The default from the settings")},
    {RenewalMode::PercentageOfLifetime,
     QT_TRANSLATE_NOOP("CertificateTab", "When this much of its lifetime has passed")},
    {RenewalMode::DaysBeforeExpiry,
     QT_TRANSLATE_NOOP("CertificateTab", "This many days before it expires")},
    {RenewalMode::DaysAfterRenewal,
     QT_TRANSLATE_NOOP("CertificateTab", "This many days after it was issued")},
};

// The combo's data for a mode: its name in the model, empty for none.
QString modeData(const std::optional<RenewalMode>& mode) {
    return mode ? toString(*mode) : QString();
}

template <size_t N> void addChoices(QComboBox* combo, const Choice (&choices)[N]) {
    for (const Choice& c : choices)
        combo->addItem(CertificateTab::tr(c.text), QString::fromLatin1(c.value));
}

void addModes(QComboBox* combo) {
    for (const ModeChoice& c : kRenewalModes)
        combo->addItem(CertificateTab::tr(c.text), modeData(c.mode));
}

// Selects the entry whose data is `value`; an unknown value is added, so it is never lost.
void selectValue(QComboBox* combo, const QString& value, const QString& unknownText) {
    int index = combo->findData(value);
    if (index < 0) {
        combo->addItem(unknownText.arg(value), value);
        index = combo->count() - 1;
    }
    combo->setCurrentIndex(index);
}
} // namespace

CertificateTab::CertificateTab(const EditorContext& context, QWidget* parent)
    : EditorTab(context, parent) {
    setObjectName(QStringLiteral("certificateTab"));
    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("nameEdit"));
    m_name->setAccessibleName(tr("Name"));
    m_name->setPlaceholderText(tr("A name you recognise, e.g. Web shop"));
    m_nameError = new ErrorLabel(QStringLiteral("nameError"), tr("Problem with the name"), this);
    connect(m_name, &QLineEdit::textEdited, this, &EditorTab::edited);

    m_domains = new DomainListEditor(this);
    connect(m_domains, &DomainListEditor::edited, this, &EditorTab::edited);

    m_ca = new QComboBox(this);
    m_ca->setObjectName(QStringLiteral("caCombo"));
    m_ca->setAccessibleName(tr("Certificate authority"));
    m_staging = new QCheckBox(tr("Use the CA's stagin&g (test) environment"), this);
    m_staging->setObjectName(QStringLiteral("stagingCheck"));
    m_account = new QLabel(this);
    m_account->setObjectName(QStringLiteral("accountLabel"));
    m_account->setWordWrap(true);
    m_account->setTextFormat(Qt::PlainText);
    m_accounts = new QPushButton(tr("A&ccounts…"), this);
    m_accounts->setObjectName(QStringLiteral("accountsButton"));
    m_accounts->setAccessibleName(tr("Register or manage ACME accounts"));
    m_accounts->setAutoDefault(false);
    connect(m_accounts, &QPushButton::clicked, this, &CertificateTab::accountsRequested);
    m_caError = new ErrorLabel(QStringLiteral("caError"),
                               tr("Problem with the certificate authority"), this);
    m_fallbackCas = new QLineEdit(this);
    m_fallbackCas->setObjectName(QStringLiteral("fallbackCasEdit"));
    m_fallbackCas->setAccessibleName(tr("Fallback certificate authorities"));
    m_fallbackCas->setPlaceholderText(tr("None; or CA ids in order, e.g. zerossl, google"));
    m_fallbackCas->setToolTip(
        tr("Asked in this order when the CA above fails the request itself (unreachable, a "
           "server error, refusing the account or the order), each with its own ACME account. "
           "A challenge that fails validation is not taken to another CA."));
    connect(m_fallbackCas, &QLineEdit::textEdited, this, &EditorTab::edited);
    m_fallbackError = new ErrorLabel(QStringLiteral("fallbackCasError"),
                                     tr("Problem with the fallback CAs"), this);
    connect(m_ca, &QComboBox::activated, this, [this] {
        m_caId = m_ca->currentData().toString();
        updateAccount();
        Q_EMIT edited();
    });
    connect(m_staging, &QCheckBox::clicked, this, [this] {
        updateAccount();
        Q_EMIT edited();
    });

    m_keyType = new QComboBox(this);
    m_keyType->setObjectName(QStringLiteral("keyTypeCombo"));
    m_keyType->setAccessibleName(tr("Key type"));
    addChoices(m_keyType, kKeyTypes);
    m_reuseKey = new QCheckBox(tr("&Reuse the private key on renewal"), this);
    m_reuseKey->setObjectName(QStringLiteral("reuseKeyCheck"));
    m_keyError = new ErrorLabel(QStringLiteral("keyError"), tr("Problem with the key"), this);
    m_csr = new CsrPanel(this);
    connect(m_keyType, &QComboBox::activated, this, [this] {
        updateCsrChoice();
        Q_EMIT edited();
    });
    connect(m_reuseKey, &QCheckBox::clicked, this, &EditorTab::edited);
    connect(m_csr, &CsrPanel::edited, this, [this] {
        updateCsrChoice();
        Q_EMIT edited();
    });

    m_pfxPassword = new QComboBox(this);
    m_pfxPassword->setObjectName(QStringLiteral("pfxPasswordCombo"));
    m_pfxPassword->setAccessibleName(tr("PFX password credential"));
    m_pfxError = new ErrorLabel(QStringLiteral("pfxPasswordError"),
                                tr("Problem with the PFX password"), this);
    connect(m_pfxPassword, &QComboBox::activated, this, [this] {
        m_pfxCredentialId = m_pfxPassword->currentData().toString();
        Q_EMIT edited();
    });

    m_autoRenew = new QCheckBox(tr("Include in automatic renewal"), this);
    m_autoRenew->setObjectName(QStringLiteral("autoRenewCheck"));
    connect(m_autoRenew, &QCheckBox::clicked, this, &EditorTab::edited);
    m_renewalMode = new QComboBox(this);
    m_renewalMode->setObjectName(QStringLiteral("renewalModeCombo"));
    m_renewalMode->setAccessibleName(tr("When to renew"));
    addModes(m_renewalMode);
    m_renewalInterval = new QSpinBox(this);
    m_renewalInterval->setObjectName(QStringLiteral("renewalIntervalSpin"));
    m_renewalInterval->setAccessibleName(tr("Renewal interval"));
    m_renewalError =
        new ErrorLabel(QStringLiteral("renewalError"), tr("Problem with the renewal"), this);
    connect(m_renewalMode, &QComboBox::activated, this, [this] {
        updateRenewalInterval();
        Q_EMIT edited();
    });
    connect(m_renewalInterval, &QSpinBox::valueChanged, this, &EditorTab::edited);
    connect(m_autoRenew, &QCheckBox::toggled, this, &CertificateTab::updateRenewalInterval);

    m_comments = new QPlainTextEdit(this);
    m_comments->setObjectName(QStringLiteral("commentsEdit"));
    m_comments->setAccessibleName(tr("Comments"));
    m_comments->setTabChangesFocus(true);
    m_comments->setMaximumHeight(m_comments->fontMetrics().lineSpacing() * 4 + 12);
    m_commentsError =
        new ErrorLabel(QStringLiteral("commentsError"), tr("Problem with the comments"), this);
    connect(m_comments, &QPlainTextEdit::textChanged, this, [this] {
        if (m_comments->hasFocus())
            Q_EMIT edited();
    });

    auto* account = new QWidget(this);
    auto* accountLine = new QHBoxLayout(account);
    accountLine->setContentsMargins(0, 0, 0, 0);
    accountLine->addWidget(m_account, 1);
    accountLine->addWidget(m_accounts);
    QWidget* caRow = column(this, {m_ca, m_staging, account, m_caError});
    QWidget* keyRow = column(this, {m_keyType, m_reuseKey, m_csr, m_keyError});
    auto* schedule = new QWidget(this);
    auto* scheduleLine = new QHBoxLayout(schedule);
    scheduleLine->setContentsMargins(0, 0, 0, 0);
    scheduleLine->addWidget(m_renewalMode, 1);
    scheduleLine->addWidget(m_renewalInterval);
    QWidget* renewalRow = column(this, {m_autoRenew, schedule, m_renewalError});

    auto* form = new QFormLayout(this);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(makeCaption(tr("&Name:"), m_name, this), column(this, {m_name, m_nameError}));
    form->addRow(makeCaption(tr("&Domains:"), m_domains->firstField(), this), m_domains);
    form->addRow(makeCaption(tr("C&A:"), m_ca, this), caRow);
    form->addRow(makeCaption(tr("Fall&back CAs:"), m_fallbackCas, this),
                 column(this, {m_fallbackCas, m_fallbackError}));
    form->addRow(makeCaption(tr("&Key type:"), m_keyType, this), keyRow);
    form->addRow(makeCaption(tr("PF&X password:"), m_pfxPassword, this),
                 column(this, {m_pfxPassword, m_pfxError}));
    form->addRow(makeCaption(tr("Rene&wal:"), m_autoRenew, this), renewalRow);
    form->addRow(makeCaption(tr("C&omments:"), m_comments, this),
                 column(this, {m_comments, m_commentsError}));

    setTabOrder(m_name, m_domains->firstField());
    setTabOrder(m_domains->lastField(), m_ca);
    setTabOrder(m_ca, m_staging);
    setTabOrder(m_staging, m_accounts);
    setTabOrder(m_accounts, m_fallbackCas);
    setTabOrder(m_fallbackCas, m_keyType);
    setTabOrder(m_keyType, m_reuseKey);
    setTabOrder(m_reuseKey, m_csr->editor());
    setTabOrder(m_csr->editor(), m_pfxPassword);
    setTabOrder(m_pfxPassword, m_autoRenew);
    setTabOrder(m_autoRenew, m_renewalMode);
    setTabOrder(m_renewalMode, m_renewalInterval);
    setTabOrder(m_renewalInterval, m_comments);

    // Where the service's words about each field go (the first field at fault gets the focus).
    using R = FieldErrorRouter;
    m_fieldErrors.add(R::exactly({QStringLiteral("name")}), m_nameError, m_name);
    m_fieldErrors.add(
        R::startingWith({QStringLiteral("requestConfig.subjectAlternativeNames"),
                         QStringLiteral("requestConfig.primaryDomain")}),
        [this](const QList<FieldError>& errors) { m_domains->showErrors(errors); },
        m_domains->firstField());
    m_fieldErrors.add(R::startingWith({QStringLiteral("certificateAuthorityId"),
                                       QStringLiteral("useStagingMode")}),
                      m_caError, m_ca);
    m_fieldErrors.add(
        R::startingWith({QStringLiteral("requestConfig.fallbackCertificateAuthorityIds")}),
        m_fallbackError, m_fallbackCas);
    m_fieldErrors.add(R::startingWith({QStringLiteral("requestConfig.keyAlgorithm"),
                                       QStringLiteral("requestConfig.reusePrivateKey"),
                                       QStringLiteral("requestConfig.csrPem")}),
                      m_keyError, m_keyType);
    m_fieldErrors.add(R::startingWith({QStringLiteral("requestConfig.pfxPasswordCredentialId")}),
                      m_pfxError, m_pfxPassword);
    m_fieldErrors.add(
        R::startingWith({QStringLiteral("renewalOverride"), QStringLiteral("includeInAutoRenew")}),
        m_renewalError, m_renewalMode);
    m_fieldErrors.add(R::exactly({QStringLiteral("comments")}), m_commentsError, m_comments);

    connect(context.catalog, &ServiceCatalog::loaded, this, &CertificateTab::fillChoices);
    fillChoices();
    updateCsrChoice();
}

bool CertificateTab::usesOwnCsr() const {
    return m_keyType->currentData().toString() == kOwnCsr;
}

// With your own CSR: the CSR's panel instead of key reuse, and the names are the CSR's (shown,
// not edited). Back to a key type: the names can be edited again, starting from the CSR's.
void CertificateTab::updateCsrChoice() {
    const bool own = usesOwnCsr();
    m_csr->setVisible(own);
    m_reuseKey->setVisible(!own);
    m_domains->setReadOnly(own || m_readOnly);
    if (own && !m_csr->names().isEmpty())
        m_domains->setDomains(m_csr->names(), m_csr->names().first());
}

void CertificateTab::fillChoices() {
    const ServiceCatalog& catalog = *context().catalog;
    m_ca->clear();
    for (const auto& ca : catalog.authorities())
        m_ca->addItem(ca.title, ca.id);
    selectValue(m_ca, chosenCa(), tr("%1 (not configured in the service)"));

    m_pfxPassword->clear();
    m_pfxPassword->addItem(tr("The default from the settings (none: no password)"), QString());
    for (const auto& c : catalog.credentialsOfType(QStringLiteral("pfx-password")))
        m_pfxPassword->addItem(c.title, c.id);
    selectValue(m_pfxPassword, m_pfxCredentialId, tr("%1 (no longer stored)"));
    updateAccount();
}

QString CertificateTab::chosenCa() const {
    return m_caId.isEmpty() ? QString::fromLatin1(kDefaultCertificateAuthority) : m_caId;
}

void CertificateTab::updateAccount() {
    const ServiceCatalog& catalog = *context().catalog;
    const CertificateAuthority* ca = catalog.authority(chosenCa());
    m_staging->setEnabled(ca && !ca->stagingDirectoryUrl.isEmpty());
    if (!catalog.isLoaded()) {
        m_account->setText(catalog.problem().isEmpty() ? tr("Reading the accounts…")
                                                       : catalog.problem());
        return;
    }
    if (!ca && retiredCertificateAuthority(chosenCa())) {
        // Kept as the item names it, so nothing changes behind the user's back; they choose.
        m_account->setText(retiredCertificateAuthorityWarning(chosenCa()));
        return;
    }
    const bool staging = m_staging->isChecked() && m_staging->isEnabled();
    if (const AcmeAccount* account = catalog.accountFor(chosenCa(), staging))
        m_account->setText(tr("Account: %1").arg(account->email));
    else
        m_account->setText(
            tr("No account is registered with %1%2 yet: register one before "
               "requesting.")
                .arg(ca ? ca->title : chosenCa(), staging ? tr(" (staging)") : QString()));
}

std::optional<RenewalMode> CertificateTab::chosenMode() const {
    return renewalModeFromString(m_renewalMode->currentData().toString());
}

// Without a schedule of its own, the (disabled) interval is shown in days.
RenewalMode CertificateTab::shownMode() const {
    return chosenMode().value_or(RenewalMode::DaysBeforeExpiry);
}

void CertificateTab::updateRenewalInterval() {
    const bool percent = shownMode() == RenewalMode::PercentageOfLifetime;
    m_renewalMode->setEnabled(m_autoRenew->isChecked());
    m_renewalInterval->setEnabled(m_autoRenew->isChecked() && chosenMode().has_value());
    m_renewalInterval->setRange(1, maxRenewalInterval(shownMode()));
    m_renewalInterval->setSuffix(percent ? tr(" %") : tr(" days"));
}

void CertificateTab::load(const ManagedCertificate& item) {
    const RequestConfig& rc = item.requestConfig;
    m_name->setText(item.name);
    m_domains->setDomains(rc.subjectAlternativeNames, rc.primaryDomain);
    m_caId = item.certificateAuthorityId;
    m_staging->setChecked(item.useStagingMode);
    selectValue(m_keyType, rc.csrPem.isEmpty() ? rc.keyAlgorithm : kOwnCsr, QStringLiteral("%1"));
    m_csr->setPem(rc.csrPem);
    m_reuseKey->setChecked(rc.reusePrivateKey);
    m_pfxCredentialId = rc.pfxPasswordCredentialId;
    m_fallbackCas->setText(rc.fallbackCertificateAuthorityIds.join(QStringLiteral(", ")));
    m_autoRenew->setChecked(item.includeInAutoRenew);
    m_renewal = item.renewalOverride;
    const std::optional<RenewalMode> mode =
        m_renewal ? std::optional(m_renewal->mode) : std::nullopt;
    m_renewalMode->setCurrentIndex(std::max(0, m_renewalMode->findData(modeData(mode))));
    updateRenewalInterval();
    m_renewalInterval->setValue(m_renewal.value_or(defaultRenewalPolicy(shownMode())).interval);
    m_comments->setPlainText(item.comments);
    fillChoices();
    updateCsrChoice();
}

void CertificateTab::apply(ManagedCertificate& item) const {
    RequestConfig& rc = item.requestConfig;
    const QStringList names = m_domains->domainsIncludingTyped();
    rc.primaryDomain = names.value(0);
    rc.subjectAlternativeNames = names;
    if (usesOwnCsr()) {
        // The service takes the names and the key type from the CSR itself.
        rc.csrPem = m_csr->pem();
        rc.reusePrivateKey = false;
    } else {
        rc.csrPem.clear();
        rc.keyAlgorithm = m_keyType->currentData().toString();
        rc.reusePrivateKey = m_reuseKey->isChecked();
    }
    rc.pfxPasswordCredentialId = m_pfxCredentialId;
    rc.fallbackCertificateAuthorityIds.clear();
    for (const QString& id : m_fallbackCas->text().split(
             QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts))
        rc.fallbackCertificateAuthorityIds << id;
    item.name = m_name->text();
    item.certificateAuthorityId = m_caId;
    item.useStagingMode = m_staging->isChecked() && m_staging->isEnabled();
    item.includeInAutoRenew = m_autoRenew->isChecked();
    if (const std::optional<RenewalMode> mode = chosenMode()) {
        // The loaded override keeps what this app does not know of it (its `extra`).
        RenewalPolicy policy = m_renewal.value_or(RenewalPolicy{});
        policy.mode = *mode;
        policy.interval = m_renewalInterval->value();
        item.renewalOverride = policy;
    } else {
        item.renewalOverride.reset();
    }
    item.comments = m_comments->toPlainText();
}

QList<FieldError> CertificateTab::showErrors(const QList<FieldError>& errors) {
    return m_fieldErrors.route(errors);
}

void CertificateTab::clearErrors() {
    showErrors({});
}

void CertificateTab::setReadOnly(bool readOnly) {
    m_readOnly = readOnly;
    m_name->setReadOnly(readOnly);
    m_domains->setReadOnly(readOnly || usesOwnCsr());
    m_csr->setReadOnly(readOnly);
    m_comments->setReadOnly(readOnly);
    m_fallbackCas->setReadOnly(readOnly);
    for (QWidget* w : std::initializer_list<QWidget*>{m_ca, m_keyType, m_reuseKey, m_pfxPassword,
                                                      m_autoRenew, m_renewalMode, m_accounts})
        w->setEnabled(!readOnly);
    if (!readOnly) {
        updateAccount();
        updateRenewalInterval();
    }
}

} // namespace ck::gui
