#include "CustomCaDialog.h"

#include "ApiClient.h"
#include "FormSupport.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace ck::gui {

bool CustomCaDialog::isBuiltIn(const QString& id) {
    for (const auto& ca : builtInCertificateAuthorities())
        if (ca.id == id)
            return true;
    return false;
}

CustomCaDialog::CustomCaDialog(ApiClient* client, QWidget* parent)
    : QDialog(parent), m_client(client) {
    setObjectName(QStringLiteral("customCaDialog"));
    setWindowTitle(tr("Add a certificate authority"));
    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    // Each field with its error label under it; `field` is the service's name for it.
    const auto addField = [&](const QString& caption, const QString& field, const QString& name,
                              const QString& placeholder, QWidget* extra = nullptr) {
        auto* edit = new QLineEdit(this);
        edit->setObjectName(name);
        edit->setAccessibleName(QString(caption).remove(u'&').remove(u':'));
        edit->setPlaceholderText(placeholder);
        auto* error = new ErrorLabel(name + QStringLiteral("Error"),
                                     tr("Problem with %1").arg(edit->accessibleName()), this);
        m_errors.append({field, error});
        QWidget* input = edit;
        if (extra) {
            input = new QWidget(this);
            auto* line = new QHBoxLayout(input);
            line->setContentsMargins(0, 0, 0, 0);
            line->addWidget(edit, 1);
            line->addWidget(extra);
        }
        form->addRow(makeCaption(caption, edit, this), column(this, {input, error}));
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
    m_formError = new ErrorLabel(QStringLiteral("caFormError"), tr("Problem adding the CA"), this);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_add = buttons->addButton(tr("&Add"), QDialogButtonBox::AcceptRole);
    m_add->setObjectName(QStringLiteral("caAddButton"));
    m_add->setDefault(true);
    connect(m_add, &QPushButton::clicked, this, &CustomCaDialog::submit);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_formError);
    layout->addStretch();
    layout->addWidget(buttons);
    m_id->setFocus();
    resize(fontMetrics().averageCharWidth() * 80, sizeHint().height());
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
    m_add->setEnabled(false);
    m_client->addCertificateAuthority(
        ca, this,
        [this](const CertificateAuthority& stored) {
            m_add->setEnabled(true);
            Q_EMIT added(stored);
            accept();
        },
        [this](const ApiError& error) {
            m_add->setEnabled(true);
            const QList<FieldError> fields = fieldErrorsOf(error);
            QStringList other;
            for (auto& [field, label] : m_errors) {
                QStringList mine;
                for (const FieldError& fe : fields)
                    if (fe.field == field)
                        mine.append(fe.detail);
                label->showMessages(mine);
            }
            for (const FieldError& fe : fields) {
                const bool known = std::any_of(m_errors.begin(), m_errors.end(),
                                               [&](const auto& e) { return e.first == fe.field; });
                if (!known)
                    other.append(fe.detail);
            }
            if (fields.isEmpty())
                other.append(describeError(error));
            m_formError->showMessages(other);
        });
}

} // namespace ck::gui
