// Run-script and webhook tasks: the documented environment variables and the JSON on stdin, the
// output in the item's log, failures with the output's tail, time limits; webhook bodies filled
// from the template and escaped for their content type, sent to a listener in the test.

#include "DeployTestSupport.h"
#include "ManagedProcess.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <chrono>

using namespace ck;
using namespace ck::deploy;
using namespace ck::test;

namespace {
QMap<QString, QString> environmentFile(const QString& path) {
    QMap<QString, QString> env;
    for (const auto& line : QString::fromUtf8(readAll(path)).split(u'\n', Qt::SkipEmptyParts))
        env.insert(line.section(u'=', 0, 0), line.section(u'=', 1));
    return env;
}

TaskRunResult runOne(RunnerFixture& f, const DeploymentTask& task, const RunContext& context) {
    const auto results = f.run({task}, context);
    REQUIRE(results.size() == 1);
    return results.first();
}
} // namespace

TEST_CASE("A script gets the documented environment, the result on stdin, and logs its output",
          "[deploy][script]") {
    IssuedItem issued;
    RunnerFixture f;
    const QString script = writeScript(
        issued.dir, QStringLiteral("hook.sh"),
        QStringLiteral("env | grep '^CERTKEEPER_' > \"$1\"\ncat > \"$2\"\n"
                       "echo \"deployed $3 to the load balancer\"\necho 'a warning' >&2\n"));
    const DeploymentTask task =
        makeTask(QStringLiteral("script"),
                 {{"program", script},
                  {"arguments", QStringLiteral("%1\n%2\n${primaryDomain}")
                                    .arg(issued.path("env.txt"), issued.path("stdin.json"))}},
                 QStringLiteral("notify balancer"));
    const TaskRunResult result =
        runOne(f, task, postRequest(issued.item, false, QStringLiteral("CA said \"no\"")));
    // The request failed, and the task's trigger is onSuccess: it does not run.
    CHECK(result.status == TaskRunStatus::Skipped);

    DeploymentTask always = task;
    always.trigger = TaskTrigger::Always;
    const TaskRunResult ran =
        runOne(f, always, postRequest(issued.item, false, QStringLiteral("CA said \"no\"")));
    INFO(ran.message.toStdString());
    REQUIRE(ran.status == TaskRunStatus::Success);

    const auto env = environmentFile(issued.path("env.txt"));
    CHECK(env.value("CERTKEEPER_ITEM_ID") == QStringLiteral("item1"));
    CHECK(env.value("CERTKEEPER_ITEM_NAME") == QStringLiteral("Shop \"main\""));
    CHECK(env.value("CERTKEEPER_PRIMARY_DOMAIN") == QStringLiteral("shop.example.test"));
    CHECK(env.value("CERTKEEPER_DOMAINS") ==
          QStringLiteral("shop.example.test,www.shop.example.test"));
    CHECK(env.value("CERTKEEPER_CERT_PATH") == issued.item.certificatePath);
    CHECK(env.value("CERTKEEPER_FULL_CHAIN_PATH") == issued.item.certificateFullChainPath);
    CHECK(env.value("CERTKEEPER_KEY_PATH") == issued.item.certificateKeyPath);
    CHECK(env.value("CERTKEEPER_THUMBPRINT") == issued.item.certificateThumbprint);
    CHECK(env.value("CERTKEEPER_STAGE") == QStringLiteral("postRequest"));
    CHECK(env.value("CERTKEEPER_STATUS") == QStringLiteral("error"));
    CHECK(env.value("CERTKEEPER_MESSAGE") == QStringLiteral("CA said \"no\""));
    CHECK(env.value("CERTKEEPER_TASK_NAME") == QStringLiteral("notify balancer"));
    CHECK(env.size() == 18); // every documented variable, and only those

    const QJsonObject input = QJsonDocument::fromJson(readAll(issued.path("stdin.json"))).object();
    CHECK(input.value("stage").toString() == QStringLiteral("postRequest"));
    CHECK(input.value("status").toString() == QStringLiteral("error"));
    CHECK(input.value("message").toString() == QStringLiteral("CA said \"no\""));
    CHECK(input["task"]["name"].toString() == QStringLiteral("notify balancer"));
    CHECK(input["item"]["id"].toString() == QStringLiteral("item1"));
    CHECK(input["item"]["certificateThumbprint"].toString() == issued.item.certificateThumbprint);
    CHECK(input["variables"]["keyPath"].toString() == issued.item.certificateKeyPath);

    const QString log = f.logText();
    CHECK(log.contains(QStringLiteral("deployed shop.example.test to the load balancer")));
    CHECK(log.contains(QStringLiteral("a warning")));
    CHECK(log.contains(QStringLiteral("Task 'notify balancer' (script) done")));
}

TEST_CASE("A failing script fails the task with the tail of its output", "[deploy][script]") {
    IssuedItem issued;
    RunnerFixture f;
    const QString script = writeScript(
        issued.dir, QStringLiteral("fail.sh"),
        QStringLiteral("for i in $(seq 1 20); do echo \"step $i\"; done\necho 'disk full' >&2\n"
                       "exit 3\n"));
    const TaskRunResult result = runOne(
        f, makeTask(QStringLiteral("script"), {{"program", script}}), postRequest(issued.item));
    CHECK(result.status == TaskRunStatus::Failed);
    CHECK(result.message.contains(QStringLiteral("exited with code 3")));
    CHECK(result.message.contains(QStringLiteral("disk full")));
    CHECK(result.message.contains(QStringLiteral("step 20")));
    CHECK_FALSE(result.message.contains(QStringLiteral("step 2\n")));
    CHECK(f.logText().contains(QStringLiteral("[ERR] Task 'script' (script) failed: ") + script +
                               QStringLiteral(" exited with code 3")));
}

TEST_CASE("A script that runs too long is stopped and fails the task", "[deploy][script]") {
    IssuedItem issued;
    RunnerFixture f;
    const QString script = writeScript(issued.dir, QStringLiteral("slow.sh"),
                                       QStringLiteral("echo started\nsleep 30\n"));
    const auto started = std::chrono::steady_clock::now();
    const TaskRunResult result =
        runOne(f, makeTask(QStringLiteral("script"), {{"program", script}, {"timeoutSeconds", 1}}),
               postRequest(issued.item));
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(10));
    CHECK(result.status == TaskRunStatus::Failed);
    CHECK(result.message.contains(QStringLiteral("did not finish within 1 s and was stopped")));
    CHECK(result.message.contains(QStringLiteral("started")));
}

TEST_CASE("A script that is missing or not executable is a clear failure", "[deploy][script]") {
    IssuedItem issued;
    RunnerFixture f;
    const QString script =
        writeScript(issued.dir, QStringLiteral("plain.sh"), QStringLiteral("echo hi\n"));
    QFile::setPermissions(script, QFile::ReadOwner | QFile::WriteOwner);
    const TaskRunResult notExecutable = runOne(
        f, makeTask(QStringLiteral("script"), {{"program", script}}), postRequest(issued.item));
    CHECK(notExecutable.status == TaskRunStatus::Failed);
    CHECK(notExecutable.message == script + QStringLiteral(" is not executable; make it so "
                                                           "(chmod +x)"));
    const TaskRunResult missing =
        runOne(f, makeTask(QStringLiteral("script"), {{"program", issued.path("gone.sh")}}),
               postRequest(issued.item));
    CHECK(missing.message.contains(QStringLiteral("does not exist")));
    CHECK(f.logText().contains(QStringLiteral("is not executable")));
}

TEST_CASE("A webhook sends the template filled and escaped for its content type",
          "[deploy][webhook]") {
    IssuedItem issued;
    RunnerFixture f;
    HttpListener listener(200);
    const QString url =
        QStringLiteral("http://127.0.0.1:%1/hooks/certs?token=s3cret").arg(listener.port());
    const DeploymentTask json = makeTask(
        QStringLiteral("webhook"),
        {{"url", url},
         {"method", "PUT"},
         {"body", "{\"name\": \"$itemName\", \"why\": \"$message\", \"names\": \"${domains}x\", "
                  "\"literal\": \"$$5 $unknown\", \"status\": \"$status\"}"}});
    const TaskRunResult sent =
        runOne(f, json, postRequest(issued.item, true, QStringLiteral("line \"1\"\nline 2")));
    INFO(sent.message.toStdString());
    REQUIRE(sent.status == TaskRunStatus::Success);
    CHECK(sent.message.contains(QStringLiteral("HTTP 200")));
    CHECK_FALSE(sent.message.contains(QStringLiteral("s3cret"))); // URLs may carry tokens
    CHECK_FALSE(f.logText().contains(QStringLiteral("s3cret")));

    REQUIRE(listener.received().size() == 1);
    const auto request = listener.received().first();
    CHECK(request.method == "PUT");
    CHECK(request.target == "/hooks/certs?token=s3cret");
    CHECK(request.headers.value("content-type") == "application/json");
    QJsonParseError error;
    const QJsonObject body = QJsonDocument::fromJson(request.body, &error).object();
    INFO(request.body.toStdString());
    REQUIRE(error.error == QJsonParseError::NoError);
    CHECK(body.value("name").toString() == QStringLiteral("Shop \"main\""));
    CHECK(body.value("why").toString() == QStringLiteral("line \"1\"\nline 2"));
    CHECK(body.value("names").toString() ==
          QStringLiteral("shop.example.test,www.shop.example.testx"));
    CHECK(body.value("literal").toString() == QStringLiteral("$5 $unknown"));
    CHECK(body.value("status").toString() == QStringLiteral("success"));

    SECTION("form bodies are percent-encoded") {
        const DeploymentTask form = makeTask(QStringLiteral("webhook"),
                                             {{"url", url},
                                              {"contentType", "application/x-www-form-urlencoded"},
                                              {"body", "name=$itemName&domains=$domains"}});
        REQUIRE(runOne(f, form, postRequest(issued.item)).status == TaskRunStatus::Success);
        REQUIRE(listener.received().size() == 2);
        CHECK(listener.received()[1].method == "POST");
        CHECK(listener.received()[1].body ==
              "name=Shop%20%22main%22&domains=shop.example.test%2Cwww.shop.example.test");
    }
}

TEST_CASE("Webhook failures say what the server answered or why nothing arrived",
          "[deploy][webhook]") {
    IssuedItem issued;
    RunnerFixture f;
    HttpListener refusing(500, "upstream broken\nmore");
    const TaskRunResult refused =
        runOne(f,
               makeTask(QStringLiteral("webhook"),
                        {{"url", QStringLiteral("http://127.0.0.1:%1/x").arg(refusing.port())}}),
               postRequest(issued.item));
    CHECK(refused.status == TaskRunStatus::Failed);
    CHECK(refused.message == QStringLiteral("The webhook to 127.0.0.1 failed: HTTP 500: upstream "
                                            "broken"));

    const TaskRunResult malformed =
        runOne(f, makeTask(QStringLiteral("webhook"), {{"url", "htp:/nowhere"}}),
               postRequest(issued.item));
    CHECK(malformed.message.contains(QStringLiteral("'htp:/nowhere' is not an http:// or "
                                                    "https:// address")));

    const int closedPort = freeLoopbackPorts(1).front();
    const TaskRunResult unreachable = runOne(
        f,
        makeTask(QStringLiteral("webhook"),
                 {{"url", QStringLiteral("http://127.0.0.1:%1/T0/B0/s3cret").arg(closedPort)},
                  {"timeoutSeconds", 5}}),
        postRequest(issued.item));
    CHECK(unreachable.status == TaskRunStatus::Failed);
    CHECK(unreachable.message.contains(QStringLiteral("The webhook to 127.0.0.1 failed: ")));
    CHECK(unreachable.message.contains(QStringLiteral("connect")));
    CHECK_FALSE(f.logText().contains(QStringLiteral("s3cret"))); // the path may be the secret
    CHECK(f.logText().contains(QStringLiteral("HTTP 500: upstream broken")));
}
