#include "gui/settings/FormDialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace ck::gui {

QFormLayout* makeForm(QWidget* parent) {
    auto* form = new QFormLayout(parent);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    return form;
}

FormDialog::FormDialog(const Setup& setup, QWidget* parent)
    : QDialog(parent), m_width(setup.widthInCharacters) {
    setObjectName(setup.objectName);
    setWindowTitle(setup.title);
    m_formError = new ErrorLabel(setup.errorName, setup.errorAccessible, this);
    m_send = new QPushButton(setup.sendText, this);
    m_send->setObjectName(setup.sendName);
    m_send->setDefault(true);
    connect(m_send, &QPushButton::clicked, this, [this] { submit(); });
}

FormDialog::LineField FormDialog::addLineField(QFormLayout* form, QWidget* owner,
                                               const QString& caption, const QString& field,
                                               const QString& objectName, const QString& errorName,
                                               const QString& accessibleName, QWidget* beside) {
    auto* edit = new QLineEdit(owner);
    edit->setObjectName(objectName);
    edit->setAccessibleName(accessibleName);
    auto* error = new ErrorLabel(errorName, tr("Problem with %1").arg(accessibleName), owner);
    m_fieldErrors.add(FieldErrorRouter::exactly({field}), error, edit);
    QWidget* input = edit;
    if (beside) {
        input = new QWidget(owner);
        QHBoxLayout* line = lineWith(edit, {beside});
        line->setContentsMargins(0, 0, 0, 0);
        input->setLayout(line);
    }
    form->addRow(makeCaption(caption, edit, owner), column(owner, {input, error}));
    return {edit, error};
}

void FormDialog::finish(QLayout* form, std::initializer_list<QWidget*> below) {
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    buttons->addButton(m_send, QDialogButtonBox::AcceptRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    for (QWidget* w : below)
        layout->addWidget(w);
    layout->addWidget(m_formError);
    layout->addStretch();
    layout->addWidget(buttons);
    resize(fontMetrics().averageCharWidth() * m_width, sizeHint().height());
}

void FormDialog::setSending(bool sending) {
    m_send->setEnabled(!sending);
}

void FormDialog::refused(const ApiError& error) {
    setSending(false);
    m_fieldErrors.show(error, m_formError);
    fitHeight();
}

void FormDialog::fitHeight() {
    layout()->activate();
    const int needed = layout()->hasHeightForWidth() ? layout()->totalHeightForWidth(width())
                                                     : layout()->totalSizeHint().height();
    if (needed > height())
        resize(width(), needed);
}

} // namespace ck::gui
