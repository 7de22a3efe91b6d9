#pragma once
// The outcome of one deployment task in a run (POST /api/managedcertificates/{id}/deploy answers
// with a list of these; requests log them).

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace ck {

enum class TaskRunStatus { Success, Failed, Skipped };
QString toString(TaskRunStatus s);
std::optional<TaskRunStatus> taskRunStatusFromString(const QString& s);

struct TaskRunResult {
    QString taskId;
    QString name;
    TaskRunStatus status = TaskRunStatus::Success;
    QString message; // what it did, why it failed, or why it was skipped
    qint64 durationMs = 0;

    QJsonObject toJson() const;
    static TaskRunResult fromJson(const QJsonObject& o);
    bool operator==(const TaskRunResult&) const = default;
};

// {"results": [...]}
QJsonObject taskRunResultsToJson(const QList<TaskRunResult>& results);
QList<TaskRunResult> taskRunResultsFromJson(const QJsonObject& o);

} // namespace ck
