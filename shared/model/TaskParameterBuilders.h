#pragma once
// Short builders for the task-type catalogue's parameters, shared by the files that describe
// task types (DeploymentTaskTypes, ServerTaskTypes, SshTaskType).

#include "model/DeploymentTaskTypes.h"

#include <QJsonValue>
#include <QString>

namespace ck::task_parameters {

TaskParameterSpec param(const char* key, const char* label, TaskParameterKind kind, bool required,
                        QJsonValue defaultValue, const QString& description);
// An optional whole number between `minimum` and `maximum`.
TaskParameterSpec intParam(const char* key, const char* label, int defaultValue, int minimum,
                           int maximum, const QString& description);

} // namespace ck::task_parameters
