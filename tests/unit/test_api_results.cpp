// The typed answers of the API calls without a resource of their own (ApiResults.h): what the
// service sends is read field by field, and a malformed answer fails by naming the field at
// fault instead of turning into a default.

#include "TestSupport.h"
#include "model/ApiResults.h"
#include "model/StrictDecode.h"

#include <QJsonArray>
#include <QTimeZone>

using namespace ck;
using cktest::fieldsOf;

TEST_CASE("A started request is read, and an answer without its id is refused", "[unit][api]") {
    const auto started =
        decodeStrict(QJsonObject{{"id", "abc"}, {"status", "Queued"}}, &RequestStarted::fromJson);
    REQUIRE(started.ok());
    CHECK(started.value.id == QStringLiteral("abc"));
    CHECK(started.value.status == RequestState::Queued);
    CHECK(decodeStrict(started.value.toJson(), &RequestStarted::fromJson).value == started.value);

    const auto noId = decodeStrict(QJsonObject{{"status", "Queued"}}, &RequestStarted::fromJson);
    CHECK(fieldsOf(noId.errors) == QStringList{"id"});
    CHECK(describeFieldErrors(noId.errors) == QStringLiteral("id: is missing"));
    const auto badStatus =
        decodeStrict(QJsonObject{{"id", "abc"}, {"status", "Sleeping"}}, &RequestStarted::fromJson);
    CHECK(fieldsOf(badStatus.errors) == QStringList{"status"});
}

TEST_CASE("Renewals started: queued and skipped ids, with the reason", "[unit][api]") {
    const QJsonObject answer{
        {"queued", QJsonArray{"a", "b"}},
        {"skipped", QJsonArray{QJsonObject{{"id", "c"}, {"reason", "no managed certificate"}}}}};
    const auto started = decodeStrict(answer, &RenewalsStarted::fromJson);
    REQUIRE(started.ok());
    CHECK(started.value.queued == QStringList{"a", "b"});
    REQUIRE(started.value.skipped.size() == 1);
    CHECK(started.value.skipped[0].id == QStringLiteral("c"));
    CHECK(started.value.skipped[0].reason == QStringLiteral("no managed certificate"));
    CHECK(started.value.toJson() == answer);

    const auto malformed = decodeStrict(
        QJsonObject{{"queued", "a"}, {"skipped", QJsonArray{QJsonObject{{"reason", "why"}}, 3}}},
        &RenewalsStarted::fromJson);
    CHECK(fieldsOf(malformed.errors) == QStringList{"queued", "skipped[0].id", "skipped[1]"});
    const auto empty = decodeStrict(QJsonObject{}, &RenewalsStarted::fromJson);
    CHECK(fieldsOf(empty.errors) == QStringList{"queued", "skipped"});
}

TEST_CASE("A stored credential is read as the service writes it, never from a wrong answer",
          "[unit][api]") {
    StoredCredential c;
    c.id = QStringLiteral("cred1");
    c.title = QStringLiteral("ns1 key");
    c.type = QStringLiteral("rfc2136");
    c.fields = {{"server", "ns1.example.com"}};
    c.secretFields = {QStringLiteral("secret")};
    c.dateCreated = QDateTime(QDate(2025, 3, 1), QTime(12, 0), Qt::UTC);
    const auto read = decodeStrict(c.toJson(), storedCredentialFromJson);
    REQUIRE(read.ok());
    CHECK(read.value == c);

    const auto list = decodeStrict(
        credentialListToJson({c, c}), [](const QJsonObject& o, QList<FieldError>* errors) {
            return decodeArray(o, QStringLiteral("items"), storedCredentialFromJson, errors);
        });
    REQUIRE(list.ok());
    CHECK(list.value.size() == 2);

    QJsonObject wrong = c.toJson();
    wrong.remove("id");
    wrong["secretFields"] = "secret";
    wrong["fields"] = QJsonArray{};
    const auto bad = decodeStrict(wrong, storedCredentialFromJson);
    CHECK(fieldsOf(bad.errors) == QStringList{"id", "fields", "secretFields"});
}

TEST_CASE("A credential's test: works, does not work, or cannot be tested here", "[unit][api]") {
    const auto works = decodeStrict(QJsonObject{{"ok", true}, {"message", "TSIG accepted"}},
                                    &CredentialTest::fromJson);
    REQUIRE(works.ok());
    CHECK(works.value.ok == true);
    CHECK(works.value.message == QStringLiteral("TSIG accepted"));

    const auto fails =
        decodeStrict(QJsonObject{{"ok", false}, {"message", "BADKEY"}, {"advice", "Check the key"}},
                     &CredentialTest::fromJson);
    REQUIRE(fails.ok());
    CHECK(fails.value.ok == false);
    CHECK(fails.value.advice == QStringLiteral("Check the key"));

    const auto untestable = decodeStrict(QJsonObject{{"ok", QJsonValue::Null}, {"message", "m"}},
                                         &CredentialTest::fromJson);
    REQUIRE(untestable.ok());
    CHECK(!untestable.value.ok.has_value());
    CHECK(decodeStrict(untestable.value.toJson(), &CredentialTest::fromJson).value ==
          untestable.value);

    // "yes" is not an answer; neither is an answer that does not say.
    const auto text = decodeStrict(QJsonObject{{"ok", "yes"}}, &CredentialTest::fromJson);
    CHECK(fieldsOf(text.errors) == QStringList{"ok"});
    const auto silent = decodeStrict(QJsonObject{{"message", "m"}}, &CredentialTest::fromJson);
    CHECK(fieldsOf(silent.errors) == QStringList{"ok"});
}

TEST_CASE("A backup package's answer: its text, counts and warnings; no text is an error",
          "[unit][api]") {
    const QJsonObject answer{{"package", "CKBACKUP1..."},
                             {"fileName", "certkeeper-backup.ckb"},
                             {"counts", QJsonObject{{"items", 3},
                                                    {"credentials", 1},
                                                    {"certificateAuthorities", 0},
                                                    {"accounts", 2}}},
                             {"warnings", QJsonArray{"a custom CA's root file is missing"}}};
    const auto exported = decodeStrict(answer, &BackupExport::fromJson);
    REQUIRE(exported.ok());
    CHECK(exported.value.package == QStringLiteral("CKBACKUP1..."));
    CHECK(exported.value.counts.items == 3);
    CHECK(exported.value.counts.accounts == 2);
    CHECK(exported.value.toJson() == answer);
    CHECK(exported.value.warnings.size() == 1);

    QJsonObject noPackage = answer;
    noPackage.remove("package");
    CHECK(fieldsOf(decodeStrict(noPackage, &BackupExport::fromJson).errors) ==
          QStringList{"package"});
    QJsonObject emptyPackage = answer;
    emptyPackage["package"] = "";
    CHECK(fieldsOf(decodeStrict(emptyPackage, &BackupExport::fromJson).errors) ==
          QStringList{"package"});
    QJsonObject badCounts = answer;
    badCounts["counts"] = QJsonObject{{"items", "three"}};
    CHECK(fieldsOf(decodeStrict(badCounts, &BackupExport::fromJson).errors) ==
          QStringList{"counts.items"});
}

TEST_CASE("A backup import's plan: each entry's action and the counts; a wrong action is an error",
          "[unit][api]") {
    const QJsonObject answer{
        {"preview", true},
        {"existing", "replace"},
        {"entries",
         QJsonArray{
             QJsonObject{{"kind", "item"}, {"id", "a1"}, {"title", "Shop"}, {"action", "replace"}},
             QJsonObject{
                 {"kind", "credential"}, {"id", "c1"}, {"title", "ns1 key"}, {"action", "add"}}}},
        {"counts", QJsonObject{{"add", 1}, {"replace", 1}, {"skip", 0}}},
        {"itemsAdded", 0},
        {"limitProblem", "The Community edition manages at most 5 certificates"},
        {"package", QJsonObject{{"createdAt", "2025-03-01T12:00:00.000Z"},
                                {"productVersion", "1.4.0"},
                                {"counts", QJsonObject{{"items", 1},
                                                       {"credentials", 1},
                                                       {"certificateAuthorities", 0},
                                                       {"accounts", 0}}}}}};
    const auto plan = decodeStrict(answer, &BackupImport::fromJson);
    REQUIRE(plan.ok());
    CHECK(plan.value.preview);
    CHECK(plan.value.replaceExisting);
    REQUIRE(plan.value.entries.size() == 2);
    CHECK(plan.value.entries[0].action == BackupImport::Action::Replace);
    CHECK(plan.value.entries[1].kind == QStringLiteral("credential"));
    CHECK(plan.value.counts.add == 1);
    CHECK(plan.value.package.counts.credentials == 1);
    CHECK(plan.value.package.createdAt == QDateTime(QDate(2025, 3, 1), QTime(12, 0), Qt::UTC));
    CHECK(plan.value.toJson() == answer); // what --json prints is what the service said

    QJsonObject wrong = answer;
    wrong.remove("preview");
    wrong["entries"] = QJsonArray{QJsonObject{{"kind", "item"}, {"id", "a1"}, {"action", "merge"}}};
    wrong["existing"] = "sometimes";
    CHECK(fieldsOf(decodeStrict(wrong, &BackupImport::fromJson).errors) ==
          QStringList{"preview", "existing", "entries[0].action"});
}

TEST_CASE("Many items created at once: a result for each, in order, with the refused fields",
          "[unit][api]") {
    const QJsonObject answer{
        {"dryRun", false},
        {"accepted", 1},
        {"refused", 2},
        {"results",
         QJsonArray{
             QJsonObject{{"index", 0}, {"status", "created"}, {"id", "n1"}},
             QJsonObject{{"index", 1},
                         {"status", "refused"},
                         {"reason", "Check the domains"},
                         {"errors", QJsonArray{QJsonObject{
                                        {"field", "requestConfig.subjectAlternativeNames[0]"},
                                        {"detail", "is not a domain name"}}}}},
             QJsonObject{{"index", 2},
                         {"status", "refused"},
                         {"reason", "The limit is reached"},
                         {"errors", QJsonArray{}},
                         {"limitReached", true}}}}};
    const auto batch = decodeStrict(answer, &BatchCreateResult::fromJson);
    REQUIRE(batch.ok());
    REQUIRE(batch.value.results.size() == 3);
    CHECK(batch.value.results[0].status == BatchCreateResult::Status::Created);
    CHECK(batch.value.results[0].id == QStringLiteral("n1"));
    CHECK(batch.value.results[1].errors.size() == 1);
    CHECK(batch.value.results[1].errors[0].field ==
          QStringLiteral("requestConfig.subjectAlternativeNames[0]"));
    CHECK(batch.value.results[2].limitReached);
    CHECK(batch.value.toJson() == answer);

    const auto malformed =
        decodeStrict(QJsonObject{{"dryRun", true},
                                 {"accepted", 0},
                                 {"refused", "none"},
                                 {"results", QJsonArray{QJsonObject{{"status", "maybe"}}}}},
                     &BatchCreateResult::fromJson);
    CHECK(fieldsOf(malformed.errors) ==
          QStringList{"refused", "results[0].index", "results[0].status"});
}
