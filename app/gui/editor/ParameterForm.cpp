#include "gui/editor/ParameterForm.h"

#include "gui/FormSupport.h"
#include "gui/ServiceCatalog.h"
#include "model/TaskValidation.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace ck::gui {

namespace {
// What a parameter is called in its caption: its label, else its key.
QString labelOf(const TaskParameterSpec& d) {
    return d.label.isEmpty() ? d.key : d.label;
}

// The text field inside a path row (a line edit with a Browse button beside it).
QLineEdit* lineEditOf(QWidget* w) {
    if (auto* edit = qobject_cast<QLineEdit*>(w))
        return edit;
    return w->findChild<QLineEdit*>();
}
QString unclosedQuote() {
    return ParameterForm::tr("A quote is not closed; close it, or escape it with \\");
}
} // namespace

ParameterForm::ParameterForm(ServiceCatalog* catalog, QWidget* parent)
    : QWidget(parent), m_catalog(catalog) {
    m_form = new QFormLayout(this);
    m_form->setContentsMargins(0, 0, 0, 0);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
}

void ParameterForm::build(const QList<TaskParameterSpec>& parameters, const QJsonObject& values) {
    while (m_form->rowCount() > 0)
        m_form->removeRow(0);
    m_fields.clear();
    m_order.clear();
    m_original = values;
    for (const TaskParameterSpec& d : parameters) {
        const QString& key = d.key;
        if (key.isEmpty())
            continue;
        const QJsonValue value = values.contains(key) ? values.value(key) : d.defaultValue;
        Field field;
        field.description = d;
        field.widget = createField(d, value);
        field.widget->setObjectName(QStringLiteral("parameter_") + key);
        const bool required = d.required;
        const QString label = labelOf(d);
        field.widget->setAccessibleName(label);
        const QString& help = d.description;
        field.widget->setAccessibleDescription(help);
        field.widget->setToolTip(help);
        field.error = new ErrorLabel(QStringLiteral("parameterError_") + key,
                                     tr("Problem with %1").arg(label), this);
        const bool isBool = d.kind == TaskParameterKind::Bool;
        auto* box = new QVBoxLayout;
        box->setSpacing(2);
        box->addWidget(field.widget);
        box->addWidget(field.error);
        if (isBool) {
            m_form->addRow(box);
        } else {
            // A required field says so in its caption, not only by colour.
            m_form->addRow(
                makeCaption(required ? tr("%1 (required):").arg(label) : tr("%1:").arg(label),
                            field.widget, this),
                box);
        }
        // The help on a row of its own: a form row gives a wrapped text in its field column
        // less height than it needs, a row across the form the height it needs.
        if (!help.isEmpty() && !isBool)
            m_form->addRow(makeHint(help, this));
        if (d.kind == TaskParameterKind::Command) // said as it is typed, not only on save
            connect(lineEditOf(field.widget), &QLineEdit::textEdited, this, [this, key] {
                const Field& f = m_fields[key];
                f.error->showMessages(splitCommandLine(lineEditOf(f.widget)->text())
                                          ? QStringList{}
                                          : QStringList{unclosedQuote()},
                                      f.widget);
            });
        m_fields.insert(key, field);
        m_order.append(key);
    }
}

QWidget* ParameterForm::createField(const TaskParameterSpec& d, const QJsonValue& value) {
    switch (d.kind) {
    case TaskParameterKind::Bool: {
        auto* check = new QCheckBox(d.label, this);
        check->setChecked(value.toBool());
        connect(check, &QCheckBox::toggled, this, &ParameterForm::changed);
        return check;
    }
    case TaskParameterKind::Int: {
        auto* spin = new QSpinBox(this);
        spin->setRange(d.minimum, d.maximum > d.minimum ? d.maximum : 1000000);
        spin->setValue(value.toInt());
        connect(spin, &QSpinBox::valueChanged, this, &ParameterForm::changed);
        return spin;
    }
    case TaskParameterKind::Choice: {
        auto* combo = new QComboBox(this);
        for (const QString& c : d.choices)
            combo->addItem(c, c);
        combo->setCurrentIndex(std::max(0, combo->findData(value.toString())));
        connect(combo, &QComboBox::activated, this, &ParameterForm::changed);
        return combo;
    }
    case TaskParameterKind::Credential: {
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
    case TaskParameterKind::Multiline: {
        auto* text = new QPlainTextEdit(value.toString(), this);
        text->setTabChangesFocus(true);
        text->setMaximumHeight(text->fontMetrics().lineSpacing() * 6 + 12);
        connect(text, &QPlainTextEdit::textChanged, this, &ParameterForm::changed);
        return text;
    }
    case TaskParameterKind::Command: {
        QStringList words;
        for (const QJsonValue& w : value.toArray())
            words << w.toString();
        auto* edit = new QLineEdit(joinCommandLine(words), this);
        edit->setPlaceholderText(tr("program and arguments; quote an argument with spaces"));
        connect(edit, &QLineEdit::textEdited, this, &ParameterForm::changed);
        return edit;
    }
    case TaskParameterKind::String:
    case TaskParameterKind::Path:
        break;
    }
    auto* edit = new QLineEdit(value.toVariant().toString(), this);
    connect(edit, &QLineEdit::textEdited, this, &ParameterForm::changed);
    if (d.kind != TaskParameterKind::Path)
        return edit;
    // A path: the line edit with a Browse button. The row is the field; its line edit holds
    // the value.
    auto* row = new QWidget(this);
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    edit->setParent(row);
    // The caption's mnemonic and a screen reader reach the text itself, not the row around it.
    row->setFocusProxy(edit);
    edit->setAccessibleName(labelOf(d));
    layout->addWidget(edit, 1);
    auto* browse = new QPushButton(tr("Browse…"), row);
    browse->setAutoDefault(false);
    browse->setAccessibleName(tr("Choose %1").arg(labelOf(d)));
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
    QWidget* w = field.widget;
    switch (field.description.kind) {
    case TaskParameterKind::Bool:
        return static_cast<QCheckBox*>(w)->isChecked();
    case TaskParameterKind::Int:
        return static_cast<QSpinBox*>(w)->value();
    case TaskParameterKind::Choice:
    case TaskParameterKind::Credential:
        return static_cast<QComboBox*>(w)->currentData().toString();
    case TaskParameterKind::Multiline:
        return static_cast<QPlainTextEdit*>(w)->toPlainText();
    case TaskParameterKind::Command: // an unclosed quote: none (checkRequired says why)
        return QJsonArray::fromStringList(
            splitCommandLine(lineEditOf(w)->text()).value_or(QStringList()));
    case TaskParameterKind::String:
    case TaskParameterKind::Path:
        break;
    }
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
        const bool command = f.description.kind == TaskParameterKind::Command;
        if (command && !splitCommandLine(lineEditOf(f.widget)->text()))
            missing[key] = unclosedQuote();
        if (!f.description.required || missing.contains(key))
            continue;
        const QJsonValue v = valueOf(f);
        if ((v.isString() && v.toString().trimmed().isEmpty()) ||
            (command && v.toArray().isEmpty()))
            missing[key] = tr("%1 is required").arg(labelOf(f.description));
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
