#include "gui/settings/AccountsPage.h"

#include "gui/FormSupport.h"
#include "gui/ServiceCatalog.h"
#include "gui/settings/RegisterAccountDialog.h"

#include <QLocale>
#include <QTreeWidgetItem>

namespace ck::gui {

AccountsPage::AccountsPage(ServiceCatalog* catalog, QWidget* parent)
    : ListPage(catalog,
               {QStringLiteral("acmeAccountsPage"),
                QStringLiteral("accountList"),
                tr("ACME accounts"),
                {tr("CA"), tr("Environment"), tr("Contact"), tr("Status"), tr("Registered")},
                QStringLiteral("accountsStatus"),
                tr("No ACME accounts yet. Register one with each CA you request certificates "
                   "from."),
                2}, // the contact address gives way
               parent) {
    addButton(tr("Re&gister…"), QStringLiteral("registerAccountButton"),
              tr("Register an ACME account"), Needs::Nothing, [this] { registerAccount(); });
    addRemoveButton(
        tr("Remove"), QStringLiteral("removeAccountButton"), tr("Remove the selected account"),
        {[](const QTreeWidgetItem& row) {
             return tr("Remove the account %1 with %2?\n\nCertificates of this CA cannot be "
                       "requested or renewed until another account is registered. The CA keeps "
                       "the account; its key is deleted here.")
                 .arg(row.text(2), row.text(0));
         },
         &ApiClient::removeAccount, tr("The account was removed.")});
    finish();
}

QList<ListPage::Row> AccountsPage::rows() const {
    QList<Row> rows;
    for (const AcmeAccount& a : catalog()->accounts()) {
        const CertificateAuthority* ca = catalog()->authority(a.certificateAuthorityId);
        rows.append({a.id,
                     {ca ? ca->title : a.certificateAuthorityId,
                      a.staging ? tr("Staging (test)") : tr("Production"), a.email, a.status,
                      QLocale().toString(a.dateCreated.toLocalTime(), QLocale::ShortFormat)}});
    }
    return rows;
}

void AccountsPage::registerAccount() {
    openForm(new RegisterAccountDialog(catalog(), this), &RegisterAccountDialog::registered,
             [](const AcmeAccount& account) {
                 return tr("Registered %1 with the CA.").arg(account.email);
             });
}

} // namespace ck::gui
