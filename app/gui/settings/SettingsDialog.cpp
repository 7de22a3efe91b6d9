#include "gui/settings/SettingsDialog.h"

#include "gui/FormSupport.h"
#include "gui/ServiceCatalog.h"
#include "gui/settings/AccountsPage.h"
#include "gui/settings/CertificateAuthoritiesPage.h"
#include "gui/settings/ConnectionsPage.h"
#include "gui/settings/CredentialsPage.h"
#include "gui/settings/PreferencesPage.h"

#include <QDialogButtonBox>
#include <QGroupBox>
#include <QMessageBox>
#include <QPushButton>
#include <QTabWidget>
#include <QVBoxLayout>

namespace ck::gui {

namespace {
// Pages one under the other, each in a box with its title.
QWidget* stacked(QWidget* parent, const QString& objectName,
                 std::initializer_list<std::pair<QString, QWidget*>> pages) {
    auto* tab = new QWidget(parent);
    tab->setObjectName(objectName);
    auto* layout = new QVBoxLayout(tab);
    for (const auto& [title, page] : pages) {
        auto* box = new QGroupBox(title, tab);
        auto* boxLayout = new QVBoxLayout(box);
        boxLayout->setContentsMargins(0, 0, 0, 0);
        page->setParent(box);
        boxLayout->addWidget(page);
        layout->addWidget(box, 1);
    }
    return tab;
}
} // namespace

bool askToConfirm(QWidget* parent, const QString& question) {
    QMessageBox box(QMessageBox::Warning, SettingsDialog::tr("Remove"), question,
                    QMessageBox::Cancel, parent);
    QPushButton* remove =
        box.addButton(SettingsDialog::tr("&Remove"), QMessageBox::DestructiveRole);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    return box.clickedButton() == remove;
}

SettingsDialog::SettingsDialog(ApiClient* client, const QString& dataDir, QWidget* parent)
    : QDialog(parent), m_catalog(new ServiceCatalog(client, this)) {
    setObjectName(QStringLiteral("settingsDialog"));
    setWindowTitle(tr("Settings"));
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("settingsTabs"));
    m_accounts = new AccountsPage(m_catalog, m_tabs);
    m_authorities = new CertificateAuthoritiesPage(m_catalog, m_tabs);
    m_credentials = new CredentialsPage(m_catalog, m_tabs);
    m_preferences = new PreferencesPage(m_catalog, m_tabs);
    m_connections = new ConnectionsPage(dataDir, m_tabs);
    m_tabs->addTab(stacked(m_tabs, QStringLiteral("accountsPage"),
                           {{tr("ACME accounts"), m_accounts},
                            {tr("Certificate authorities"), m_authorities}}),
                   tr("A&ccounts and CAs"));
    m_tabs->addTab(m_credentials, tr("Credentia&ls"));
    m_tabs->addTab(m_preferences, tr("Renewal and &notifications"));
    m_tabs->addTab(m_connections, tr("Conn&ections"));
    connect(m_connections, &ConnectionsPage::serversChanged, this, &SettingsDialog::serversChanged);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->button(QDialogButtonBox::Close)->setObjectName(QStringLiteral("settingsCloseButton"));
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(buttons);
    setConfirmation(askToConfirm);
    m_catalog->refresh();
    resizeInText(this, 130, 36); // the CAs' directory addresses in full
}

void SettingsDialog::showPage(Page page) {
    m_tabs->setCurrentIndex(static_cast<int>(page));
}

void SettingsDialog::setConfirmation(Confirmation confirm) {
    m_accounts->setConfirmation(confirm);
    m_authorities->setConfirmation(confirm);
    m_credentials->setConfirmation(confirm);
    m_connections->setConfirmation(confirm);
}

} // namespace ck::gui
