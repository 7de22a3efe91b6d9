#include "model/ActionStep.h"

#include "model/EnumNames.h"
#include "model/JsonReader.h"

#include <algorithm>

namespace ck {

namespace {
constexpr const char* kSeverities[] = {"error", "warning", "info"};
} // namespace

int ActionStep::errorCount() const {
    int count = int(errors.size());
    for (const auto& s : substeps)
        count += s.errorCount();
    return count;
}

int ActionStep::warningCount() const {
    int count = int(warnings.size());
    for (const auto& s : substeps)
        count += s.warningCount();
    return count;
}

bool ActionStep::operator==(const ActionStep& o) const {
    return key == o.key && title == o.title && description == o.description &&
           category == o.category && warnings == o.warnings && errors == o.errors &&
           std::equal(substeps.begin(), substeps.end(), o.substeps.begin(), o.substeps.end());
}

QJsonObject toJson(const ActionStep& step) {
    QJsonArray substeps;
    for (const auto& s : step.substeps)
        substeps.append(toJson(s));
    return {{"key", step.key},
            {"title", step.title},
            {"description", step.description},
            {"category", step.category},
            {"warnings", QJsonArray::fromStringList(step.warnings)},
            {"errors", QJsonArray::fromStringList(step.errors)},
            {"substeps", substeps}};
}

void readActionStep(JsonReader& r, ActionStep& step) {
    r.read("key", step.key);
    r.read("title", step.title);
    r.read("description", step.description);
    r.read("category", step.category);
    r.read("warnings", step.warnings);
    r.read("errors", step.errors);
    r.readObjectArray("substeps", [&step](JsonReader& sub) {
        ActionStep child;
        readActionStep(sub, child);
        step.substeps.append(child);
    });
}

QJsonObject previewToJson(const QList<ActionStep>& steps) {
    QJsonArray array;
    for (const auto& s : steps)
        array.append(toJson(s));
    return {{"steps", array}};
}

QList<ActionStep> previewFromJson(const QJsonObject& o, QList<FieldError>* errors) {
    QList<ActionStep> steps;
    JsonReader r(o, errors);
    r.readObjectArray("steps", [&steps](JsonReader& sub) {
        ActionStep step;
        readActionStep(sub, step);
        steps.append(step);
    });
    return steps;
}

QString toString(TestCheck::Severity s) {
    return enumName(kSeverities, s);
}

std::optional<TestCheck::Severity> checkSeverityFromString(const QString& s) {
    return enumFromName<TestCheck::Severity>(kSeverities, s);
}

bool TestReport::ok() const {
    return std::none_of(checks.begin(), checks.end(), [](const TestCheck& c) {
        return !c.ok && c.severity == TestCheck::Severity::Error;
    });
}

QJsonObject toJson(const TestCheck& check) {
    return {{"key", check.key},         {"title", check.title},
            {"ok", check.ok},           {"severity", toString(check.severity)},
            {"message", check.message}, {"advice", check.advice}};
}

QJsonObject toJson(const TestReport& report) {
    QJsonArray checks;
    for (const auto& c : report.checks)
        checks.append(toJson(c));
    return {{"ok", report.ok()}, {"checks", checks}};
}

TestReport testReportFromJson(const QJsonObject& o, QList<FieldError>* errors) {
    TestReport report;
    JsonReader r(o, errors);
    r.readObjectArray("checks", [&report](JsonReader& sub) {
        TestCheck check;
        sub.read("key", check.key);
        sub.read("title", check.title);
        sub.read("ok", check.ok);
        sub.readEnum("severity", check.severity, checkSeverityFromString);
        sub.read("message", check.message);
        sub.read("advice", check.advice);
        report.checks.append(check);
    });
    return report;
}

} // namespace ck
