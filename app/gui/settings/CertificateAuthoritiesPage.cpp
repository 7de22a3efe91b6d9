#include "gui/settings/CertificateAuthoritiesPage.h"

#include "gui/FormSupport.h"
#include "gui/ServiceCatalog.h"
#include "gui/settings/CustomCaDialog.h"

#include <QTreeWidgetItem>

namespace ck::gui {

CertificateAuthoritiesPage::CertificateAuthoritiesPage(ServiceCatalog* catalog, QWidget* parent)
    : ListPage(catalog,
               {QStringLiteral("certificateAuthoritiesPage"),
                QStringLiteral("caList"),
                tr("Certificate authorities"),
                {tr("Name"), tr("Directory"), tr("Needs EAB"), tr("Kind")},
                QStringLiteral("certificateAuthoritiesStatus"),
                tr("The service offers no certificate authority."),
                1}, // the directory URL gives way
               parent) {
    addButton(tr("Add c&ustom CA…"), QStringLiteral("addCaButton"),
              tr("Add a custom certificate authority"), Needs::Nothing,
              [this] { addCertificateAuthority(); });
    addRemoveButton(
        tr("Remove"), QStringLiteral("removeCaButton"), tr("Remove the selected custom CA"),
        {[](const QTreeWidgetItem& row) { return tr("Remove the custom CA %1?").arg(row.text(0)); },
         &ApiClient::deleteCertificateAuthority, tr("The CA was removed.")});
    finish();
}

QList<ListPage::Row> CertificateAuthoritiesPage::rows() const {
    QList<Row> rows;
    for (const CertificateAuthority& ca : catalog()->authorities()) {
        const bool builtIn = ca.builtIn || CustomCaDialog::isBuiltIn(ca.id);
        rows.append({ca.id,
                     {ca.title, ca.directoryUrl, ca.eabRequired ? tr("yes") : tr("no"),
                      builtIn ? tr("built in") : tr("custom")},
                     !builtIn});
    }
    return rows;
}

void CertificateAuthoritiesPage::addCertificateAuthority() {
    openForm(new CustomCaDialog(client(), this), &CustomCaDialog::added,
             [](const CertificateAuthority& ca) { return tr("Added the CA %1.").arg(ca.title); });
}

} // namespace ck::gui
