// Preview and Test's bad inputs, against the real service: each gets a clear problem+json
// naming the field, the same validation a save gets, and nothing is saved on the way. Also a
// preview of an unsaved item, which needs no CA.

#include "ApiFixture.h"

using namespace ck::test;

namespace {
const std::string kBase = "/api/managedcertificates";

QStringList fieldsOf(const RawResponse& r) {
    QStringList fields;
    for (const auto& e : r.json().value("errors").toArray())
        fields << e.toObject().value("field").toString();
    return fields;
}

QJsonObject item(const QJsonArray& names) {
    return {{"name", "Edited"}, {"requestConfig", QJsonObject{{"subjectAlternativeNames", names}}}};
}
} // namespace

TEST_CASE("Preview and Test of an unknown id: 404 naming it", "[api][preview]") {
    ApiFixture f;
    for (const char* action : {"/preview", "/test"}) {
        INFO(action);
        const auto r = f.http->post(kBase + "/no-such-id" + action, QJsonObject{});
        CHECK(r.status == 404);
        CHECK(r.headers.at("content-type") == "application/problem+json");
        CHECK(r.detail().contains("no-such-id"));
        // Unsaved edits of an item that does not exist are not taken for a new one.
        const auto edits = f.http->post(kBase + "/no-such-id" + action,
                                        QJsonObject{{"item", item({"a.example.com"})}});
        CHECK(edits.status == 404);
    }
}

TEST_CASE("Unsaved edits are validated as a save would be; nothing is saved", "[api][preview]") {
    ApiFixture f;
    const auto created = f.createItem("Stored", {"stored.example.com"});
    REQUIRE(created.status == 201);
    const QJsonObject stored = created.json();
    const std::string id = stored.value("id").toString().toStdString();

    for (const std::string& target : {kBase + "/" + id + "/preview", kBase + "/" + id + "/test",
                                      kBase + "/preview", kBase + "/test"}) {
        INFO(target);
        // Wrong types: 400 with the field's path inside the item.
        const auto typed = f.http->post(
            target,
            QJsonObject{
                {"item", QJsonObject{{"name", "x"},
                                     {"requestConfig",
                                      QJsonObject{{"subjectAlternativeNames", "a.com"}}}}}});
        CHECK(typed.status == 400);
        CHECK(fieldsOf(typed).contains("requestConfig.subjectAlternativeNames"));

        // Values a save refuses: 422 naming every field.
        const auto invalid = f.http->post(
            target,
            QJsonObject{
                {"item", QJsonObject{{"name", ""},
                                     {"requestConfig",
                                      QJsonObject{{"subjectAlternativeNames",
                                                   QJsonArray{"ok.example.com", "bad_name!"}}}}}}});
        CHECK(invalid.status == 422);
        CHECK(fieldsOf(invalid).contains("name"));
        CHECK(fieldsOf(invalid).contains("requestConfig.subjectAlternativeNames[1]"));

        // The item not wrapped in {"item": ...}: a mistake worth naming.
        const auto unwrapped = f.http->post(target, item({"a.example.com"}));
        CHECK(unwrapped.status == 400);
        CHECK(unwrapped.detail().contains("{\"item\": {...}}"));

        const auto notObject = f.http->post(target, QJsonObject{{"item", 5}});
        CHECK(notObject.status == 400);
        CHECK(notObject.field() == "item");

        const auto notJson =
            f.http->send({"POST", target, {{"Content-Type", "application/json"}}, "{"});
        CHECK(notJson.status == 400);
    }

    // Without an id there is no stored item to fall back on.
    const auto empty = f.http->post(kBase + "/preview", QJsonObject{});
    CHECK(empty.status == 400);
    CHECK(empty.field() == "item");
    CHECK(empty.detail().contains("/api/managedcertificates/ID/"));

    QJsonObject other = stored;
    other.insert("id", "another-id");
    const auto mismatch = f.http->post(kBase + "/" + id + "/preview", QJsonObject{{"item", other}});
    CHECK(mismatch.status == 400);
    CHECK(mismatch.field() == "id");

    const auto list = f.http->get(kBase).json();
    CHECK(list.value("total").toInt() == 1);
    CHECK(f.http->get(kBase + "/" + id).json() == stored);
}

TEST_CASE("Preview of a new, unsaved item: steps for its names, and what is missing",
          "[api][preview]") {
    ApiFixture f;
    const auto r =
        f.http->post(kBase + "/preview",
                     QJsonObject{{"item", item({"new.example.com", "www.new.example.com"})}});
    INFO(r.body);
    REQUIRE(r.status == 200);
    const QJsonArray steps = r.json().value("steps").toArray();
    REQUIRE(steps.size() == 5);
    const QJsonObject summary = steps[0].toObject();
    CHECK(summary.value("title").toString() ==
          "Request a certificate for new.example.com and 1 more");
    // The default CA is known, but no account is registered with it in a new data directory.
    CHECK(summary.value("errors").toArray().first().toString().contains("no ACME account"));
    CHECK(steps[1].toObject().value("substeps").toArray().size() == 2);
    CHECK(steps[3].toObject().value("description").toString().contains("<new id>"));
    CHECK(f.http->get(kBase).json().value("total").toInt() == 0);
}
