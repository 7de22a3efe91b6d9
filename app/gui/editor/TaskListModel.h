#pragma once
// The deployment tasks of one phase (before or after the request), in the order they run: each
// with its name, type and trigger, a check box that enables it, and the result of its last run
// from this window. Tasks are held as the item's JSON (DeploymentTask's codec), like the rest of
// the editor, so a task's fields this app does not show are kept.

#include <QAbstractListModel>
#include <QJsonArray>
#include <QJsonObject>

namespace ck::gui {

class TaskListModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role { TaskRole = Qt::UserRole + 1, TaskIdRole, LastRunRole };

    using QAbstractListModel::QAbstractListModel;

    void setTasks(const QJsonArray& tasks);
    QJsonArray tasks() const;
    QJsonObject task(int row) const { return m_tasks.value(row); }
    void addTask(const QJsonObject& task);
    void replaceTask(int row, const QJsonObject& task);
    bool moveTask(int row, int delta);
    // After a run: "success", "failed" or "skipped" with the service's message.
    void setRunResult(const QString& taskId, const QString& status, const QString& message);

    static QString triggerText(const QString& trigger);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool removeRows(int row, int count, const QModelIndex& parent = {}) override;

Q_SIGNALS:
    void tasksEdited();

private:
    QList<QJsonObject> m_tasks;
    QStringList m_lastRun; // parallel: "" or the last run's result in words
};

} // namespace ck::gui
