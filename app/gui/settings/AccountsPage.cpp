#include "AccountsPage.h"

#include "ApiClient.h"
#include "CustomCaDialog.h"
#include "FormSupport.h"
#include "RegisterAccountDialog.h"
#include "ServiceCatalog.h"

#include <QGroupBox>
#include <QHBoxLayout>
#include <QLocale>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace ck::gui {

namespace {
QString selectedId(const QTreeWidget* table) {
    const QTreeWidgetItem* item = table->currentItem();
    return item ? item->data(0, Qt::UserRole).toString() : QString();
}

QGroupBox* box(const QString& title, QWidget* table, std::initializer_list<QPushButton*> buttons,
               QWidget* parent) {
    auto* group = new QGroupBox(title, parent);
    auto* layout = new QVBoxLayout(group);
    layout->addLayout(listWithButtons(table, buttons));
    return group;
}
} // namespace

AccountsPage::AccountsPage(ServiceCatalog* catalog, QWidget* parent)
    : QWidget(parent), m_catalog(catalog) {
    setObjectName(QStringLiteral("accountsPage"));
    m_accounts = makeTable(
        QStringLiteral("accountList"), tr("ACME accounts"),
        {tr("CA"), tr("Environment"), tr("Contact"), tr("Status"), tr("Registered")}, this);
    m_register = makeButton(tr("Re&gister…"), QStringLiteral("registerAccountButton"),
                            tr("Register an ACME account"), this);
    m_removeAccount = makeButton(tr("Remove"), QStringLiteral("removeAccountButton"),
                                 tr("Remove the selected account"), this);
    m_authorities = makeTable(QStringLiteral("caList"), tr("Certificate authorities"),
                              {tr("Name"), tr("Directory"), tr("Needs EAB"), tr("Kind")}, this);
    m_addCa = makeButton(tr("Add c&ustom CA…"), QStringLiteral("addCaButton"),
                         tr("Add a custom certificate authority"), this);
    m_removeCa = makeButton(tr("Remove"), QStringLiteral("removeCaButton"),
                            tr("Remove the selected custom CA"), this);
    m_status = new ErrorLabel(QStringLiteral("accountsStatus"), tr("Accounts status"), this);
    connect(m_register, &QPushButton::clicked, this, &AccountsPage::registerAccount);
    connect(m_removeAccount, &QPushButton::clicked, this, &AccountsPage::removeAccount);
    connect(m_addCa, &QPushButton::clicked, this, &AccountsPage::addCertificateAuthority);
    connect(m_removeCa, &QPushButton::clicked, this, &AccountsPage::removeCertificateAuthority);
    connect(m_accounts, &QTreeWidget::currentItemChanged, this, &AccountsPage::updateButtons);
    connect(m_authorities, &QTreeWidget::currentItemChanged, this, &AccountsPage::updateButtons);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(box(tr("ACME accounts"), m_accounts, {m_register, m_removeAccount}, this), 1);
    layout->addWidget(
        box(tr("Certificate authorities"), m_authorities, {m_addCa, m_removeCa}, this), 1);
    layout->addWidget(m_status);
    connect(catalog, &ServiceCatalog::loaded, this, &AccountsPage::fill);
    fill();
}

void AccountsPage::fill() {
    if (!m_catalog->problem().isEmpty())
        m_status->showMessages({m_catalog->problem()});
    const QString account = selectedId(m_accounts);
    m_accounts->clear();
    for (const AcmeAccount& a : m_catalog->accounts()) {
        const CertificateAuthority* ca = m_catalog->authority(a.certificateAuthorityId);
        auto* row = new QTreeWidgetItem(
            m_accounts, {ca ? ca->title : a.certificateAuthorityId,
                         a.staging ? tr("Staging (test)") : tr("Production"), a.email, a.status,
                         QLocale().toString(a.dateCreated.toLocalTime(), QLocale::ShortFormat)});
        row->setData(0, Qt::UserRole, a.id);
        if (a.id == account)
            m_accounts->setCurrentItem(row);
    }
    const QString authority = selectedId(m_authorities);
    m_authorities->clear();
    for (const CertificateAuthority& ca : m_catalog->authorities()) {
        auto* row = new QTreeWidgetItem(
            m_authorities,
            {ca.title, ca.directoryUrl, ca.eabRequired ? tr("yes") : tr("no"),
             ca.builtIn || CustomCaDialog::isBuiltIn(ca.id) ? tr("built in") : tr("custom")});
        row->setData(0, Qt::UserRole, ca.id);
        if (ca.id == authority)
            m_authorities->setCurrentItem(row);
    }
    updateButtons();
}

void AccountsPage::updateButtons() {
    m_removeAccount->setEnabled(!selectedId(m_accounts).isEmpty());
    const QString ca = selectedId(m_authorities);
    m_removeCa->setEnabled(!ca.isEmpty() && !CustomCaDialog::isBuiltIn(ca));
}

void AccountsPage::registerAccount() {
    auto* dialog = new RegisterAccountDialog(m_catalog, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &RegisterAccountDialog::registered, this, [this](const AcmeAccount& account) {
        m_status->showInfo(tr("Registered %1 with the CA.").arg(account.email));
        m_catalog->refresh();
    });
    dialog->open();
}

void AccountsPage::addCertificateAuthority() {
    auto* dialog = new CustomCaDialog(m_catalog->client(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &CustomCaDialog::added, this, [this](const CertificateAuthority& ca) {
        m_status->showInfo(tr("Added the CA %1.").arg(ca.title));
        m_catalog->refresh();
    });
    dialog->open();
}

void AccountsPage::removeAccount() {
    const QTreeWidgetItem* row = m_accounts->currentItem();
    if (!row)
        return;
    const QString id = row->data(0, Qt::UserRole).toString();
    if (!m_confirm(this, tr("Remove the account %1 with %2?\n\nCertificates of this CA cannot be "
                            "requested or renewed until another account is registered. The CA "
                            "keeps the account; its key is deleted here.")
                             .arg(row->text(2), row->text(0))))
        return;
    m_catalog->client()->removeAccount(
        id, this,
        [this](const QString&) {
            m_status->showInfo(tr("The account was removed."));
            m_catalog->refresh();
        },
        [this](const ApiError& e) { m_status->showError(e); });
}

void AccountsPage::removeCertificateAuthority() {
    const QTreeWidgetItem* row = m_authorities->currentItem();
    if (!row)
        return;
    const QString id = row->data(0, Qt::UserRole).toString();
    if (!m_confirm(this, tr("Remove the custom CA %1?").arg(row->text(0))))
        return;
    m_catalog->client()->deleteCertificateAuthority(
        id, this,
        [this](const QString&) {
            m_status->showInfo(tr("The CA was removed."));
            m_catalog->refresh();
        },
        [this](const ApiError& e) { m_status->showError(e); });
}

} // namespace ck::gui
