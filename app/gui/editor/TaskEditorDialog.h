#pragma once
// Adds or edits one deployment task: its name, type, when it runs (trigger), whether a failure
// stops the rest, retries, and the type's own parameters in a form generated from the type's
// description served by the service.

#include "model/DeploymentTask.h"

#include <QDialog>

#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace ck::gui {

class ParameterForm;
class ServiceCatalog;

class TaskEditorDialog : public QDialog {
    Q_OBJECT
public:
    // No `task` adds a new one.
    TaskEditorDialog(ServiceCatalog* catalog, const std::optional<DeploymentTask>& task,
                     QWidget* parent);

    DeploymentTask task() const;

    void accept() override; // only with every required parameter filled in

private:
    void typeChosen();

    ServiceCatalog* m_catalog;
    DeploymentTask m_task;
    QLineEdit* m_name;
    QComboBox* m_type;
    QLabel* m_typeDescription;
    QComboBox* m_trigger;
    QCheckBox* m_enabled;
    QCheckBox* m_fatal;
    QCheckBox* m_runIfPreviousFailed;
    QSpinBox* m_retries;
    QSpinBox* m_retryDelay;
    ParameterForm* m_parameters;
};

} // namespace ck::gui
