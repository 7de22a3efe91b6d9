#include "gui/CertificateEditorDialog.h"

#include "client/ApiClient.h"
#include "editor/AuthorizationTab.h"
#include "editor/CertificateTab.h"
#include "editor/DeploymentTab.h"
#include "editor/LogTab.h"
#include "editor/PreviewTab.h"
#include "editor/StatusTab.h"
#include "gui/EditionPrompts.h"
#include "gui/FormSupport.h"
#include "gui/ServiceCatalog.h"
#include "settings/SettingsDialog.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace ck::gui {

namespace {
bool isRunning(const ManagedCertificate& item) {
    return item.lastRenewalStatus == RequestState::Queued ||
           item.lastRenewalStatus == RequestState::Running;
}

} // namespace

CertificateEditorDialog::CertificateEditorDialog(ApiClient* client, ManagedCertificate item,
                                                 QWidget* parent)
    : QDialog(parent), m_client(client), m_catalog(new ServiceCatalog(client, this)),
      m_base(std::move(item)) {
    setObjectName(QStringLiteral("certificateEditor"));
    setWindowTitle(m_base.id.isEmpty() ? tr("New certificate")
                                       : tr("Edit certificate — %1").arg(m_base.name));

    EditorContext context;
    context.client = client;
    context.patient.timeout = kPatientTimeout;
    context.catalog = m_catalog;
    context.currentItem = [this] { return currentItem(); };
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("editorTabs"));
    m_certificateTab = new CertificateTab(context, m_tabs);
    m_authorizationTab = new AuthorizationTab(context, m_tabs);
    m_deploymentTab = new DeploymentTab(context, m_tabs);
    m_previewTab = new PreviewTab(context, m_tabs);
    m_logTab = new LogTab(context, m_tabs);
    m_statusTab = new StatusTab(context, m_tabs);
    m_tabs->addTab(m_certificateTab, tr("C&ertificate"));
    m_tabs->addTab(m_authorizationTab, tr("Aut&horization"));
    m_tabs->addTab(m_deploymentTab, tr("Deplo&yment"));
    m_tabs->addTab(m_previewTab, tr("Pre&view"));
    m_tabs->addTab(m_logTab, tr("&Log"));
    m_tabs->addTab(m_statusTab, tr("Stat&us"));
    m_allTabs = {m_certificateTab, m_authorizationTab, m_deploymentTab,
                 m_previewTab,     m_logTab,           m_statusTab};
    for (EditorTab* tab : m_allTabs)
        connect(tab, &EditorTab::edited, this, &CertificateEditorDialog::tabEdited);
    connect(m_certificateTab, &CertificateTab::accountsRequested, this,
            &CertificateEditorDialog::openAccounts);

    m_conflictLabel = new QLabel(this);
    m_conflictLabel->setObjectName(QStringLiteral("conflictLabel"));
    m_conflictLabel->setAccessibleName(tr("Changed by someone else"));
    m_conflictLabel->setWordWrap(true);
    m_conflictLabel->setTextFormat(Qt::PlainText);
    m_conflictLabel->hide();
    m_reloadButton = new QPushButton(tr("&Reload their version"), this);
    m_reloadButton->setObjectName(QStringLiteral("reloadButton"));
    m_reloadButton->setAutoDefault(false);
    m_reloadButton->hide();
    connect(m_reloadButton, &QPushButton::clicked, this,
            &CertificateEditorDialog::reloadTheirVersion);
    m_formError = new ErrorLabel(QStringLiteral("formError"), tr("Problem saving"), this);
    m_requestStatus = new QLabel(this);
    m_requestStatus->setObjectName(QStringLiteral("requestStatus"));
    m_requestStatus->setWordWrap(true);
    m_requestStatus->setTextFormat(Qt::PlainText);
    m_requestStatus->hide();
    m_requestPoll = new QTimer(this);
    m_requestPoll->setInterval(kStatusPollMs);
    connect(m_requestPoll, &QTimer::timeout, this, &CertificateEditorDialog::pollRequest);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(m_conflictLabel);
    layout->addWidget(m_reloadButton, 0, Qt::AlignLeft);
    layout->addWidget(m_formError);
    layout->addWidget(m_requestStatus);
    createButtons();

    loadTabs(m_base);
    m_catalog->refresh();
    m_certificateTab->nameEdit()->setFocus();
    resizeInText(this, 130, 46); // room for the preview's text and the log's lines
}

void CertificateEditorDialog::createButtons() {
    auto* buttons = new QDialogButtonBox(this);
    m_saveButton = buttons->addButton(QDialogButtonBox::Save);
    m_saveButton->setObjectName(QStringLiteral("saveButton"));
    m_saveButton->setDefault(true);
    m_requestButton = buttons->addButton(tr("Save and re&quest"), QDialogButtonBox::ApplyRole);
    m_requestButton->setObjectName(QStringLiteral("requestButton"));
    m_requestButton->setAccessibleName(tr("Save and request the certificate now"));
    m_closeButton = buttons->addButton(QDialogButtonBox::Cancel);
    m_closeButton->setObjectName(QStringLiteral("closeButton"));
    connect(m_saveButton, &QPushButton::clicked, this, &CertificateEditorDialog::save);
    connect(m_requestButton, &QPushButton::clicked, this, &CertificateEditorDialog::saveAndRequest);
    connect(m_closeButton, &QPushButton::clicked, this, &QDialog::reject);
    layout()->addWidget(buttons);
}

ManagedCertificate CertificateEditorDialog::currentItem() const {
    ManagedCertificate item = m_base;
    for (const EditorTab* tab : m_allTabs)
        tab->apply(item);
    return item;
}

void CertificateEditorDialog::loadTabs(const ManagedCertificate& item) {
    m_loading = true;
    for (EditorTab* tab : m_allTabs)
        tab->load(item);
    m_loading = false;
}

void CertificateEditorDialog::tabEdited() {
    if (m_loading)
        return;
    m_edited = true;
    m_previewTab->itemChanged();
}

void CertificateEditorDialog::save() {
    store(AfterSave::Close);
}

void CertificateEditorDialog::saveAndRequest() {
    if (!m_edited && !m_base.id.isEmpty()) {
        startRequest(); // nothing to save
        return;
    }
    store(AfterSave::Request);
}

void CertificateEditorDialog::store(AfterSave next) {
    clearErrors();
    setBusy(true);
    const auto done = [this, next](const ManagedCertificate& item) { stored(item, next); };
    const auto failed = [this](const ApiError& error) {
        setBusy(false);
        showError(error);
    };
    const ManagedCertificate item = currentItem();
    if (item.id.isEmpty())
        m_client->createItem(item, this, done, failed);
    else
        m_client->updateItem(item, this, done, failed);
}

void CertificateEditorDialog::stored(const ManagedCertificate& item, AfterSave next) {
    setBusy(false);
    m_base = item;
    m_edited = false;
    setWindowTitle(tr("Edit certificate — %1").arg(item.name));
    Q_EMIT saved(item);
    if (next == AfterSave::Close) {
        accept();
        return;
    }
    loadTabs(m_base); // the service's normalised names, the tasks' new ids
    startRequest();
}

void CertificateEditorDialog::startRequest() {
    const QString id = m_base.id;
    m_requestButton->setEnabled(false);
    m_requestStatus->setText(tr("Asking the service to request the certificate…"));
    m_requestStatus->show();
    m_client->requestCertificate(
        id, this,
        [this](const RequestStarted&) {
            m_requestStatus->setText(tr("Requesting: the log shows each step."));
            m_tabs->setCurrentWidget(m_logTab);
            m_requestPoll->start();
        },
        [this](const ApiError& error) {
            m_requestButton->setEnabled(true);
            m_requestStatus->setText(describeError(error));
        });
}

void CertificateEditorDialog::pollRequest() {
    m_client->getItem(
        m_base.id, this,
        [this](const ManagedCertificate& now) {
            // The request records its outcome on the item (a new version): adopt it as the base,
            // keeping what the user typed meanwhile (the tabs still hold it), or the next Save
            // would be refused as a conflict.
            m_base = now;
            m_statusTab->load(now);
            if (isRunning(now))
                return;
            m_requestPoll->stop();
            m_requestButton->setEnabled(true);
            if (!m_edited)
                loadTabs(now);
            const ManagedCertificate& done = m_base;
            m_requestStatus->setText(
                done.lastRenewalStatus == RequestState::Success
                    ? tr("Issued: valid until %1.")
                          .arg(QLocale().toString(done.dateExpiry.toLocalTime(),
                                                  QLocale::ShortFormat))
                    : tr("The request failed: %1").arg(done.renewalFailureMessage));
            Q_EMIT saved(done);
        },
        [this](const ApiError& error) { m_requestStatus->setText(describeError(error)); });
}

void CertificateEditorDialog::reloadTheirVersion() {
    setBusy(true);
    m_client->getItem(
        m_base.id, this,
        [this](const ManagedCertificate& theirs) {
            setBusy(false);
            m_base = theirs; // the next Save goes against their version: no second conflict
            m_reloadButton->hide();
            m_statusTab->load(theirs);
            m_conflictLabel->setText(
                tr("Loaded their version %1: name “%2”, domains %3.\nYour changes are kept: "
                   "Save to replace their version with yours, or Cancel to keep theirs.")
                    .arg(theirs.version)
                    .arg(theirs.name, theirs.domains().join(QStringLiteral(", "))));
        },
        [this](const ApiError& error) {
            setBusy(false);
            showError(error);
        });
}

void CertificateEditorDialog::showError(const ApiError& error) {
    clearErrors();
    if (error.kind == ApiError::Kind::Conflict) {
        m_conflictLabel->setText(tr("Someone else saved this certificate while you were editing "
                                    "it (%1). Your changes are kept. Reload their version to see "
                                    "what they changed; Save then replaces it with yours.")
                                     .arg(error.detail));
        m_conflictLabel->show();
        m_reloadButton->show();
        m_reloadButton->setFocus();
        return;
    }
    if (error.kind == ApiError::Kind::LimitReached) {
        offerLicense(error);
        return;
    }
    if (error.kind == ApiError::Kind::NotFound && !m_base.id.isEmpty() && !isMissingRoute(error)) {
        m_base.id.clear();
        m_base.version = 0;
        m_formError->showMessages(
            {tr("This certificate was deleted by someone else meanwhile. Your changes are kept: "
                "Save to create it again as a new certificate.")});
        return;
    }
    QList<FieldError> rest = fieldErrorsOf(error);
    EditorTab* first = nullptr;
    for (EditorTab* tab : m_allTabs) {
        const qsizetype before = rest.size();
        rest = tab->showErrors(rest);
        if (!first && rest.size() < before)
            first = tab;
    }
    m_formError->showMessages(remainingMessages(error, rest));
    if (first) // where the fix is
        m_tabs->setCurrentWidget(first);
}

void CertificateEditorDialog::offerLicense(const ApiError& error) {
    // The explanation stays under the tabs after the box is closed; nothing typed is touched.
    m_formError->showMessages({error.detail});
    offerLicenseKey(this, m_client, error, [this](const LicenseInfo& info) {
        m_formError->showInfo(tr("The license key is active (%1). Save adds the certificate now.")
                                  .arg(info.editionTitle()));
        m_saveButton->setFocus();
        Q_EMIT licenseChanged(info);
    });
}

void CertificateEditorDialog::clearErrors() {
    for (EditorTab* tab : m_allTabs)
        tab->clearErrors();
    m_formError->clear();
    m_conflictLabel->hide();
    m_reloadButton->hide();
}

void CertificateEditorDialog::setBusy(bool busy) {
    m_saveButton->setEnabled(!busy);
    m_requestButton->setEnabled(!busy && !m_requestPoll->isActive());
    m_reloadButton->setEnabled(!busy);
    for (EditorTab* tab : m_allTabs)
        tab->setReadOnly(busy);
}

void CertificateEditorDialog::openAccounts() {
    auto* settings = new SettingsDialog(m_client, m_client->dataDir(), this);
    settings->setAttribute(Qt::WA_DeleteOnClose);
    settings->showPage(SettingsDialog::Page::Accounts);
    connect(settings, &QDialog::finished, m_catalog, &ServiceCatalog::refresh);
    settings->open();
}

} // namespace ck::gui
