#include "TaskListModel.h"

namespace ck::gui {

void TaskListModel::setTasks(const QJsonArray& tasks) {
    beginResetModel();
    m_tasks.clear();
    for (const auto& t : tasks)
        m_tasks.append(t.toObject());
    m_lastRun = QStringList(m_tasks.size(), QString());
    endResetModel();
}

QJsonArray TaskListModel::tasks() const {
    QJsonArray array;
    for (const auto& t : m_tasks)
        array.append(t);
    return array;
}

void TaskListModel::addTask(const QJsonObject& task) {
    const int row = int(m_tasks.size());
    beginInsertRows({}, row, row);
    m_tasks.append(task);
    m_lastRun.append(QString());
    endInsertRows();
    Q_EMIT tasksEdited();
}

void TaskListModel::replaceTask(int row, const QJsonObject& task) {
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

void TaskListModel::setRunResult(const QString& taskId, const QString& status,
                                 const QString& message) {
    for (int row = 0; row < m_tasks.size(); ++row) {
        if (m_tasks[row].value("id").toString() != taskId)
            continue;
        const QString verdict = status == QLatin1String("success")   ? tr("succeeded")
                                : status == QLatin1String("skipped") ? tr("skipped")
                                                                     : tr("failed");
        m_lastRun[row] = message.isEmpty() ? tr("Last run %1").arg(verdict)
                                           : tr("Last run %1: %2").arg(verdict, message);
        Q_EMIT dataChanged(index(row), index(row));
    }
}

QString TaskListModel::triggerText(const QString& trigger) {
    if (trigger == QLatin1String("onError"))
        return tr("when the request fails");
    if (trigger == QLatin1String("always"))
        return tr("always");
    if (trigger == QLatin1String("manual"))
        return tr("only when run by hand");
    return tr("when the request succeeds");
}

int TaskListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_tasks.size());
}

QVariant TaskListModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QJsonObject& task = m_tasks[index.row()];
    const QString name = task.value("name").toString();
    const QString title = name.isEmpty() ? task.value("type").toString() : name;
    switch (role) {
    case Qt::DisplayRole: {
        QString text = tr("%1 — %2, %3")
                           .arg(title, task.value("type").toString(),
                                triggerText(task.value("trigger").toString()));
        if (!m_lastRun[index.row()].isEmpty())
            text += QStringLiteral(" · ") + m_lastRun[index.row()];
        return text;
    }
    case Qt::AccessibleTextRole:
        return tr("%1, %2, runs %3%4")
            .arg(title, task.value("type").toString(),
                 triggerText(task.value("trigger").toString()),
                 task.value("enabled").toBool(true) ? QString() : tr(", disabled"));
    case Qt::ToolTipRole:
        return m_lastRun[index.row()].isEmpty() ? QVariant() : QVariant(m_lastRun[index.row()]);
    case Qt::CheckStateRole:
        return task.value("enabled").toBool(true) ? Qt::Checked : Qt::Unchecked;
    case TaskRole:
        return task;
    case TaskIdRole:
        return task.value("id").toString();
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
    QJsonObject& task = m_tasks[index.row()];
    if (task.value("enabled").toBool(true) == enabled)
        return true;
    task["enabled"] = enabled;
    Q_EMIT dataChanged(index, index, {Qt::CheckStateRole, Qt::AccessibleTextRole, TaskRole});
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
