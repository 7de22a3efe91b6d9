#include "gui/settings/CustomCaDialog.h"

#include "client/ApiClient.h"

#include <QCheckBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QLineEdit>
#include <QPushButton>

namespace ck::gui {

bool CustomCaDialog::isBuiltIn(const QString& id) {
    for (const auto& ca : builtInCertificateAuthorities())
        if (ca.id == id)
            return true;
    return false;
}

CustomCaDialog::CustomCaDialog(ApiClient* client, QWidget* parent)
    : FormDialog({QStringLiteral("customCaDialog"), tr("Add a certificate authority"), tr("&Add"),
                  QStringLiteral("caAddButton"), QStringLiteral("caFormError"),
                  tr("Problem adding the CA"), 80},
                 parent),
      m_client(client) {
    QFormLayout* form = makeForm();
    // Each field with its error label under it; `field` is the service's name for it.
    const auto addField = [&](const QString& caption, const QString& field, const QString& name,
                              const QString& placeholder, QWidget* beside = nullptr) {
        QLineEdit* edit =
            addLineField(form, this, caption, field, name, name + QStringLiteral("Error"),
                         QString(caption).remove(u'&').remove(u':'), beside)
                .edit;
        edit->setPlaceholderText(placeholder);
        return edit;
    };
    m_id = addField(tr("&Id:"), QStringLiteral("id"), QStringLiteral("caIdEdit"),
                    tr("a short name, e.g. internal-ca"));
    m_title = addField(tr("&Name:"), QStringLiteral("title"), QStringLiteral("caTitleEdit"),
                       tr("as shown in lists, e.g. Our internal CA"));
    m_directory = addField(tr("&Directory URL:"), QStringLiteral("directoryUrl"),
                           QStringLiteral("caDirectoryEdit"),
                           QStringLiteral("https://ca.example.com/acme/directory"));
    m_staging = addField(tr("&Staging directory:"), QStringLiteral("stagingDirectoryUrl"),
                         QStringLiteral("caStagingEdit"), tr("optional"));
    auto* browse = makeButton(tr("&Browse…"), QStringLiteral("caRootBrowseButton"),
                              tr("Choose the root certificate file"), this);
    m_root = addField(tr("&Trusted root:"), QStringLiteral("trustedRootFile"),
                      QStringLiteral("caRootEdit"),
                      tr("optional: PEM file of the root the CA's own HTTPS uses"), browse);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString file =
            QFileDialog::getOpenFileName(this, tr("Root certificate"), m_root->text(),
                                         tr("Certificates (*.pem *.crt);;All (*)"));
        if (!file.isEmpty())
            m_root->setText(file);
    });
    m_website = addField(tr("&Website:"), QStringLiteral("website"),
                         QStringLiteral("caWebsiteEdit"), tr("optional: where its terms are"));
    m_eab = new QCheckBox(tr("Accounts need &External Account Binding"), this);
    m_eab->setObjectName(QStringLiteral("caEabCheck"));
    form->addRow(QString(), m_eab);
    finish(form);
    m_id->setFocus();
}

void CustomCaDialog::submit() {
    CertificateAuthority ca;
    ca.id = m_id->text().trimmed();
    ca.title = m_title->text().trimmed();
    ca.directoryUrl = m_directory->text().trimmed();
    ca.stagingDirectoryUrl = m_staging->text().trimmed();
    ca.trustedRootFile = m_root->text().trimmed();
    ca.website = m_website->text().trimmed();
    ca.eabRequired = m_eab->isChecked();
    setSending(true);
    m_client->addCertificateAuthority(
        ca, this,
        [this](const CertificateAuthority& stored) {
            setSending(false);
            Q_EMIT added(stored);
            accept();
        },
        [this](const ApiError& error) { refused(error); });
}

} // namespace ck::gui
