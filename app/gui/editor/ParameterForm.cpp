#include "ParameterForm.h"

#include "FormSupport.h"
#include "ServiceCatalog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace ck::gui {

namespace {
QString kindOf(const QJsonObject& d) {
    return d.value("kind").toString(QStringLiteral("string"));
}

// The text field inside a path row (a line edit with a Browse button beside it).
QLineEdit* lineEditOf(QWidget* w) {
    if (auto* edit = qobject_cast<QLineEdit*>(w))
        return edit;
    return w->findChild<QLineEdit*>();
}
} // namespace

ParameterForm::ParameterForm(ServiceCatalog* catalog, QWidget* parent)
    : QWidget(parent), m_catalog(catalog) {
    m_form = new QFormLayout(this);
    m_form->setContentsMargins(0, 0, 0, 0);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
}

void ParameterForm::build(const QJsonArray& parameters, const QJsonObject& values) {
    while (m_form->rowCount() > 0)
        m_form->removeRow(0);
    m_fields.clear();
    m_order.clear();
    m_original = values;
    for (const auto& p : parameters) {
        const QJsonObject d = p.toObject();
        const QString key = d.value("key").toString();
        if (key.isEmpty())
            continue;
        const QJsonValue value = values.contains(key) ? values.value(key) : d.value("default");
        Field field;
        field.description = d;
        field.widget = createField(d, value);
        field.widget->setObjectName(QStringLiteral("parameter_") + key);
        const bool required = d.value("required").toBool();
        QString label = d.value("label").toString(key);
        field.widget->setAccessibleName(label);
        const QString help = d.value("description").toString();
        field.widget->setAccessibleDescription(help);
        field.widget->setToolTip(help);
        field.error = new ErrorLabel(QStringLiteral("parameterError_") + key,
                                     tr("Problem with %1").arg(label), this);
        QWidget* box = !help.isEmpty() && kindOf(d) != QLatin1String("bool")
                           ? column(this, {field.widget, makeHint(help, this), field.error})
                           : column(this, {field.widget, field.error});
        if (kindOf(d) == QLatin1String("bool")) {
            m_form->addRow(box);
        } else {
            // A required field says so in its caption, not only by colour.
            m_form->addRow(
                makeCaption(required ? tr("%1 (required):").arg(label) : tr("%1:").arg(label),
                            field.widget, this),
                box);
        }
        m_fields.insert(key, field);
        m_order.append(key);
    }
}

QWidget* ParameterForm::createField(const QJsonObject& d, const QJsonValue& value) {
    const QString kind = kindOf(d);
    if (kind == QLatin1String("bool")) {
        auto* check = new QCheckBox(d.value("label").toString(), this);
        check->setChecked(value.toBool());
        connect(check, &QCheckBox::toggled, this, &ParameterForm::changed);
        return check;
    }
    if (kind == QLatin1String("int")) {
        auto* spin = new QSpinBox(this);
        spin->setRange(d.value("minimum").toInt(0), d.value("maximum").toInt(1000000));
        spin->setValue(value.toInt());
        connect(spin, &QSpinBox::valueChanged, this, &ParameterForm::changed);
        return spin;
    }
    if (kind == QLatin1String("choice")) {
        auto* combo = new QComboBox(this);
        for (const auto& c : d.value("choices").toArray())
            combo->addItem(c.toString(), c.toString());
        combo->setCurrentIndex(std::max(0, combo->findData(value.toString())));
        connect(combo, &QComboBox::activated, this, &ParameterForm::changed);
        return combo;
    }
    if (kind == QLatin1String("credential")) {
        auto* combo = new QComboBox(this);
        combo->addItem(tr("(none)"), QString());
        for (const auto& c : m_catalog->credentials())
            combo->addItem(QStringLiteral("%1 (%2)").arg(c.title, c.type), c.id);
        int index = combo->findData(value.toString());
        if (index < 0) {
            combo->addItem(tr("%1 (no longer stored)").arg(value.toString()), value.toString());
            index = combo->count() - 1;
        }
        combo->setCurrentIndex(index);
        connect(combo, &QComboBox::activated, this, &ParameterForm::changed);
        return combo;
    }
    if (kind == QLatin1String("multiline")) {
        auto* text = new QPlainTextEdit(value.toString(), this);
        text->setTabChangesFocus(true);
        text->setMaximumHeight(text->fontMetrics().lineSpacing() * 6 + 12);
        connect(text, &QPlainTextEdit::textChanged, this, &ParameterForm::changed);
        return text;
    }
    auto* edit = new QLineEdit(value.toVariant().toString(), this);
    connect(edit, &QLineEdit::textEdited, this, &ParameterForm::changed);
    if (kind != QLatin1String("path"))
        return edit;
    // A path: the line edit with a Browse button. The row is the field; its line edit holds
    // the value.
    auto* row = new QWidget(this);
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    edit->setParent(row);
    // The caption's mnemonic and a screen reader reach the text itself, not the row around it.
    row->setFocusProxy(edit);
    edit->setAccessibleName(d.value("label").toString(d.value("key").toString()));
    layout->addWidget(edit, 1);
    auto* browse = new QPushButton(tr("Browse…"), row);
    browse->setAutoDefault(false);
    browse->setAccessibleName(tr("Choose %1").arg(d.value("label").toString()));
    connect(browse, &QPushButton::clicked, this, [this, edit] {
        const QString path =
            QFileDialog::getSaveFileName(this, tr("Choose a file"), edit->text(), {}, nullptr,
                                         QFileDialog::DontConfirmOverwrite);
        if (!path.isEmpty()) {
            edit->setText(path);
            Q_EMIT changed();
        }
    });
    layout->addWidget(browse);
    row->setFocusProxy(edit);
    return row;
}

QJsonValue ParameterForm::valueOf(const Field& field) const {
    const QString kind = kindOf(field.description);
    QWidget* w = field.widget;
    if (kind == QLatin1String("bool"))
        return static_cast<QCheckBox*>(w)->isChecked();
    if (kind == QLatin1String("int"))
        return static_cast<QSpinBox*>(w)->value();
    if (kind == QLatin1String("choice") || kind == QLatin1String("credential"))
        return static_cast<QComboBox*>(w)->currentData().toString();
    if (kind == QLatin1String("multiline"))
        return static_cast<QPlainTextEdit*>(w)->toPlainText();
    return lineEditOf(w)->text();
}

QJsonObject ParameterForm::values() const {
    QJsonObject values = m_original;
    for (const QString& key : m_order)
        values[key] = valueOf(m_fields[key]);
    return values;
}

bool ParameterForm::checkRequired() {
    QMap<QString, QString> missing;
    for (const QString& key : m_order) {
        const Field& f = m_fields[key];
        if (!f.description.value("required").toBool())
            continue;
        const QJsonValue v = valueOf(f);
        if (v.isString() && v.toString().trimmed().isEmpty())
            missing[key] = tr("%1 is required").arg(f.description.value("label").toString(key));
    }
    showErrors(missing);
    if (!missing.isEmpty())
        m_fields[missing.firstKey()].widget->setFocus();
    return missing.isEmpty();
}

QStringList ParameterForm::showErrors(const QMap<QString, QString>& byKey) {
    QStringList notShown;
    for (auto it = byKey.begin(); it != byKey.end(); ++it)
        if (!m_fields.contains(it.key()))
            notShown.append(it.value());
    for (const QString& key : m_order) {
        const Field& f = m_fields[key];
        f.error->showMessages(byKey.contains(key) ? QStringList{byKey.value(key)} : QStringList{},
                              f.widget);
    }
    return notShown;
}

} // namespace ck::gui
