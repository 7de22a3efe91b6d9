// Deployment tasks through the real service: the type catalogue, tasks validated and given ids
// when an item is saved, and POST .../deploy running them now, with each failure explained in the
// answer and in the item's log.

#include "ApiFixture.h"

#include <QFile>
#include <QTemporaryDir>

using namespace ck::test;

namespace {
std::string itemPath(const QString& id) {
    return "/api/managedcertificates/" + id.toStdString();
}

QJsonObject itemBody(const QJsonArray& postTasks, const QJsonArray& preTasks = {}) {
    return {
        {"name", "Shop"},
        {"requestConfig", QJsonObject{{"subjectAlternativeNames", QJsonArray{"shop.example.com"}}}},
        {"postRequestTasks", postTasks},
        {"preRequestTasks", preTasks}};
}

QString logOf(const ApiFixture& f, const QString& id) {
    QStringList lines;
    for (const QJsonValue e :
         f.http->get(itemPath(id) + "/log?limit=100").json()["entries"].toArray())
        lines.append(e["message"].toString());
    return lines.join(u'\n');
}
} // namespace

TEST_CASE("The task type catalogue describes forms for every type", "[api][deploy]") {
    ApiFixture f;
    CHECK(f.http->send({"GET", "/api/deploymenttasks/types", {}, {}}, false).status == 401);
    const auto answer = f.http->get("/api/deploymenttasks/types");
    REQUIRE(answer.status == 200);
    const QJsonArray items = answer.json()["items"].toArray();
    QStringList types;
    for (const QJsonValue t : items) {
        types.append(t["type"].toString());
        CHECK_FALSE(t["title"].toString().isEmpty());
        CHECK_FALSE(t["description"].toString().isEmpty());
        for (const auto& p : t["parameters"].toArray()) {
            const QJsonObject param = p.toObject();
            for (const char* key :
                 {"key", "label", "kind", "required", "default", "choices", "description"})
                CHECK(param.contains(QLatin1String(key)));
        }
    }
    CHECK(types == QStringList{"export", "script", "reload", "webhook", "wait", "haproxy", "apache",
                               "postfix", "dovecot", "ssh"});
}

TEST_CASE("Saving an item validates its tasks and gives new ones ids", "[api][deploy]") {
    ApiFixture f;
    const auto refused = f.http->post(
        "/api/managedcertificates",
        itemBody({QJsonObject{{"type", "ftp"}},
                  QJsonObject{{"type", "export"}, {"parameters", QJsonObject{{"mode", "777x"}}}}}));
    REQUIRE(refused.status == 422);
    QStringList fields;
    for (const QJsonValue e : refused.json()["errors"].toArray())
        fields.append(e["field"].toString());
    CHECK(fields == QStringList{"postRequestTasks[0].type", "postRequestTasks[1].parameters.path",
                                "postRequestTasks[1].parameters.mode"});
    CHECK(f.http->get("/api/managedcertificates").json()["total"].toInt() == 0);

    const auto created = f.http->post(
        "/api/managedcertificates",
        itemBody({QJsonObject{{"type", "wait"}, {"parameters", QJsonObject{{"seconds", 1}}}},
                  QJsonObject{{"type", "wait"}, {"id", "mine"}}},
                 {QJsonObject{{"type", "wait"}, {"trigger", "manual"}}}));
    REQUIRE(created.status == 201);
    const QJsonObject item = created.json();
    const QString first = item["postRequestTasks"][0]["id"].toString();
    CHECK(first.size() == 8);
    CHECK(item["postRequestTasks"][0]["name"].toString() == QStringLiteral("Wait"));
    CHECK(item["postRequestTasks"][1]["id"].toString() == QStringLiteral("mine"));
    CHECK_FALSE(item["preRequestTasks"][0]["id"].toString().isEmpty());

    // An update keeps the ids it carries; a task added without one gets one.
    QJsonObject changed = item;
    QJsonArray post = item["postRequestTasks"].toArray();
    post.append(QJsonObject{{"type", "wait"}});
    changed["postRequestTasks"] = post;
    const auto updated = f.http->put(itemPath(item["id"].toString()), changed);
    REQUIRE(updated.status == 200);
    CHECK(updated.json()["postRequestTasks"][0]["id"].toString() == first);
    CHECK(updated.json()["postRequestTasks"][2]["id"].toString().size() == 8);
}

TEST_CASE("Deploy runs the tasks now and answers with each one's result", "[api][deploy]") {
    ApiFixture f;
    QTemporaryDir dir;
    const QString marker = dir.filePath("deployed.txt");
    const QString script = dir.filePath("deploy.sh");
    {
        QFile s(script);
        REQUIRE(s.open(QIODevice::WriteOnly));
        s.write("#!/bin/sh\necho \"$CERTKEEPER_STAGE $CERTKEEPER_PRIMARY_DOMAIN\" > \"$1\"\n"
                "echo deployed-output\n");
        s.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    }
    const auto created = f.http->post(
        "/api/managedcertificates",
        itemBody(
            {QJsonObject{{"type", "script"},
                         {"id", "run"},
                         {"name", "Tell the balancer"},
                         {"parameters", QJsonObject{{"program", script}, {"arguments", marker}}}},
             QJsonObject{{"type", "export"},
                         {"id", "pem"},
                         {"fatalOnError", false},
                         {"parameters", QJsonObject{{"path", dir.filePath("out.pem")}}}},
             QJsonObject{{"type", "webhook"},
                         {"id", "hook"},
                         {"trigger", "onError"},
                         {"parameters", QJsonObject{{"url", "http://127.0.0.1:9/x"}}}}}));
    REQUIRE(created.status == 201);
    const QString id = created.json()["id"].toString();

    const auto answer = f.http->post(itemPath(id) + "/deploy", QJsonObject{});
    REQUIRE(answer.status == 200);
    const QJsonArray results = answer.json()["results"].toArray();
    REQUIRE(results.size() == 3);
    CHECK(results[0]["taskId"].toString() == QStringLiteral("run"));
    CHECK(results[0]["name"].toString() == QStringLiteral("Tell the balancer"));
    CHECK(results[0]["status"].toString() == QStringLiteral("success"));
    CHECK(results[0]["durationMs"].isDouble());
    CHECK(QFile(marker).open(QIODevice::ReadOnly));
    QFile written(marker);
    REQUIRE(written.open(QIODevice::ReadOnly));
    CHECK(written.readAll() == "deploy shop.example.com\n");
    // Not issued yet: the export says so, in the answer and in the log.
    CHECK(results[1]["status"].toString() == QStringLiteral("failed"));
    CHECK(results[1]["message"].toString() ==
          QStringLiteral("'Shop' has no certificate yet; request one first"));
    CHECK(results[2]["status"].toString() == QStringLiteral("skipped"));
    const QString log = logOf(f, id);
    CHECK(log.contains(QStringLiteral("deployed-output")));
    CHECK(log.contains(QStringLiteral("Task 'Export certificate' (export) failed: 'Shop' has no "
                                      "certificate yet")));

    SECTION("one task by id, whatever its trigger") {
        const auto one = f.http->post(itemPath(id) + "/deploy", QJsonObject{{"taskId", "hook"}});
        REQUIRE(one.status == 200);
        const QJsonArray r = one.json()["results"].toArray();
        REQUIRE(r.size() == 1);
        CHECK(r[0]["status"].toString() == QStringLiteral("failed"));
        CHECK(r[0]["message"].toString().startsWith(
            QStringLiteral("The webhook to 127.0.0.1 failed: POST http://127.0.0.1:9 failed")));
    }
    SECTION("bad inputs: unknown task, wrong type, unknown item") {
        const auto unknown =
            f.http->post(itemPath(id) + "/deploy", QJsonObject{{"taskId", "nope"}});
        CHECK(unknown.status == 404);
        CHECK(unknown.field() == QStringLiteral("taskId"));
        CHECK(unknown.detail() == QStringLiteral("'Shop' has no task with the id 'nope'; see its "
                                                 "task list"));
        const auto wrongType = f.http->post(itemPath(id) + "/deploy", QJsonObject{{"taskId", 3}});
        CHECK(wrongType.status == 400);
        CHECK(wrongType.field() == QStringLiteral("taskId"));
        CHECK(f.http->post("/api/managedcertificates/none/deploy", QJsonObject{}).status == 404);
    }
}
