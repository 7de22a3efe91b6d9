// The order tasks run in: triggers by stage and outcome, disabled and manual tasks, a fatal
// failure stopping the tasks after it (unless they run after failures), retries with their delay,
// a fatal pre-request task stopping the request, deploy-now by id, and the Warning an item gets
// when its certificate was issued but a post-request task failed.

#include "DeployTestSupport.h"

#include <chrono>

using namespace ck;
using namespace ck::deploy;
using namespace ck::test;

namespace {
// Tasks that append their name to one file, so the order they ran in can be read back.
struct Recorder {
    const IssuedItem& issued;
    QString log() const { return issued.path(QStringLiteral("order.log")); }
    DeploymentTask task(const QString& name, TaskTrigger trigger, int exitCode = 0) const {
        const QString script = writeScript(
            issued.dir, name + QStringLiteral(".sh"),
            QStringLiteral("echo %1 >> '%2'\nexit %3\n").arg(name, log()).arg(exitCode));
        DeploymentTask t = makeTask(QStringLiteral("script"), {{"program", script}}, name);
        t.trigger = trigger;
        return t;
    }
    QStringList ran() const {
        return QString::fromUtf8(readAll(log())).split(u'\n', Qt::SkipEmptyParts);
    }
    void clear() const { QFile::remove(log()); }
};

QList<TaskRunStatus> statuses(const QList<TaskRunResult>& results) {
    QList<TaskRunStatus> s;
    for (const auto& r : results)
        s.append(r.status);
    return s;
}

using S = TaskRunStatus;
} // namespace

TEST_CASE("Tasks run in order by trigger; a fatal failure skips the rest unless they run after "
          "failures",
          "[deploy][runner]") {
    IssuedItem issued;
    RunnerFixture f;
    const Recorder r{issued};
    DeploymentTask failing = r.task(QStringLiteral("C"), TaskTrigger::OnSuccess, 1);
    DeploymentTask afterFailure = r.task(QStringLiteral("E"), TaskTrigger::Always);
    afterFailure.runIfPreviousFailed = true;
    DeploymentTask disabled = r.task(QStringLiteral("G"), TaskTrigger::Always);
    disabled.enabled = false;
    const QList<DeploymentTask> tasks{r.task(QStringLiteral("A"), TaskTrigger::OnSuccess),
                                      r.task(QStringLiteral("B"), TaskTrigger::OnError),
                                      failing,
                                      r.task(QStringLiteral("D"), TaskTrigger::Always),
                                      afterFailure,
                                      r.task(QStringLiteral("F"), TaskTrigger::Manual),
                                      disabled};

    const auto success = f.run(tasks, postRequest(issued.item));
    CHECK(r.ran() == QStringList{"A", "C", "E"});
    CHECK(statuses(success) == QList<S>{S::Success, S::Skipped, S::Failed, S::Skipped, S::Success,
                                        S::Skipped, S::Skipped});
    CHECK(success[1].message.contains(QStringLiteral("only after a failed request")));
    CHECK(success[3].message.contains(QStringLiteral("the task 'C' before it failed")));
    CHECK(success[5].message.contains(QStringLiteral("only by hand")));
    CHECK(success[6].message.contains(QStringLiteral("disabled")));
    CHECK(f.logText().contains(QStringLiteral("Task 'D': Skipped: the task 'C' before it")));

    r.clear();
    const auto failed = f.run(tasks, postRequest(issued.item, false, QStringLiteral("no")));
    CHECK(r.ran() == QStringList{"B", "D", "E"});
    CHECK(statuses(failed) == QList<S>{S::Skipped, S::Success, S::Skipped, S::Success, S::Success,
                                       S::Skipped, S::Skipped});

    SECTION("a failure that is not fatal lets the next tasks run") {
        r.clear();
        QList<DeploymentTask> lenient = tasks;
        lenient[2].fatalOnError = false;
        const auto results = f.run(lenient, postRequest(issued.item));
        CHECK(r.ran() == QStringList{"A", "C", "D", "E"});
        CHECK(statuses(results).mid(2, 3) == QList<S>{S::Failed, S::Success, S::Success});
    }
}

TEST_CASE("Retries try again after the delay, and give up after the last", "[deploy][runner]") {
    IssuedItem issued;
    RunnerFixture f;
    const QString counter = issued.path(QStringLiteral("count"));
    // Fails until it has been run three times.
    const QString flaky = writeScript(
        issued.dir, QStringLiteral("flaky.sh"),
        QStringLiteral("echo x >> '%1'\n[ $(wc -l < '%1') -ge 3 ] || { echo 'not yet'; exit 1; }\n")
            .arg(counter));
    DeploymentTask task = makeTask(QStringLiteral("script"), {{"program", flaky}});
    task.retries = 2;
    task.retryDelaySeconds = 1;
    const auto started = std::chrono::steady_clock::now();
    const auto results = f.run({task}, postRequest(issued.item));
    CHECK(std::chrono::steady_clock::now() - started >= std::chrono::seconds(2));
    CHECK(statuses(results) == QList<S>{S::Success});
    CHECK(readAll(counter).count('\n') == 3);
    const QString log = f.logText();
    CHECK(log.contains(QStringLiteral("failed (attempt 1 of 3), trying again in 1 s: ")));
    CHECK(log.contains(QStringLiteral("failed (attempt 2 of 3), trying again in 1 s: ")));

    SECTION("out of retries: the task fails with the last attempt's reason") {
        QFile::remove(counter);
        task.retries = 1;
        task.retryDelaySeconds = 0;
        const auto gaveUp = f.run({task}, postRequest(issued.item));
        CHECK(statuses(gaveUp) == QList<S>{S::Failed});
        CHECK(gaveUp[0].message.contains(QStringLiteral("not yet")));
        CHECK(readAll(counter).count('\n') == 2);
    }
}

TEST_CASE("Pre-request tasks: a fatal failure stops the request, a lenient one does not",
          "[deploy][runner]") {
    IssuedItem issued;
    RunnerFixture f;
    const Recorder r{issued};
    ManagedCertificate item = issued.item;
    item.preRequestTasks = {r.task(QStringLiteral("stop-proxy"), TaskTrigger::OnSuccess, 4),
                            r.task(QStringLiteral("by-hand"), TaskTrigger::Manual)};
    InvalidInputError stopped = errorOf<InvalidInputError>(f.runner.beforeRequest(item, f.log));
    CHECK(
        stopped.message().startsWith(QStringLiteral("The pre-request task 'stop-proxy' failed, so "
                                                    "the certificate was not requested: ")));
    CHECK(stopped.message().contains(QStringLiteral("exited with code 4")));
    CHECK(stopped.field() == QStringLiteral("preRequestTasks[0]"));
    CHECK(r.ran() == QStringList{"stop-proxy"});
    item.preRequestTasks[0].fatalOnError = false;
    CHECK_NOTHROW(runSync(f.runner.beforeRequest(item, f.log)));
}

TEST_CASE("Deploy now: the post-request tasks, or one task by id whatever its trigger",
          "[deploy][runner]") {
    IssuedItem issued;
    RunnerFixture f;
    const Recorder r{issued};
    ManagedCertificate item = issued.item;
    DeploymentTask disabled = r.task(QStringLiteral("off"), TaskTrigger::OnSuccess);
    disabled.enabled = false;
    item.postRequestTasks = {r.task(QStringLiteral("export"), TaskTrigger::OnSuccess),
                             r.task(QStringLiteral("alert"), TaskTrigger::OnError),
                             r.task(QStringLiteral("manual"), TaskTrigger::Manual), disabled};
    item.preRequestTasks = {r.task(QStringLiteral("pre"), TaskTrigger::OnSuccess)};

    const auto all = runSync(f.runner.deployNow(item, QString(), f.log));
    CHECK(r.ran() == QStringList{"export", "manual"});
    CHECK(statuses(all) == QList<S>{S::Success, S::Skipped, S::Success, S::Skipped});

    r.clear();
    const auto one = runSync(f.runner.deployNow(item, QStringLiteral("off"), f.log));
    CHECK(r.ran() == QStringList{"off"});
    CHECK(statuses(one) == QList<S>{S::Success});
    runSync(f.runner.deployNow(item, QStringLiteral("pre"), f.log));
    CHECK(r.ran() == QStringList{"off", "pre"});

    NotFoundError unknown =
        errorOf<NotFoundError>(f.runner.deployNow(item, QStringLiteral("nope"), f.log));
    CHECK(unknown.field() == QStringLiteral("taskId"));
    CHECK(unknown.message().contains(QStringLiteral("has no task with the id 'nope'")));
}

TEST_CASE("Deploy now refuses to run the same item's tasks twice at once", "[deploy][runner]") {
    IssuedItem issued;
    RunnerFixture f;
    ManagedCertificate item = issued.item;
    item.postRequestTasks = {makeTask(QStringLiteral("wait"), {{"seconds", 1}})};
    asio::io_context ioc;
    std::optional<ConflictError> second;
    int firstResults = -1;
    asio::co_spawn(ioc, f.runner.deployNow(item, QString(), f.log),
                   [&](std::exception_ptr, QList<TaskRunResult> r) { firstResults = r.size(); });
    asio::co_spawn(ioc, f.runner.deployNow(item, QString(), f.log),
                   [&](std::exception_ptr e, QList<TaskRunResult>) {
                       try {
                           if (e)
                               std::rethrow_exception(e);
                       } catch (const ConflictError& error) {
                           second = error;
                       }
                   });
    ioc.run();
    CHECK(firstResults == 1);
    REQUIRE(second);
    // Once the first has finished, the item's tasks can run again.
    CHECK(runSync(f.runner.deployNow(item, QString(), f.log)).size() == 1);
}

TEST_CASE("After a request: the tasks run on the item; a failed one says why deployment failed",
          "[deploy][runner]") {
    IssuedItem issued;
    RunnerFixture f;
    ManagedCertificate item = issued.item;
    item.id = QStringLiteral("after-request");
    item.lastRenewalStatus = RequestState::Running; // as the request leaves it for the tasks
    item.postRequestTasks = {
        makeTask(QStringLiteral("export"),
                 {{"format", "pemcrt"}, {"path", issued.path(QStringLiteral("nowhere/cert.pem"))}},
                 QStringLiteral("to nginx"))};
    logging::ItemLog log(f.dataDir.path(), item.id, f.serviceLog);

    const QString warning = runSync(f.runner.afterRequest(item, QString(), log));
    CHECK(warning.startsWith(
        QStringLiteral("The certificate was issued, but deployment failed: 'to nginx': The "
                       "folder ")));
    QString text;
    for (const auto& e : log.tail(50))
        text += e.message + u'\n';
    CHECK(text.contains(QStringLiteral("Task 'to nginx' (export) failed: The folder")));

    SECTION("tasks that succeed leave nothing to report") {
        ManagedCertificate good = item;
        good.postRequestTasks = {makeTask(
            QStringLiteral("export"),
            {{"format", "pemcrt"}, {"path", issued.path(QStringLiteral("cert-out.pem"))}})};
        CHECK(runSync(f.runner.afterRequest(good, QString(), log)).isEmpty());
        CHECK(readAll(issued.path(QStringLiteral("cert-out.pem"))) == issued.chain.leafPem);
    }
    SECTION("after a failed request a failed task is logged, not reported as the outcome") {
        CHECK(
            runSync(f.runner.afterRequest(item, QStringLiteral("the CA refused"), log)).isEmpty());
    }
}
