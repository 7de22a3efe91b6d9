// /api/managedcertificates: every route's happy path and its bad inputs.

#include "ApiFixture.h"
#include "DevLicense.h"

#include <QJsonArray>
#include <QThread>

using namespace ck::test;

namespace {
std::string headerOf(const RawResponse& response, const std::string& lowerName) {
    const auto it = response.headers.find(lowerName);
    return it == response.headers.end() ? std::string() : it->second;
}

std::string itemPath(const QString& id) {
    return "/api/managedcertificates/" + id.toStdString();
}
} // namespace

TEST_CASE("create, read, update and delete a managed certificate", "[api][items]") {
    ApiFixture f;
    const auto created = f.createItem("Shop", {"shop.example.com", "www.shop.example.com"});
    REQUIRE(created.status == 201);
    const auto item = created.json();
    const QString id = item.value("id").toString();
    CHECK_FALSE(id.isEmpty());
    CHECK(item.value("version").toInt() == 1);
    CHECK(created.headers.at("location") == itemPath(id));
    CHECK(item["requestConfig"]["primaryDomain"].toString() == "shop.example.com");
    CHECK_FALSE(item.value("dateCreated").toString().isEmpty());

    const auto fetched = f.http->get(itemPath(id));
    REQUIRE(fetched.status == 200);
    CHECK(fetched.json() == item);

    QJsonObject changed = item;
    changed["name"] = "Shop (renamed)";
    const auto updated = f.http->put(itemPath(id), changed);
    REQUIRE(updated.status == 200);
    CHECK(updated.json().value("version").toInt() == 2);
    CHECK(f.http->get(itemPath(id)).json().value("name").toString() == "Shop (renamed)");

    const auto removed = f.http->del(itemPath(id));
    CHECK(removed.status == 204);
    CHECK(f.http->get(itemPath(id)).status == 404);
    CHECK(f.http->del(itemPath(id)).status == 404);
}

TEST_CASE("a stale version gets 409 and the saved item is untouched", "[api][items]") {
    ApiFixture f;
    const auto item = f.createItem("A", {"a.example.com"}).json();
    const QString id = item.value("id").toString();
    QJsonObject first = item;
    first["name"] = "first writer";
    REQUIRE(f.http->put(itemPath(id), first).status == 200);

    QJsonObject second = item; // still version 1
    second["name"] = "second writer";
    const auto conflict = f.http->put(itemPath(id), second);
    CHECK(conflict.status == 409);
    CHECK(conflict.field() == "version");
    CHECK(conflict.detail().contains("version 1"));
    CHECK(conflict.detail().contains("version 2"));
    const auto saved = f.http->get(itemPath(id)).json();
    CHECK(saved.value("name").toString() == "first writer");
    CHECK(saved.value("version").toInt() == 2);

    QJsonObject noVersion = item;
    noVersion.remove("version");
    const auto missing = f.http->put(itemPath(id), noVersion);
    CHECK(missing.status == 400);
    CHECK(missing.field() == "version");
}

TEST_CASE("unknown ids, routes and methods", "[api][items]") {
    ApiFixture f;
    const auto get = f.http->get("/api/managedcertificates/no-such-id");
    CHECK(get.status == 404);
    CHECK(get.detail().contains("no-such-id"));
    CHECK(f.http
              ->put("/api/managedcertificates/no-such-id",
                    QJsonObject{{"name", "x"},
                                {"version", 1},
                                {"requestConfig", QJsonObject{{"subjectAlternativeNames",
                                                               QJsonArray{"x.example.com"}}}}})
              .status == 404);
    CHECK(f.http->get("/api/nothing-here").status == 404);
    CHECK(f.http
              ->send({"PATCH",
                      "/api/managedcertificates/summary",
                      {{"Content-Type", "application/json"}},
                      "{}"})
              .status == 405);
}

TEST_CASE("malformed JSON and wrong types are 400 naming the problem", "[api][items]") {
    ApiFixture f;
    const auto broken = f.http->send({"POST",
                                      "/api/managedcertificates",
                                      {{"Content-Type", "application/json"}},
                                      "{\"name\": \"x\","});
    CHECK(broken.status == 400);
    CHECK(broken.detail().contains("not valid JSON"));

    const auto array = f.http->send(
        {"POST", "/api/managedcertificates", {{"Content-Type", "application/json"}}, "[1,2]"});
    CHECK(array.status == 400);

    const auto wrongType = f.http->post(
        "/api/managedcertificates",
        QJsonObject{{"name", 42},
                    {"requestConfig",
                     QJsonObject{{"subjectAlternativeNames", QJsonArray{"a.example.com", 7}}}}});
    CHECK(wrongType.status == 400);
    const auto errors = wrongType.json().value("errors").toArray();
    QStringList fields;
    for (const auto& e : errors)
        fields << e.toObject().value("field").toString();
    CHECK(fields.contains("name"));
    CHECK(fields.contains("requestConfig.subjectAlternativeNames[1]"));
    CHECK(f.http->get("/api/managedcertificates").json().value("total").toInt() == 0);
}

TEST_CASE("invalid domains are refused with the field at fault", "[api][items][validation]") {
    ApiFixture f;
    const auto bad = f.createItem("Bad", {"ok.example.com", "bad_name.example.com"});
    CHECK(bad.status == 422);
    CHECK(bad.field() == "requestConfig.subjectAlternativeNames[1]");
    CHECK(bad.detail().contains("bad_name.example.com"));

    CHECK(f.createItem("Dup", {"a.example.com", "A.EXAMPLE.com."}).field() ==
          "requestConfig.subjectAlternativeNames[1]");
    CHECK(f.createItem("Wild", {"*.*.example.com"}).status == 422);
    CHECK(f.createItem("Single", {"localhost"}).status == 422);
    CHECK(f.createItem("", {"a.example.com"}).field() == "name");
    CHECK(f.createItem("None", {}).status == 422);

    QStringList many;
    for (int i = 0; i < 101; ++i)
        many << QString("n%1.example.com").arg(i);
    const auto tooMany = f.createItem("Many", many);
    CHECK(tooMany.status == 422);
    CHECK(tooMany.detail().contains("100"));
    CHECK(f.http->get("/api/managedcertificates").json().value("total").toInt() == 0);

    const auto idn = f.createItem("IDN", {"bücher.example", "*.example.org"});
    REQUIRE(idn.status == 201);
    const auto names = idn.json()["requestConfig"]["subjectAlternativeNames"].toArray();
    CHECK(names.at(0).toString() == "xn--bcher-kva.example");
    CHECK(names.at(1).toString() == "*.example.org");
}

TEST_CASE("list searches by name and any domain, filters and pages", "[api][items]") {
    ApiFixture f;
    REQUIRE(activateDevLicense(f.service)); // 25 items: more than the Community edition's 5
    for (int i = 0; i < 25; ++i)
        REQUIRE(
            f.createItem(QString("Site %1").arg(i, 2, 10, QChar('0')),
                         {QString("s%1.example.com").arg(i), QString("alt%1.example.net").arg(i)})
                .status == 201);

    const auto all = f.http->get("/api/managedcertificates?limit=10&offset=20").json();
    CHECK(all.value("total").toInt() == 25);
    CHECK(all.value("items").toArray().size() == 5);
    CHECK(all["items"].toArray().at(0)["name"].toString() == "Site 20");

    const auto byName = f.http->get("/api/managedcertificates?search=site%2007").json();
    CHECK(byName.value("total").toInt() == 1);
    const auto byAltDomain = f.http->get("/api/managedcertificates?search=alt13.example").json();
    REQUIRE(byAltDomain.value("total").toInt() == 1);
    CHECK(byAltDomain["items"].toArray().at(0)["name"].toString() == "Site 13");

    const auto notIssued = f.http->get("/api/managedcertificates?status=NotYetIssued").json();
    CHECK(notIssued.value("total").toInt() == 25);
    CHECK(f.http->get("/api/managedcertificates?status=OK").json().value("total").toInt() == 0);

    const auto badStatus = f.http->get("/api/managedcertificates?status=Shiny");
    CHECK(badStatus.status == 400);
    CHECK(badStatus.field() == "status");
    CHECK(f.http->get("/api/managedcertificates?limit=0").field() == "limit");
    CHECK(f.http->get("/api/managedcertificates?offset=-1").field() == "offset");

    const auto summary = f.http->get("/api/managedcertificates/summary").json();
    CHECK(summary.value("total").toInt() == 25);
    CHECK(summary.value("totalDomains").toInt() == 50);
    CHECK(summary["byHealth"]["NotYetIssued"].toInt() == 25);
}

TEST_CASE("client-supplied state fields are ignored", "[api][items]") {
    ApiFixture f;
    const auto created = f.http->post(
        "/api/managedcertificates",
        QJsonObject{{"name", "Sneaky"},
                    {"version", 99},
                    {"certificateThumbprint", "AA"},
                    {"renewalFailureCount", 7},
                    {"requestConfig",
                     QJsonObject{{"subjectAlternativeNames", QJsonArray{"s.example.com"}}}}});
    REQUIRE(created.status == 201);
    CHECK(created.json().value("version").toInt() == 1);
    CHECK(created.json().value("certificateThumbprint").toString().isEmpty());
    CHECK(created.json().value("renewalFailureCount").toInt() == 0);
}

TEST_CASE("a name with a line break or direction override is refused, and nothing is saved",
          "[api][items][validation]") {
    ApiFixture f;
    const auto created = f.createItem("Shop", {"shop.example.com"});
    REQUIRE(created.status == 201);
    const QJsonObject item = created.json();
    const QString id = item.value("id").toString();

    QJsonObject forged = item;
    forged["name"] = "Shop\n2026-01-01 00:00:00.000 +00:00 [ERR] forged";
    const auto refused = f.http->put(itemPath(id), forged);
    INFO(refused.body);
    CHECK(refused.status == 400);
    CHECK(refused.field() == "name");
    CHECK(refused.detail() == "The name contains a line break or control character; remove it");
    const QJsonObject stored = f.http->get(itemPath(id)).json();
    CHECK(stored.value("name").toString() == "Shop");
    CHECK(stored.value("version").toInt() == 1);

    const auto reversed = f.createItem(QStringLiteral("invoice\u202Efdp.exe"), {"b.example.com"});
    CHECK(reversed.status == 400);
    CHECK(reversed.field() == "name");
    CHECK(reversed.detail().contains("U+202E"));

    QJsonObject withTask = item;
    withTask["postRequestTasks"] = QJsonArray{
        QJsonObject{{"type", "webhook"},
                    {"name", "notify\r\nforged"},
                    {"parameters", QJsonObject{{"url", "https://hooks.example.test/x"}}}}};
    const auto taskRefused = f.http->put(itemPath(id), withTask);
    INFO(taskRefused.body);
    CHECK(taskRefused.status == 400);
    CHECK(taskRefused.field() == "postRequestTasks[0].name");

    const auto batch = f.http->post(
        "/api/managedcertificates/batch",
        QJsonObject{
            {"items", QJsonArray{QJsonObject{
                          {"name", "row\nforged"},
                          {"requestConfig", QJsonObject{{"subjectAlternativeNames",
                                                         QJsonArray{"c.example.com"}}}}}}}});
    REQUIRE(batch.status == 200);
    CHECK(batch.json()["results"][0]["errors"][0]["field"].toString() == "name");
    CHECK(f.http->get("/api/managedcertificates").json().value("total").toInt() == 1);

    const auto credential =
        f.http->post("/api/credentials", QJsonObject{{"type", "smtp-password"},
                                                     {"title", "Mail\nforged"},
                                                     {"values", QJsonObject{{"password", "x"}}}});
    CHECK(credential.status == 400);
    CHECK(credential.field() == "title");
}

TEST_CASE("the list and the summary answer 304 to a client whose copy is current",
          "[api][items][conditional]") {
    ApiFixture f;
    REQUIRE(f.createItem("Shop", {"shop.example.com"}).status == 201);
    for (const std::string route :
         {"/api/managedcertificates?offset=0&limit=50", "/api/managedcertificates/summary"}) {
        INFO(route);
        const auto first = f.http->get(route);
        REQUIRE(first.status == 200);
        const std::string tag = headerOf(first, "etag");
        REQUIRE(tag.size() > 2);
        CHECK(tag.front() == '"');
        CHECK(headerOf(first, "cache-control") == "private, no-cache");
        auto conditional = [&](const std::string& ifNoneMatch) {
            return f.http->send({"GET", route, {{"If-None-Match", ifNoneMatch}}, {}});
        };
        const auto unchanged = conditional(tag);
        CHECK(unchanged.status == 304);
        CHECK(unchanged.body.empty());
        CHECK(headerOf(unchanged, "etag") == tag);
        // A weak tag, a list naming it, and "*" all match; another tag or garbage does not.
        CHECK(conditional("W/" + tag).status == 304);
        CHECK(conditional("\"other\", " + tag).status == 304);
        CHECK(conditional("*").status == 304);
        CHECK(conditional("\"other\"").status == 200);
        CHECK(conditional("not a tag " + tag).status == 200);
        // Without the token the answer is 401 whatever the tag: nothing leaks by a 304.
        CHECK(f.http->send({"GET", route, {{"If-None-Match", tag}}, {}}, false).status == 401);
    }
    const std::string listRoute = "/api/managedcertificates?offset=0&limit=50";
    const std::string before = headerOf(f.http->get(listRoute), "etag");
    REQUIRE(f.createItem("Blog", {"blog.example.com"}).status == 201);
    const auto changed = f.http->send({"GET", listRoute, {{"If-None-Match", before}}, {}});
    CHECK(changed.status == 200);
    CHECK(headerOf(changed, "etag") != before);
    CHECK(changed.json().value("items").toArray().size() == 2);

    // An edit moves the tag of a page that shows it, not of a page that does not; another query
    // has a tag of its own.
    const std::string firstPage = "/api/managedcertificates?offset=0&limit=1"; // "Blog"
    const auto first = f.http->get(firstPage);
    REQUIRE(first.json().value("items").toArray().at(0).toObject().value("name") == "Blog");
    const std::string firstTag = headerOf(first, "etag");
    CHECK(firstTag != headerOf(changed, "etag"));
    const auto shop = changed.json().value("items").toArray().at(1).toObject();
    REQUIRE(shop.value("name") == "Shop");
    const std::string shopRoute =
        "/api/managedcertificates/" + shop.value("id").toString().toStdString();
    QJsonObject edited = f.http->get(shopRoute).json();
    edited["comments"] = "edited";
    REQUIRE(f.http->put(shopRoute, edited).status == 200);
    const auto afterEdit =
        f.http->send({"GET", listRoute, {{"If-None-Match", headerOf(changed, "etag")}}, {}});
    CHECK(afterEdit.status == 200);
    CHECK(afterEdit.json().value("items").toArray().at(1).toObject().value("comments") == "edited");
    CHECK(f.http->send({"GET", firstPage, {{"If-None-Match", firstTag}}, {}}).status == 304);
    REQUIRE(f.http->del(shopRoute).status == 204);
    const auto afterDelete =
        f.http->send({"GET", listRoute, {{"If-None-Match", headerOf(afterEdit, "etag")}}, {}});
    CHECK(afterDelete.status == 200);
    CHECK(afterDelete.json().value("total").toInt() == 1);
    CHECK(f.http->send({"GET", firstPage, {{"If-None-Match", firstTag}}, {}}).status == 200);

    // Writes by the service itself: after a restart the scheduler plans the item and tries it
    // (no account: a failed attempt), saving each step. The old tag gets the newer copy; once
    // the service rests, the tag of the last copy holds.
    const std::string beforeRestart = headerOf(afterDelete, "etag");
    REQUIRE(afterDelete.json().value("items").toArray().at(0).toObject().value("version") == 1);
    REQUIRE(f.service.stop());
    REQUIRE(f.service.start());
    f.http = std::make_unique<RawHttp>(f.service.port(), f.service.token().toStdString());
    auto latest = f.http->send({"GET", listRoute, {{"If-None-Match", beforeRestart}}, {}});
    REQUIRE(latest.status == 200);
    CHECK(latest.json().value("items").toArray().at(0).toObject().value("version").toInt() >= 2);
    int status = 0;
    for (int attempt = 0; attempt < 100 && status != 304; ++attempt) {
        const auto next =
            f.http->send({"GET", listRoute, {{"If-None-Match", headerOf(latest, "etag")}}, {}});
        status = next.status;
        if (status == 200)
            latest = next;
        QThread::msleep(100);
    }
    CHECK(status == 304);
}
