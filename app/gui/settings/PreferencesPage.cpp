#include "gui/settings/PreferencesPage.h"

#include "client/ApiClient.h"
#include "gui/FormSupport.h"
#include "gui/ServiceCatalog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSpinBox>
#include <QVBoxLayout>

namespace ck::gui {

namespace {
QSpinBox* makeSpin(const QString& name, const QString& accessibleName, int min, int max,
                   const QString& suffix, QWidget* parent) {
    auto* spin = new QSpinBox(parent);
    spin->setObjectName(name);
    spin->setAccessibleName(accessibleName);
    spin->setRange(min, max);
    spin->setSuffix(suffix);
    return spin;
}

QLineEdit* makeLine(const QString& name, const QString& accessibleName, QWidget* parent) {
    auto* edit = new QLineEdit(parent);
    edit->setObjectName(name);
    edit->setAccessibleName(accessibleName);
    return edit;
}

QComboBox* makeCombo(const QString& name, const QString& accessibleName, QWidget* parent) {
    auto* combo = new QComboBox(parent);
    combo->setObjectName(name);
    combo->setAccessibleName(accessibleName);
    return combo;
}

void fillCredentialCombo(QComboBox* combo, const QList<StoredCredential>& list,
                         const QString& chosen, const QString& noneText) {
    combo->clear();
    combo->addItem(noneText, QString());
    for (const auto& c : list)
        combo->addItem(c.title, c.id);
    int index = combo->findData(chosen);
    if (index < 0) {
        combo->addItem(PreferencesPage::tr("%1 (no longer stored)").arg(chosen), chosen);
        index = combo->count() - 1;
    }
    combo->setCurrentIndex(index);
}
} // namespace

PreferencesPage::PreferencesPage(ServiceCatalog* catalog, QWidget* parent)
    : QWidget(parent), m_catalog(catalog) {
    setObjectName(QStringLiteral("preferencesPage"));
    auto* content = new QWidget(this);

    // Off pauses every automatic renewal (maintenance, or a second install restored from a
    // backup that must not renew the same certificates); requests by hand still run.
    m_automatic = new QCheckBox(tr("Renew certificates automaticall&y"), content);
    m_automatic->setObjectName(QStringLiteral("automaticRenewalCheck"));
    m_mode = makeCombo(QStringLiteral("defaultRenewalModeCombo"), tr("When to renew"), content);
    m_mode->addItem(tr("When this much of the lifetime has passed"),
                    QStringLiteral("percentageOfLifetime"));
    m_mode->addItem(tr("This many days before expiry"), QStringLiteral("daysBeforeExpiry"));
    m_mode->addItem(tr("This many days after issue"), QStringLiteral("daysAfterRenewal"));
    m_interval = makeSpin(QStringLiteral("defaultRenewalIntervalSpin"), tr("Renewal interval"), 1,
                          3650, QString(), content);
    connect(m_mode, &QComboBox::currentIndexChanged, this, &PreferencesPage::showIntervalUnit);
    showIntervalUnit();
    m_checkMinutes = makeSpin(QStringLiteral("checkIntervalSpin"),
                              tr("Check for due renewals every"), 1, 1440, tr(" min"), content);
    m_parallel = makeSpin(QStringLiteral("maxParallelSpin"), tr("Renewals at once"), 1, 64,
                          QString(), content);
    m_timeoutMinutes = makeSpin(QStringLiteral("renewalTimeoutSpin"), tr("Give up a renewal after"),
                                1, 1440, tr(" min"), content);
    m_pfxDefault =
        makeCombo(QStringLiteral("defaultPfxPasswordCombo"), tr("Default PFX password"), content);

    m_onFailure = new QCheckBox(tr("Tell me when a renewal &fails"), content);
    m_onFailure->setObjectName(QStringLiteral("notifyFailureCheck"));
    m_onSuccess = new QCheckBox(tr("Tell me when a renewal &succeeds"), content);
    m_onSuccess->setObjectName(QStringLiteral("notifySuccessCheck"));
    m_webhook = makeLine(QStringLiteral("webhookEdit"), tr("Webhook URL"), content);
    m_webhook->setPlaceholderText(QStringLiteral("https://hooks.example.com/certkeeper"));
    m_emailTo = makeLine(QStringLiteral("emailToEdit"), tr("Send email to"), content);
    m_emailTo->setPlaceholderText(tr("admin@example.com, ops@example.com"));
    m_smtpHost = makeLine(QStringLiteral("smtpHostEdit"), tr("SMTP server"), content);
    m_smtpPort =
        makeSpin(QStringLiteral("smtpPortSpin"), tr("SMTP port"), 1, 65535, QString(), content);
    m_smtpSecurity = makeCombo(QStringLiteral("smtpSecurityCombo"), tr("SMTP security"), content);
    m_smtpSecurity->addItem(tr("STARTTLS"), QStringLiteral("starttls"));
    m_smtpSecurity->addItem(tr("TLS"), QStringLiteral("tls"));
    m_smtpSecurity->addItem(tr("None (local relay only)"), QStringLiteral("none"));
    m_smtpUser = makeLine(QStringLiteral("smtpUserEdit"), tr("SMTP user name"), content);
    m_smtpPassword =
        makeCombo(QStringLiteral("smtpPasswordCombo"), tr("SMTP password credential"), content);
    m_smtpFrom = makeLine(QStringLiteral("smtpFromEdit"), tr("Sender address"), content);

    m_save = makeButton(tr("Sa&ve settings"), QStringLiteral("saveSettingsButton"), {}, this);
    m_testEmail =
        makeButton(tr("Send test ema&il"), QStringLiteral("testEmailButton"), {}, content);
    m_testWebhook =
        makeButton(tr("Send test we&bhook"), QStringLiteral("testWebhookButton"), {}, content);
    m_status = new ErrorLabel(QStringLiteral("preferencesStatus"), tr("Settings status"), this);
    connect(m_save, &QPushButton::clicked, this, &PreferencesPage::save);
    connect(m_testEmail, &QPushButton::clicked, this,
            [this] { sendTest(QStringLiteral("email")); });
    connect(m_testWebhook, &QPushButton::clicked, this,
            [this] { sendTest(QStringLiteral("webhook")); });
    connect(m_pfxDefault, &QComboBox::activated, this,
            [this] { m_pfxId = m_pfxDefault->currentData().toString(); });
    connect(m_smtpPassword, &QComboBox::activated, this,
            [this] { m_smtpPasswordId = m_smtpPassword->currentData().toString(); });

    auto* renewal = new QGroupBox(tr("Renewal defaults"), content);
    auto* renewalForm = new QFormLayout(renewal);
    renewalForm->addRow(m_automatic);
    renewalForm->addRow(makeCaption(tr("Rene&w:"), m_mode, renewal),
                        lineWith(m_mode, {m_interval}));
    renewalForm->addRow(makeCaption(tr("Chec&k every:"), m_checkMinutes, renewal), m_checkMinutes);
    renewalForm->addRow(makeCaption(tr("At &once:"), m_parallel, renewal), m_parallel);
    renewalForm->addRow(makeCaption(tr("&Give up after:"), m_timeoutMinutes, renewal),
                        m_timeoutMinutes);
    renewalForm->addRow(makeCaption(tr("Default &PFX password:"), m_pfxDefault, renewal),
                        m_pfxDefault);

    auto* notify = new QGroupBox(tr("Notifications"), content);
    auto* notifyForm = new QFormLayout(notify);
    notifyForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    notifyForm->addRow(m_onFailure);
    notifyForm->addRow(m_onSuccess);
    notifyForm->addRow(makeCaption(tr("Web&hook:"), m_webhook, notify),
                       lineWith(m_webhook, {m_testWebhook}));
    notifyForm->addRow(makeCaption(tr("Email &to:"), m_emailTo, notify),
                       lineWith(m_emailTo, {m_testEmail}));
    notifyForm->addRow(makeCaption(tr("SMTP se&rver:"), m_smtpHost, notify), m_smtpHost);
    notifyForm->addRow(makeCaption(tr("SMTP port:"), m_smtpPort, notify), m_smtpPort);
    notifyForm->addRow(makeCaption(tr("Sec&urity:"), m_smtpSecurity, notify), m_smtpSecurity);
    notifyForm->addRow(makeCaption(tr("User n&ame:"), m_smtpUser, notify), m_smtpUser);
    notifyForm->addRow(makeCaption(tr("Passwor&d:"), m_smtpPassword, notify), m_smtpPassword);
    notifyForm->addRow(makeCaption(tr("Sender:"), m_smtpFrom, notify), m_smtpFrom);
    notifyForm->addRow(makeHint(tr("“Send test” saves the settings first, then sends."), notify));

    auto* contentLayout = new QVBoxLayout(content);
    contentLayout->addWidget(renewal);
    contentLayout->addWidget(notify);
    contentLayout->addStretch();
    auto* scroll = new QScrollArea(this);
    scroll->setAccessibleName(tr("Service settings"));
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* bottom = new QHBoxLayout;
    bottom->addWidget(m_status, 1);
    bottom->addWidget(m_save, 0, Qt::AlignTop | Qt::AlignRight); // its own width, not the row's
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(scroll, 1);
    layout->addLayout(bottom);

    connect(catalog, &ServiceCatalog::loaded, this, &PreferencesPage::fillCredentials);
    fillCredentials();
    setAvailable(false);
    reload();
}

void PreferencesPage::showIntervalUnit() {
    const auto mode = renewalModeFromString(m_mode->currentData().toString());
    const RenewalMode shown = mode.value_or(RenewalMode::PercentageOfLifetime);
    m_interval->setRange(1, maxRenewalInterval(shown));
    m_interval->setSuffix(shown == RenewalMode::PercentageOfLifetime ? tr(" %") : tr(" days"));
}

void PreferencesPage::setAvailable(bool available) {
    for (QWidget* w : findChildren<QWidget*>())
        if (w != m_status && (qobject_cast<QAbstractButton*>(w) || qobject_cast<QComboBox*>(w) ||
                              qobject_cast<QAbstractSpinBox*>(w) || qobject_cast<QLineEdit*>(w)))
            w->setEnabled(available);
}

void PreferencesPage::fillCredentials() {
    fillCredentialCombo(m_pfxDefault, m_catalog->credentialsOfType(QStringLiteral("pfx-password")),
                        m_pfxId, tr("None: PFX files without a password"));
    fillCredentialCombo(m_smtpPassword, m_catalog->credentials(), m_smtpPasswordId,
                        tr("No password"));
}

void PreferencesPage::reload() {
    m_status->showInfo(tr("Reading the service's settings…"));
    m_catalog->client()->settings(
        this,
        [this](const Preferences& preferences) {
            load(preferences);
            setAvailable(true);
            m_status->clear();
        },
        [this](const ApiError& e) { showError(e); });
}

void PreferencesPage::load(const Preferences& p) {
    m_loaded = p;
    m_mode->setCurrentIndex(std::max(0, m_mode->findData(toString(p.renewal.mode))));
    m_interval->setValue(p.renewal.interval);
    m_automatic->setChecked(p.automaticRenewal);
    m_checkMinutes->setValue(p.renewalCheckIntervalMinutes);
    m_parallel->setValue(p.maxParallelRenewals);
    m_timeoutMinutes->setValue(p.renewalTimeoutMinutes);
    m_pfxId = p.defaultPfxPasswordCredentialId;
    const NotificationTargets& targets = p.notifications.targets;
    m_onFailure->setChecked(targets.onFailure);
    m_onSuccess->setChecked(targets.onSuccess);
    m_webhook->setText(targets.webhookUrl);
    m_emailTo->setText(targets.emailTo.join(QStringLiteral(", ")));
    const SmtpSettings& smtp = p.notifications.smtp;
    m_smtpHost->setText(smtp.host);
    m_smtpPort->setValue(smtp.port);
    m_smtpSecurity->setCurrentIndex(std::max(0, m_smtpSecurity->findData(toString(smtp.security))));
    m_smtpUser->setText(smtp.username);
    m_smtpPasswordId = smtp.passwordCredentialId;
    m_smtpFrom->setText(smtp.from);
    fillCredentials();
}

Preferences PreferencesPage::preferences() const {
    Preferences p = m_loaded;
    p.renewal.mode =
        renewalModeFromString(m_mode->currentData().toString()).value_or(p.renewal.mode);
    p.renewal.interval = m_interval->value();
    p.automaticRenewal = m_automatic->isChecked();
    p.renewalCheckIntervalMinutes = m_checkMinutes->value();
    p.maxParallelRenewals = m_parallel->value();
    p.renewalTimeoutMinutes = m_timeoutMinutes->value();
    p.defaultPfxPasswordCredentialId = m_pfxId;
    NotificationTargets& targets = p.notifications.targets;
    targets.onFailure = m_onFailure->isChecked();
    targets.onSuccess = m_onSuccess->isChecked();
    targets.webhookUrl = m_webhook->text().trimmed();
    static const QRegularExpression separators(QStringLiteral("[,;\\s]+"));
    targets.emailTo = m_emailTo->text().split(separators, Qt::SkipEmptyParts);
    SmtpSettings& smtp = p.notifications.smtp;
    smtp.host = m_smtpHost->text().trimmed();
    smtp.port = m_smtpPort->value();
    smtp.security =
        smtpSecurityFromString(m_smtpSecurity->currentData().toString()).value_or(smtp.security);
    smtp.username = m_smtpUser->text().trimmed();
    smtp.passwordCredentialId = m_smtpPasswordId;
    smtp.from = m_smtpFrom->text().trimmed();
    return p;
}

void PreferencesPage::save() {
    m_save->setEnabled(false);
    m_catalog->client()->updateSettings(
        preferences(), this,
        [this](const Preferences& stored) {
            m_save->setEnabled(true);
            load(stored);
            m_status->showInfo(tr("Saved."));
        },
        [this](const ApiError& e) {
            m_save->setEnabled(true);
            showError(e);
        });
}

void PreferencesPage::sendTest(const QString& channel) {
    m_status->showInfo(tr("Saving, then sending a test…"));
    m_catalog->client()->updateSettings(
        preferences(), this,
        [this, channel](const Preferences& stored) {
            load(stored);
            m_catalog->client()->testNotification(
                channel, this,
                [this](const QString& sent) {
                    m_status->showInfo(sent.isEmpty() ? tr("Sent.") : sent);
                },
                [this](const ApiError& e) { showError(e); });
        },
        [this](const ApiError& e) { showError(e); });
}

void PreferencesPage::showError(const ApiError& error) {
    m_status->showError(error, tr("these settings"));
}

} // namespace ck::gui
