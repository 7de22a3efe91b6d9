#include "gui/settings/CredentialDialog.h"

#include "client/ApiClient.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QJsonObject>
#include <QLineEdit>

namespace ck::gui {

CredentialDialog::CredentialDialog(ApiClient* client, const QList<CredentialType>& types,
                                   QWidget* parent)
    : FormDialog({QStringLiteral("credentialDialog"), tr("Store a credential"), tr("&Store"),
                  QStringLiteral("credentialStoreButton"), QStringLiteral("credentialFormError"),
                  tr("Problem storing"), 90},
                 parent),
      m_client(client), m_types(types) {
    m_type = new QComboBox(this);
    m_type->setObjectName(QStringLiteral("credentialTypeCombo"));
    m_type->setAccessibleName(tr("Credential type"));
    for (const CredentialType& t : types)
        if (t.nativeProvider.isEmpty()) // the built-in provider's credential is offered instead
            m_type->addItem(t.title, t.id);
    QFormLayout* form = makeForm();
    form->addRow(makeCaption(tr("&Type:"), m_type, this), m_type);
    m_title = addLineField(form, this, tr("&Name:"), QStringLiteral("title"),
                           QStringLiteral("credentialTitleEdit"),
                           QStringLiteral("credentialTitleError"), tr("Credential name"));
    m_title.edit->setPlaceholderText(tr("e.g. ns1 update key"));
    m_fieldsBox = new QWidget(this);
    m_fieldsForm = makeForm(m_fieldsBox);
    m_fieldsForm->setContentsMargins(0, 0, 0, 0);
    finish(form, {m_fieldsBox});
    connect(m_type, &QComboBox::currentIndexChanged, this, &CredentialDialog::typeChosen);
    typeChosen();
    m_title.edit->setFocus();
}

void CredentialDialog::selectType(const QString& type) {
    m_type->setCurrentIndex(std::max(0, m_type->findData(type)));
}

void CredentialDialog::typeChosen() {
    while (m_fieldsForm->rowCount() > 0)
        m_fieldsForm->removeRow(0);
    m_fields.clear();
    // The name's errors stay the name's; the fields' are those of the type chosen now.
    fieldErrors().clear();
    fieldErrors().add(FieldErrorRouter::exactly({QStringLiteral("title")}), m_title.error,
                      m_title.edit);
    CredentialType type;
    for (const CredentialType& t : m_types)
        if (t.id == m_type->currentData().toString())
            type = t;
    QList<QLineEdit*> secrets;
    for (const CredentialField& d : type.fields) {
        const QString caption =
            d.required ? tr("%1:").arg(d.title) : tr("%1 (optional):").arg(d.title);
        QLineEdit* edit =
            addLineField(m_fieldsForm, m_fieldsBox, caption, QStringLiteral("values.") + d.name,
                         QStringLiteral("credentialField_") + d.name,
                         QStringLiteral("credentialFieldError_") + d.name, d.title)
                .edit;
        edit->setText(d.defaultValue);
        edit->setToolTip(d.help);
        edit->setPlaceholderText(d.help);
        if (d.secret)
            secrets.append(edit);
        m_fields.insert(d.name, edit);
    }
    if (!secrets.isEmpty())
        m_fieldsForm->addRow(QString(), makeRevealCheck(secrets, m_fieldsBox));
    fitHeight(); // another type may have more fields
}

void CredentialDialog::submit() {
    QJsonObject values;
    for (auto it = m_fields.begin(); it != m_fields.end(); ++it)
        if (!it.value()->text().isEmpty())
            values[it.key()] = it.value()->text();
    setSending(true);
    m_client->addCredential(
        m_type->currentData().toString(), m_title.edit->text().trimmed(), values, this,
        [this](const StoredCredential& stored) {
            setSending(false);
            Q_EMIT created(stored.title);
            accept();
        },
        [this](const ApiError& error) { refused(error); });
}

} // namespace ck::gui
