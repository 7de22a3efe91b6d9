#include "gui/editor/TaskListPanel.h"

#include "gui/FormSupport.h"
#include "gui/editor/TaskEditorDialog.h"
#include "gui/editor/TaskListModel.h"

#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QListView>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>

namespace ck::gui {

TaskListPanel::TaskListPanel(ServiceCatalog* catalog, const QString& phase, QWidget* parent)
    : QWidget(parent), m_catalog(catalog), m_phase(phase) {
    m_model = new TaskListModel(this);
    connect(m_model, &TaskListModel::tasksEdited, this, &TaskListPanel::edited);
    m_view = new QListView(this);
    m_view->setObjectName(phase + QStringLiteral("List"));
    m_view->setModel(m_model);
    m_view->setMinimumHeight(m_view->fontMetrics().lineSpacing() * 4);
    connect(m_view, &QListView::doubleClicked, this, &TaskListPanel::editSelected);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &TaskListPanel::updateButtons);

    const auto button = [this](const QString& text, const QString& name,
                               const QString& accessibleName) {
        return makeButton(text, m_phase + name, accessibleName, this);
    };
    m_add = button(tr("Add…"), QStringLiteral("AddButton"), tr("Add a task"));
    m_edit = button(tr("Edit…"), QStringLiteral("EditButton"), tr("Edit the selected task"));
    m_remove = button(tr("Remove"), QStringLiteral("RemoveButton"), tr("Remove the selected task"));
    m_up = button(tr("Up"), QStringLiteral("UpButton"), tr("Run the selected task earlier"));
    m_down = button(tr("Down"), QStringLiteral("DownButton"), tr("Run the selected task later"));
    m_run = button(tr("Run now"), QStringLiteral("RunButton"), tr("Run the selected task now"));
    connect(m_add, &QPushButton::clicked, this, &TaskListPanel::addTask);
    connect(m_edit, &QPushButton::clicked, this, &TaskListPanel::editSelected);
    connect(m_remove, &QPushButton::clicked, this, [this] {
        m_model->removeRows(selectedRow(), 1);
        updateButtons();
    });
    connect(m_up, &QPushButton::clicked, this, [this] { moveSelected(-1); });
    connect(m_down, &QPushButton::clicked, this, [this] { moveSelected(+1); });
    connect(m_run, &QPushButton::clicked, this,
            [this] { Q_EMIT runRequested(m_model->task(selectedRow())); });
    m_error = new ErrorLabel(phase + QStringLiteral("Error"), tr("Problems with the tasks"), this);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(listWithButtons(m_view, {m_add, m_edit, m_remove, m_up, m_down, m_run}));
    layout->addWidget(m_error);
    updateButtons();
}

void TaskListPanel::setTasks(const QList<DeploymentTask>& tasks) {
    m_model->setTasks(tasks);
    updateButtons();
}

void TaskListPanel::setCanAdd(bool canAdd) {
    m_canAdd = canAdd;
    updateButtons();
}

int TaskListPanel::selectedRow() const {
    const QModelIndex current = m_view->currentIndex();
    return current.isValid() ? current.row() : -1;
}

void TaskListPanel::addTask() {
    auto* dialog = new TaskEditorDialog(m_catalog, std::nullopt, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        m_model->addTask(dialog->task());
        m_view->setCurrentIndex(m_model->index(m_model->rowCount() - 1));
    });
    dialog->open();
}

void TaskListPanel::editSelected() {
    const int row = selectedRow();
    if (row < 0 || m_readOnly || !m_canAdd)
        return;
    auto* dialog = new TaskEditorDialog(m_catalog, m_model->task(row), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this,
            [this, dialog, row] { m_model->replaceTask(row, dialog->task()); });
    dialog->open();
}

void TaskListPanel::moveSelected(int delta) {
    const int row = selectedRow();
    if (m_model->moveTask(row, delta))
        m_view->setCurrentIndex(m_model->index(row + delta));
}

QList<FieldError> TaskListPanel::showErrors(const QList<FieldError>& errors) {
    static const QRegularExpression index(QStringLiteral(R"(^\w+\[(\d+)\])"));
    QList<FieldError> others;
    QStringList messages;
    for (const FieldError& fe : errors) {
        if (!fe.field.startsWith(m_phase)) {
            others.append(fe);
            continue;
        }
        const auto match = index.match(fe.field);
        const int row = match.hasMatch() ? match.captured(1).toInt() : -1;
        const QString name = m_model->task(row).name;
        messages.append(row < 0          ? fe.detail
                        : name.isEmpty() ? tr("Task %1: %2").arg(row + 1).arg(fe.detail)
                                         : tr("Task “%1”: %2").arg(name, fe.detail));
    }
    m_error->showMessages(messages, m_view);
    return others;
}

void TaskListPanel::setReadOnly(bool readOnly) {
    m_readOnly = readOnly;
    updateButtons();
}

void TaskListPanel::updateButtons() {
    const int row = selectedRow();
    const bool editable = !m_readOnly && m_canAdd;
    m_add->setEnabled(editable);
    m_edit->setEnabled(editable && row >= 0);
    m_remove->setEnabled(!m_readOnly && row >= 0);
    m_up->setEnabled(!m_readOnly && row > 0);
    m_down->setEnabled(!m_readOnly && row >= 0 && row + 1 < m_model->rowCount());
    m_run->setEnabled(!m_readOnly && row >= 0);
}

} // namespace ck::gui
