#pragma once
// The deployment tasks of one phase (before or after the request), in the order they run: each
// with its name, type and trigger, a check box that enables it, and the result of its last run
// from this window. Tasks are the model's DeploymentTask, like the rest of the editor, so a
// task's fields this app does not show are kept (its `extra`).

#include "model/DeploymentTask.h"
#include "model/TaskRunResult.h"

#include <QAbstractListModel>

namespace ck::gui {

class TaskListModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role { TaskIdRole = Qt::UserRole + 1, LastRunRole };

    using QAbstractListModel::QAbstractListModel;

    void setTasks(const QList<DeploymentTask>& tasks);
    const QList<DeploymentTask>& tasks() const { return m_tasks; }
    DeploymentTask task(int row) const { return m_tasks.value(row); }
    void addTask(const DeploymentTask& task);
    void replaceTask(int row, const DeploymentTask& task);
    bool moveTask(int row, int delta);
    // After a run: how the task did, with the service's message.
    void setRunResult(const QString& taskId, TaskRunStatus status, const QString& message);

    static QString triggerText(TaskTrigger trigger);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool removeRows(int row, int count, const QModelIndex& parent = {}) override;

Q_SIGNALS:
    void tasksEdited();

private:
    QList<DeploymentTask> m_tasks;
    QStringList m_lastRun; // parallel: "" or the last run's result in words
};

} // namespace ck::gui
