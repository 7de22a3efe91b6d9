#include "gui/editor/TaskEditorDialog.h"

#include "gui/FormSupport.h"
#include "gui/ServiceCatalog.h"
#include "gui/editor/ParameterForm.h"
#include "model/DeploymentTask.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QVBoxLayout>

namespace ck::gui {

namespace {
QCheckBox* makeCheck(const QString& text, const char* name, bool checked, QWidget* parent) {
    auto* check = new QCheckBox(text, parent);
    check->setObjectName(QLatin1String(name));
    check->setChecked(checked);
    return check;
}

QSpinBox* makeSpin(const char* name, const QString& accessibleName, int max, int value,
                   QWidget* parent) {
    auto* spin = new QSpinBox(parent);
    spin->setObjectName(QLatin1String(name));
    spin->setAccessibleName(accessibleName);
    spin->setRange(0, max);
    spin->setValue(value);
    return spin;
}
} // namespace

TaskEditorDialog::TaskEditorDialog(ServiceCatalog* catalog,
                                   const std::optional<DeploymentTask>& task, QWidget* parent)
    // A new task starts from the model's defaults (fatal on error, a retry delay).
    : QDialog(parent), m_catalog(catalog), m_task(task.value_or(DeploymentTask{})) {
    setObjectName(QStringLiteral("taskEditor"));
    setWindowTitle(task ? tr("Edit deployment task") : tr("New deployment task"));

    m_name = new QLineEdit(m_task.name, this);
    m_name->setObjectName(QStringLiteral("taskNameEdit"));
    m_name->setAccessibleName(tr("Task name"));
    m_name->setPlaceholderText(tr("e.g. Export for nginx"));
    m_type = new QComboBox(this);
    m_type->setObjectName(QStringLiteral("taskTypeCombo"));
    m_type->setAccessibleName(tr("Task type"));
    for (const TaskTypeSpec& t : catalog->taskTypes())
        m_type->addItem(t.title.isEmpty() ? t.type : t.title, t.type);
    m_type->setCurrentIndex(std::max(0, m_type->findData(m_task.type)));
    m_typeDescription = makeHint({}, this);
    m_typeDescription->setObjectName(QStringLiteral("taskTypeDescription"));
    m_typeDescription->setTextFormat(Qt::MarkdownText);

    m_trigger = new QComboBox(this);
    m_trigger->setObjectName(QStringLiteral("taskTriggerCombo"));
    m_trigger->setAccessibleName(tr("When the task runs"));
    for (auto [trigger, text] : {std::pair{TaskTrigger::OnSuccess, tr("When the request succeeds")},
                                 std::pair{TaskTrigger::OnError, tr("When the request fails")},
                                 std::pair{TaskTrigger::Always, tr("Always")},
                                 std::pair{TaskTrigger::Manual, tr("Only when run by hand")}})
        m_trigger->addItem(text, int(trigger));
    m_trigger->setCurrentIndex(std::max(0, m_trigger->findData(int(m_task.trigger))));

    m_enabled = makeCheck(tr("&Enabled"), "taskEnabledCheck", m_task.enabled, this);
    m_fatal = makeCheck(tr("A &failure stops the tasks after it"), "taskFatalCheck",
                        m_task.fatalOnError, this);
    m_runIfPreviousFailed =
        makeCheck(tr("Run even if an earlier task fai&led"), "taskRunIfPreviousFailedCheck",
                  m_task.runIfPreviousFailed, this);
    m_retries = makeSpin("taskRetriesSpin", tr("Retries"), 10, m_task.retries, this);
    m_retryDelay = makeSpin("taskRetryDelaySpin", tr("Seconds between retries"), 3600,
                            m_task.retryDelaySeconds, this);
    m_retryDelay->setSuffix(tr(" s"));

    m_parameters = new ParameterForm(catalog, this);
    m_parameters->setObjectName(QStringLiteral("taskParameters"));
    auto* parameterBox = new QGroupBox(tr("Parameters"), this);
    auto* parameterLayout = new QVBoxLayout(parameterBox);
    parameterLayout->addWidget(m_typeDescription);
    parameterLayout->addWidget(m_parameters);
    connect(m_type, &QComboBox::activated, this, &TaskEditorDialog::typeChosen);

    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(makeCaption(tr("&Name:"), m_name, this), m_name);
    form->addRow(makeCaption(tr("&Type:"), m_type, this), m_type);
    form->addRow(makeCaption(tr("&Runs:"), m_trigger, this), m_trigger);
    form->addRow(m_enabled);
    form->addRow(m_fatal);
    form->addRow(m_runIfPreviousFailed);
    form->addRow(makeCaption(tr("Retr&ies:"), m_retries, this), m_retries);
    form->addRow(makeCaption(tr("&Delay between retries:"), m_retryDelay, this), m_retryDelay);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setObjectName(QStringLiteral("taskOkButton"));
    connect(buttons, &QDialogButtonBox::accepted, this, &TaskEditorDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* content = new QWidget(this);
    auto* contentLayout = new QVBoxLayout(content);
    contentLayout->addLayout(form);
    contentLayout->addWidget(parameterBox);
    contentLayout->addStretch();
    auto* scroll = new QScrollArea(this);
    scroll->setAccessibleName(tr("Task settings"));
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(scroll);
    layout->addWidget(buttons);

    typeChosen();
    m_name->setFocus();
    resizeInText(this, 80, 36);
}

void TaskEditorDialog::typeChosen() {
    const TaskTypeSpec* type = m_catalog->taskType(m_type->currentData().toString());
    m_typeDescription->setText(type ? type->description : QString());
    m_typeDescription->setVisible(!m_typeDescription->text().isEmpty());
    // Values of another type do not belong to this one; those of the task's own type are kept.
    const bool sameType = m_task.type == m_type->currentData().toString();
    m_parameters->build(type ? type->parameters : QList<TaskParameterSpec>{},
                        sameType ? m_task.parameters : QJsonObject{});
}

DeploymentTask TaskEditorDialog::task() const {
    DeploymentTask task = m_task; // keeps the id (a new one's is assigned by the service)
    task.name = m_name->text().trimmed();
    task.type = m_type->currentData().toString();
    task.trigger = TaskTrigger(m_trigger->currentData().toInt());
    task.enabled = m_enabled->isChecked();
    task.fatalOnError = m_fatal->isChecked();
    task.runIfPreviousFailed = m_runIfPreviousFailed->isChecked();
    task.retries = m_retries->value();
    task.retryDelaySeconds = m_retryDelay->value();
    task.parameters = m_parameters->values();
    return task;
}

void TaskEditorDialog::accept() {
    if (m_parameters->checkRequired())
        QDialog::accept();
}

} // namespace ck::gui
