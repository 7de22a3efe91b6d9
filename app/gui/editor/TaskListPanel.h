#pragma once
// The tasks of one phase (before or after the request): add, edit, remove, reorder, enable
// (the check box of each row), and run the selected task now.

#include "ApiError.h"
#include "model/DeploymentTask.h"

#include <QWidget>

class QListView;
class QPushButton;

namespace ck::gui {

class ErrorLabel;
class ServiceCatalog;
class TaskListModel;

class TaskListPanel : public QWidget {
    Q_OBJECT
public:
    // `phase` is the item's key: "preRequestTasks" or "postRequestTasks".
    TaskListPanel(ServiceCatalog* catalog, const QString& phase, QWidget* parent);

    TaskListModel* model() const { return m_model; }
    QListView* view() const { return m_view; }
    const QString& phase() const { return m_phase; }
    void setTasks(const QList<DeploymentTask>& tasks);
    // Adding needs the task types from the service; without them, `why` is shown instead.
    void setCanAdd(bool canAdd);
    // Errors whose field starts with the phase; returns the others.
    QList<FieldError> showErrors(const QList<FieldError>& errors);
    void setReadOnly(bool readOnly);

    void addTask();
    void editSelected();

Q_SIGNALS:
    void edited();
    void runRequested(const ck::DeploymentTask& task);

private:
    void moveSelected(int delta);
    void updateButtons();
    int selectedRow() const;

    ServiceCatalog* m_catalog;
    QString m_phase;
    TaskListModel* m_model;
    QListView* m_view;
    QPushButton* m_add;
    QPushButton* m_edit;
    QPushButton* m_remove;
    QPushButton* m_up;
    QPushButton* m_down;
    QPushButton* m_run;
    ErrorLabel* m_error;
    bool m_canAdd = true;
    bool m_readOnly = false;
};

} // namespace ck::gui
