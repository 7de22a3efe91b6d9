#pragma once
// What Preview and Test answer, shared by the service (which builds them) and the app and CLI
// (which show them), so all three read the same JSON the same way.
//
// ActionStep: one step of what a request would do (POST .../preview), with what would go wrong
// in it. Steps form a tree: the request's phases, then one substep per name or task.
// TestCheck: one check of POST .../test that a user can act on: what was checked, whether it
// passed, how much it matters, what was found and what to do about it.

#include "ApiError.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QStringList>

#include <optional>

namespace ck {

class JsonReader;

// The phases of a request, in the order Preview lists them (ActionStep::category).
namespace step_categories {
inline const QString kSummary = QStringLiteral("summary");
inline const QString kValidation = QStringLiteral("validation");
inline const QString kPreRequestTasks = QStringLiteral("preRequestTasks");
inline const QString kRequest = QStringLiteral("request");
inline const QString kPostRequestTasks = QStringLiteral("postRequestTasks");
} // namespace step_categories

struct ActionStep {
    QString key;         // stable within one preview: "validation.www.example.com"
    QString title;       // one line
    QString description; // Markdown: what would happen
    QString category;    // step_categories; substeps carry their phase's category
    QStringList warnings;
    QStringList errors; // what would make the request fail
    QList<ActionStep> substeps;

    // Errors in this step or any below it.
    int errorCount() const;
    int warningCount() const;
    // Not defaulted: QList's == cannot see that of a type it is nested in.
    bool operator==(const ActionStep& other) const;
};

QJsonObject toJson(const ActionStep& step);
void readActionStep(JsonReader& r, ActionStep& step);
// {"steps": [...]}, the answer of POST .../preview.
QJsonObject previewToJson(const QList<ActionStep>& steps);
QList<ActionStep> previewFromJson(const QJsonObject& o, QList<FieldError>* errors);

struct TestCheck {
    // How much a failed check matters: Error (a request would fail), Warning (it may fail, or
    // something around it will), Info (a fact worth knowing; never fails).
    enum class Severity { Error, Warning, Info };

    QString key; // stable: "http01.www.example.com", "ca.directory"
    QString title;
    bool ok = false;
    Severity severity = Severity::Error;
    QString message; // what was found
    QString advice;  // what to do; empty when there is nothing to do

    bool operator==(const TestCheck&) const = default;
};

QString toString(TestCheck::Severity s);
std::optional<TestCheck::Severity> checkSeverityFromString(const QString& s);

// The answer of POST .../test: ok when no check of severity Error failed.
struct TestReport {
    QList<TestCheck> checks;
    bool ok() const;
    bool operator==(const TestReport&) const = default;
};

QJsonObject toJson(const TestCheck& check);
QJsonObject toJson(const TestReport& report);
TestReport testReportFromJson(const QJsonObject& o, QList<FieldError>* errors);

} // namespace ck
