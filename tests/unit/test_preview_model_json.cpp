// The JSON of Preview's steps and Test's checks: what the service writes is what the app and the
// CLI read back, nested steps included, and a malformed answer is reported by field.

#include "model/ActionStep.h"

#include <catch2/catch.hpp>

#include <QJsonDocument>

using namespace ck;

namespace {
ActionStep sampleTree() {
    ActionStep name;
    name.key = QStringLiteral("validation.www.example.com");
    name.title = QStringLiteral("www.example.com: http-01 by the built-in listener on port 80");
    name.description = QStringLiteral("The service listens on port 80 ...");
    name.category = step_categories::kValidation;
    name.errors << QStringLiteral("The service may not listen on port 80");

    ActionStep validation;
    validation.key = QStringLiteral("validation");
    validation.title = QStringLiteral("Prove control of 1 name");
    validation.category = step_categories::kValidation;
    validation.warnings << QStringLiteral("Challenge setting 2 applies to none of the names");
    validation.substeps << name;
    return validation;
}
} // namespace

TEST_CASE("Preview steps survive the trip through JSON, nested steps included", "[unit][preview]") {
    const QList<ActionStep> steps{sampleTree()};
    const QJsonObject json = previewToJson(steps);
    // Field names as the API contract has them.
    const QJsonObject first = json.value("steps").toArray().first().toObject();
    for (const char* key :
         {"key", "title", "description", "category", "warnings", "errors", "substeps"})
        CHECK(first.contains(QLatin1String(key)));

    QList<FieldError> errors;
    const auto back =
        previewFromJson(QJsonDocument::fromJson(QJsonDocument(json).toJson()).object(), &errors);
    CHECK(errors.isEmpty());
    REQUIRE(back.size() == 1);
    REQUIRE(back.first() == steps.first());
    CHECK(back.first().errorCount() == 1);   // the substep's error counts for its parent
    CHECK(back.first().warningCount() == 1); // and the parent's own warning
}

TEST_CASE("A malformed preview answer is reported by field, not read as empty", "[unit][preview]") {
    const QJsonObject bad{
        {"steps", QJsonArray{QJsonObject{{"title", 5},
                                         {"substeps", QJsonArray{QJsonObject{{"errors", "x"}}}}}}}};
    QList<FieldError> errors;
    previewFromJson(bad, &errors);
    QStringList fields;
    for (const auto& e : errors)
        fields << e.field;
    CHECK(fields.contains(QStringLiteral("steps[0].title")));
    CHECK(fields.contains(QStringLiteral("steps[0].substeps[0].errors")));
}

TEST_CASE("Test checks: severities by name, overall ok only when no error check failed",
          "[unit][preview]") {
    TestCheck passed{QStringLiteral("names"),
                     QStringLiteral("The names are well-formed"),
                     true,
                     TestCheck::Severity::Error,
                     QStringLiteral("1 name"),
                     {}};
    TestCheck warned{QStringLiteral("dns.www.example.com"),
                     QStringLiteral("resolves"),
                     false,
                     TestCheck::Severity::Warning,
                     QStringLiteral("NXDOMAIN"),
                     QStringLiteral("Create an A record")};
    TestReport report{{passed, warned}};
    CHECK(report.ok()); // a failed warning does not fail the test
    QJsonObject json = toJson(report);
    CHECK(json.value("ok").toBool());
    CHECK(json.value("checks").toArray().at(1).toObject().value("severity").toString() ==
          "warning");

    report.checks << TestCheck{QStringLiteral("ca.directory"),
                               QStringLiteral("CA answers"),
                               false,
                               TestCheck::Severity::Error,
                               QStringLiteral("connection refused"),
                               QStringLiteral("Check the network")};
    CHECK_FALSE(report.ok());
    json = toJson(report);
    CHECK_FALSE(json.value("ok").toBool());

    QList<FieldError> errors;
    const TestReport back = testReportFromJson(json, &errors);
    CHECK(errors.isEmpty());
    CHECK(back == report);

    QJsonObject unknownSeverity = json;
    QJsonArray checks = unknownSeverity.value("checks").toArray();
    QJsonObject c = checks[0].toObject();
    c.insert("severity", "fatal");
    checks[0] = c;
    unknownSeverity.insert("checks", checks);
    errors.clear();
    testReportFromJson(unknownSeverity, &errors);
    REQUIRE(errors.size() == 1);
    CHECK(errors.first().field == "checks[0].severity");
}
