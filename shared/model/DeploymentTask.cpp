#include "model/DeploymentTask.h"

#include "model/EnumNames.h"
#include "model/JsonReader.h"

namespace ck {

namespace {
constexpr const char* kTriggers[] = {"onSuccess", "onError", "always", "manual"};
} // namespace

QString toString(TaskTrigger t) {
    return enumName(kTriggers, t);
}
std::optional<TaskTrigger> taskTriggerFromString(const QString& s) {
    return enumFromName<TaskTrigger>(kTriggers, s);
}

QJsonObject toJson(const DeploymentTask& t) {
    return withExtra({{"id", t.id},
                      {"name", t.name},
                      {"type", t.type},
                      {"trigger", toString(t.trigger)},
                      {"enabled", t.enabled},
                      {"fatalOnError", t.fatalOnError},
                      {"runIfPreviousFailed", t.runIfPreviousFailed},
                      {"retries", t.retries},
                      {"retryDelaySeconds", t.retryDelaySeconds},
                      {"parameters", t.parameters}},
                     t.extra);
}

void readDeploymentTask(JsonReader& r, DeploymentTask& t) {
    r.read("id", t.id);
    r.read("name", t.name);
    r.read("type", t.type);
    r.readEnum("trigger", t.trigger, taskTriggerFromString);
    r.read("enabled", t.enabled);
    r.read("fatalOnError", t.fatalOnError);
    r.read("runIfPreviousFailed", t.runIfPreviousFailed);
    r.read("retries", t.retries);
    r.read("retryDelaySeconds", t.retryDelaySeconds);
    r.read("parameters", t.parameters);
    t.extra = r.unreadFields();
}

} // namespace ck
