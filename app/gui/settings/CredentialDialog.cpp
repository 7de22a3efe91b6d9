#include "CredentialDialog.h"

#include "ApiClient.h"
#include "FormSupport.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QJsonObject>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace ck::gui {

CredentialDialog::CredentialDialog(ApiClient* client, const QList<CredentialType>& types,
                                   QWidget* parent)
    : QDialog(parent), m_client(client), m_types(types) {
    setObjectName(QStringLiteral("credentialDialog"));
    setWindowTitle(tr("Store a credential"));
    m_type = new QComboBox(this);
    m_type->setObjectName(QStringLiteral("credentialTypeCombo"));
    m_type->setAccessibleName(tr("Credential type"));
    for (const CredentialType& t : types)
        m_type->addItem(t.title, t.id);
    m_title = new QLineEdit(this);
    m_title->setObjectName(QStringLiteral("credentialTitleEdit"));
    m_title->setAccessibleName(tr("Credential name"));
    m_title->setPlaceholderText(tr("e.g. ns1 update key"));
    m_titleError =
        new ErrorLabel(QStringLiteral("credentialTitleError"), tr("Problem with the name"), this);
    m_fieldsBox = new QWidget(this);
    m_fieldsForm = new QFormLayout(m_fieldsBox);
    m_fieldsForm->setContentsMargins(0, 0, 0, 0);
    m_fieldsForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_formError =
        new ErrorLabel(QStringLiteral("credentialFormError"), tr("Problem storing"), this);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_store = buttons->addButton(tr("&Store"), QDialogButtonBox::AcceptRole);
    m_store->setObjectName(QStringLiteral("credentialStoreButton"));
    m_store->setDefault(true);
    connect(m_store, &QPushButton::clicked, this, &CredentialDialog::submit);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(makeCaption(tr("&Type:"), m_type, this), m_type);
    form->addRow(makeCaption(tr("&Name:"), m_title, this), column(this, {m_title, m_titleError}));
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_fieldsBox);
    layout->addWidget(m_formError);
    layout->addStretch();
    layout->addWidget(buttons);
    connect(m_type, &QComboBox::currentIndexChanged, this, &CredentialDialog::typeChosen);
    typeChosen();
    m_title->setFocus();
    resize(fontMetrics().averageCharWidth() * 70, sizeHint().height());
}

void CredentialDialog::selectType(const QString& type) {
    m_type->setCurrentIndex(std::max(0, m_type->findData(type)));
}

void CredentialDialog::typeChosen() {
    while (m_fieldsForm->rowCount() > 0)
        m_fieldsForm->removeRow(0);
    m_fields.clear();
    CredentialType type;
    for (const CredentialType& t : m_types)
        if (t.id == m_type->currentData().toString())
            type = t;
    QList<QLineEdit*> secrets;
    for (const CredentialField& d : type.fields) {
        const QString& name = d.name;
        const QString& title = d.title;
        Field field;
        field.edit = new QLineEdit(d.defaultValue, m_fieldsBox);
        field.edit->setObjectName(QStringLiteral("credentialField_") + name);
        field.edit->setAccessibleName(title);
        field.edit->setToolTip(d.help);
        field.edit->setPlaceholderText(d.help);
        if (d.secret)
            secrets.append(field.edit);
        field.error = new ErrorLabel(QStringLiteral("credentialFieldError_") + name,
                                     tr("Problem with %1").arg(title), m_fieldsBox);
        QWidget* box = column(m_fieldsBox, {field.edit, field.error});
        const QString caption = d.required ? tr("%1:").arg(title) : tr("%1 (optional):").arg(title);
        m_fieldsForm->addRow(makeCaption(caption, field.edit, m_fieldsBox), box);
        m_fields.insert(name, field);
    }
    if (!secrets.isEmpty())
        m_fieldsForm->addRow(QString(), makeRevealCheck(secrets, m_fieldsBox));
}

void CredentialDialog::submit() {
    QJsonObject values;
    for (auto it = m_fields.begin(); it != m_fields.end(); ++it)
        if (!it->edit->text().isEmpty())
            values[it.key()] = it->edit->text();
    m_store->setEnabled(false);
    m_client->addCredential(
        m_type->currentData().toString(), m_title->text().trimmed(), values, this,
        [this](const StoredCredential& stored) {
            m_store->setEnabled(true);
            Q_EMIT created(stored.title);
            accept();
        },
        [this](const ApiError& error) {
            m_store->setEnabled(true);
            const QList<FieldError> fields = fieldErrorsOf(error);
            QStringList title, other;
            QMap<QString, QStringList> byField;
            for (const FieldError& fe : fields) {
                const QString name =
                    fe.field.startsWith(QLatin1String("values.")) ? fe.field.mid(7) : QString();
                if (fe.field == QLatin1String("title"))
                    title.append(fe.detail);
                else if (m_fields.contains(name))
                    byField[name].append(fe.detail);
                else
                    other.append(fe.detail);
            }
            if (fields.isEmpty())
                other.append(describeError(error));
            m_titleError->showMessages(title, m_title);
            for (auto it = m_fields.begin(); it != m_fields.end(); ++it)
                it->error->showMessages(byField.value(it.key()), it->edit);
            m_formError->showMessages(other);
        });
}

} // namespace ck::gui
