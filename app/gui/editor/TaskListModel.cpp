#include "gui/editor/TaskListModel.h"

namespace ck::gui {

void TaskListModel::setTasks(const QList<DeploymentTask>& tasks) {
    beginResetModel();
    m_tasks = tasks;
    m_lastRun = QStringList(m_tasks.size(), QString());
    endResetModel();
}

void TaskListModel::addTask(const DeploymentTask& task) {
    const int row = int(m_tasks.size());
    beginInsertRows({}, row, row);
    m_tasks.append(task);
    m_lastRun.append(QString());
    endInsertRows();
    Q_EMIT tasksEdited();
}

void TaskListModel::replaceTask(int row, const DeploymentTask& task) {
    if (row < 0 || row >= m_tasks.size())
        return;
    m_tasks[row] = task;
    Q_EMIT dataChanged(index(row), index(row));
    Q_EMIT tasksEdited();
}

bool TaskListModel::moveTask(int row, int delta) {
    const int to = row + delta;
    if (row < 0 || row >= m_tasks.size() || to < 0 || to >= m_tasks.size() || delta == 0)
        return false;
    // beginMoveRows names the row *before which* the moved row lands.
    beginMoveRows({}, row, row, {}, delta > 0 ? to + 1 : to);
    m_tasks.move(row, to);
    m_lastRun.move(row, to);
    endMoveRows();
    Q_EMIT tasksEdited();
    return true;
}

void TaskListModel::setRunResult(const QString& taskId, TaskRunStatus status,
                                 const QString& message) {
    for (int row = 0; row < m_tasks.size(); ++row) {
        if (m_tasks[row].id != taskId)
            continue;
        const QString verdict = status == TaskRunStatus::Success   ? tr("succeeded")
                                : status == TaskRunStatus::Skipped ? tr("skipped")
                                                                   : tr("failed");
        m_lastRun[row] = message.isEmpty() ? tr("Last run %1").arg(verdict)
                                           : tr("Last run %1: %2").arg(verdict, message);
        Q_EMIT dataChanged(index(row), index(row));
    }
}

QString TaskListModel::triggerText(TaskTrigger trigger) {
    switch (trigger) {
    case TaskTrigger::OnError:
        return tr("when the request fails");
    case TaskTrigger::Always:
        return tr("always");
    case TaskTrigger::Manual:
        return tr("only when run by hand");
    case TaskTrigger::OnSuccess:
        break;
    }
    return tr("when the request succeeds");
}

int TaskListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_tasks.size());
}

QVariant TaskListModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const DeploymentTask& task = m_tasks[index.row()];
    const QString title = task.name.isEmpty() ? task.type : task.name;
    switch (role) {
    case Qt::DisplayRole: {
        QString text = tr("%1 — %2, %3").arg(title, task.type, triggerText(task.trigger));
        if (!m_lastRun[index.row()].isEmpty())
            text += QStringLiteral(" · ") + m_lastRun[index.row()];
        return text;
    }
    case Qt::AccessibleTextRole:
        return tr("%1, %2, runs %3%4")
            .arg(title, task.type, triggerText(task.trigger),
                 task.enabled ? QString() : tr(", disabled"));
    case Qt::ToolTipRole:
        return m_lastRun[index.row()].isEmpty() ? QVariant() : QVariant(m_lastRun[index.row()]);
    case Qt::CheckStateRole:
        return task.enabled ? Qt::Checked : Qt::Unchecked;
    case TaskIdRole:
        return task.id;
    case LastRunRole:
        return m_lastRun[index.row()];
    default:
        return {};
    }
}

bool TaskListModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (role != Qt::CheckStateRole || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return false;
    const bool enabled = static_cast<Qt::CheckState>(value.toInt()) == Qt::Checked;
    DeploymentTask& task = m_tasks[index.row()];
    if (task.enabled == enabled)
        return true;
    task.enabled = enabled;
    Q_EMIT dataChanged(index, index, {Qt::CheckStateRole, Qt::AccessibleTextRole});
    Q_EMIT tasksEdited();
    return true;
}

Qt::ItemFlags TaskListModel::flags(const QModelIndex& index) const {
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable;
}

bool TaskListModel::removeRows(int row, int count, const QModelIndex& parent) {
    if (parent.isValid() || row < 0 || count <= 0 || row + count > m_tasks.size())
        return false;
    beginRemoveRows({}, row, row + count - 1);
    m_tasks.remove(row, count);
    m_lastRun.remove(row, count);
    endRemoveRows();
    Q_EMIT tasksEdited();
    return true;
}

} // namespace ck::gui
