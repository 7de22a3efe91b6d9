#include "model/TaskRunResult.h"

#include "model/EnumNames.h"

#include <QJsonArray>

namespace ck {

namespace {
constexpr const char* kStatuses[] = {"success", "failed", "skipped"};
} // namespace

QString toString(TaskRunStatus s) {
    return enumName(kStatuses, s);
}

std::optional<TaskRunStatus> taskRunStatusFromString(const QString& s) {
    return enumFromName<TaskRunStatus>(kStatuses, s);
}

QJsonObject TaskRunResult::toJson() const {
    return {{"taskId", taskId},
            {"name", name},
            {"status", ck::toString(status)},
            {"message", message},
            {"durationMs", durationMs}};
}

TaskRunResult TaskRunResult::fromJson(const QJsonObject& o) {
    TaskRunResult r;
    r.taskId = o.value("taskId").toString();
    r.name = o.value("name").toString();
    r.status =
        taskRunStatusFromString(o.value("status").toString()).value_or(TaskRunStatus::Failed);
    r.message = o.value("message").toString();
    r.durationMs = o.value("durationMs").toInteger();
    return r;
}

QJsonObject taskRunResultsToJson(const QList<TaskRunResult>& results) {
    QJsonArray list;
    for (const auto& r : results)
        list.append(r.toJson());
    return {{"results", list}};
}

QList<TaskRunResult> taskRunResultsFromJson(const QJsonObject& o) {
    QList<TaskRunResult> results;
    for (const auto& v : o.value("results").toArray())
        results.append(TaskRunResult::fromJson(v.toObject()));
    return results;
}

} // namespace ck
