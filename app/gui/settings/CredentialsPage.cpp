#include "gui/settings/CredentialsPage.h"

#include "gui/FormSupport.h"
#include "gui/ServiceCatalog.h"
#include "gui/settings/CredentialDialog.h"

#include <QLocale>
#include <QPushButton>
#include <QTreeWidgetItem>

namespace ck::gui {

CredentialsPage::CredentialsPage(ServiceCatalog* catalog, QWidget* parent)
    : ListPage(catalog,
               {QStringLiteral("credentialsPage"),
                QStringLiteral("credentialList"),
                tr("Stored credentials"),
                {tr("Name"), tr("Type"), tr("Settings"), tr("Secrets"), tr("Stored")},
                QStringLiteral("credentialsStatus"),
                tr("No stored credentials yet. Add one for DNS updates, External Account "
                   "Binding, PFX passwords or the SMTP password."),
                2}, // the settings give way
               parent) {
    m_add = addButton(tr("&Add…"), QStringLiteral("addCredentialButton"),
                      tr("Store a new credential"), Needs::Nothing, [this] { addCredential(); });
    addButton(tr("&Test"), QStringLiteral("testCredentialButton"),
              tr("Test the selected credential"), Needs::Selection, [this] { testSelected(); });
    addRemoveButton(
        tr("&Remove"), QStringLiteral("removeCredentialButton"),
        tr("Remove the selected credential"),
        {[](const QTreeWidgetItem& row) {
             return tr("Remove the credential “%1”?\n\nIts secret is deleted; the service "
                       "cannot use it again.")
                 .arg(row.text(0));
         },
         &ApiClient::removeCredential, tr("The credential was removed.")});
    addHint(tr("Secrets are sealed by the service and never shown again; to change one, store a "
               "new credential and switch to it."));
    finish();

    m_add->setEnabled(false); // until the service has said which types there are
    client()->credentialTypes(
        this,
        [this](const QList<CredentialType>& types) {
            m_types = types;
            m_add->setEnabled(!types.isEmpty());
        },
        [this](const ApiError& e) { status()->showError(e); });
}

QList<ListPage::Row> CredentialsPage::rows() const {
    QList<Row> rows;
    for (const StoredCredential& c : catalog()->credentials()) {
        QStringList settings;
        for (auto it = c.fields.begin(); it != c.fields.end(); ++it)
            if (!it.value().toString().isEmpty())
                settings.append(QStringLiteral("%1 %2").arg(it.key(), it.value().toString()));
        QStringList secrets;
        for (const QString& s : c.secretFields)
            secrets.append(tr("%1 set").arg(s));
        rows.append({c.id,
                     {c.title, c.type, settings.join(QStringLiteral(", ")),
                      secrets.join(QStringLiteral(", ")),
                      QLocale().toString(c.dateCreated.toLocalTime(), QLocale::ShortFormat)}});
    }
    return rows;
}

void CredentialsPage::addCredential() {
    openForm(new CredentialDialog(client(), m_types, this), &CredentialDialog::created,
             [](const QString& title) { return tr("Stored “%1”.").arg(title); });
}

void CredentialsPage::testSelected() {
    const QString id = selectedId();
    if (id.isEmpty())
        return;
    status()->showInfo(tr("Testing…"));
    client()->testCredential(
        id, this,
        [this](const CredentialTest& result) {
            const QString& message = result.message;
            if (result.ok == false) {
                QStringList lines{message.isEmpty() ? tr("The credential does not work.")
                                                    : message};
                if (!result.advice.isEmpty())
                    lines << result.advice;
                status()->showMessages(lines);
            } else if (result.ok) {
                status()->showInfo(message.isEmpty() ? tr("The credential works.") : message);
            } else {
                status()->showInfo(message.isEmpty() ? tr("This credential cannot be tested here.")
                                                     : message);
            }
        },
        [this](const ApiError& e) { status()->showError(e, tr("testing credentials")); });
}

} // namespace ck::gui
