// The dry run Preview shows: what each task would do, as a Markdown sentence, and what would stop
// it (a destination folder that is missing, a script that is missing or not executable, a
// malformed URL, a reload target nobody answers on), with nothing written, run or sent.

#include "DeployTestSupport.h"
#include "ManagedProcess.h"
#include "deploy/TaskDryRun.h"

#include <QFileInfo>

using namespace ck;
using namespace ck::deploy;
using namespace ck::test;

namespace {
QStringList messages(const DryRun& run, DryRunFinding::Severity severity) {
    QStringList list;
    for (const auto& f : run.findings)
        if (f.severity == severity)
            list.append(f.message);
    return list;
}
QStringList errors(const DryRun& run) {
    return messages(run, DryRunFinding::Severity::Error);
}
} // namespace

TEST_CASE("Dry run of an export: what it would write, and a missing folder", "[deploy][dryrun]") {
    IssuedItem issued;
    const QString target = issued.path(QStringLiteral("tls/shop.pem"));
    const DeploymentTask task = makeTask(
        QStringLiteral("export"), {{"format", "pemfull"}, {"path", target}}, QStringLiteral("x"));
    const DryRun missing = dryRunBlocking(task, issued.item, issued.dataDir());
    CHECK(missing.description ==
          QStringLiteral("Writes the private key, certificate and chain (`pemfull`) to `%1`, "
                         "mode `0600`, replacing it atomically.")
              .arg(target));
    REQUIRE(errors(missing).size() == 1);
    CHECK(errors(missing)[0].contains(QStringLiteral("does not exist; create it")));

    QDir().mkpath(issued.path(QStringLiteral("tls")));
    const DryRun fine = dryRunBlocking(task, issued.item, issued.dataDir());
    CHECK(fine.findings.isEmpty());
    CHECK_FALSE(QFileInfo::exists(target)); // nothing written

    DeploymentTask unknownOwner = task;
    unknownOwner.parameters.insert("owner", "no-such-user-certkeeper");
    unknownOwner.trigger = TaskTrigger::Always;
    const DryRun owner = dryRunBlocking(unknownOwner, issued.item, issued.dataDir());
    CHECK(errors(owner).value(0).contains(QStringLiteral("no user 'no-such-user-certkeeper'")));
    CHECK(owner.description.endsWith(QStringLiteral("Whatever the outcome.")));
}

TEST_CASE("Dry run of a script: a missing or non-executable program", "[deploy][dryrun]") {
    IssuedItem issued;
    const QString ran = issued.path(QStringLiteral("ran"));
    const QString script = writeScript(issued.dir, QStringLiteral("deploy.sh"),
                                       QStringLiteral("touch '%1'\n").arg(ran));
    DeploymentTask task = makeTask(QStringLiteral("script"),
                                   {{"program", script}, {"arguments", "--site\n$primaryDomain"}});
    const DryRun ok = dryRunBlocking(task, issued.item, issued.dataDir());
    CHECK(ok.findings.isEmpty());
    CHECK(ok.description.startsWith(
        QStringLiteral("Runs `%1` `--site` `$primaryDomain` (time limit 300 s)").arg(script)));
    CHECK_FALSE(QFileInfo::exists(ran)); // nothing run

    QFile::setPermissions(script, QFile::ReadOwner | QFile::WriteOwner);
    CHECK(errors(dryRunBlocking(task, issued.item, issued.dataDir()))
              .value(0)
              .contains(QStringLiteral("is not executable")));
    task.parameters.insert("program", issued.path(QStringLiteral("missing.sh")));
    task.parameters.insert("arguments", "$primaryDomian");
    const DryRun missing = dryRunBlocking(task, issued.item, issued.dataDir());
    CHECK(errors(missing).value(0).contains(QStringLiteral("missing.sh does not exist")));
    CHECK(messages(missing, DryRunFinding::Severity::Warning)
              .value(0)
              .contains(QStringLiteral("$primaryDomian in the arguments is not a variable")));
}

TEST_CASE("Dry run of a webhook: a malformed URL and unknown variables", "[deploy][dryrun]") {
    IssuedItem issued;
    HttpListener listener;
    DeploymentTask task =
        makeTask(QStringLiteral("webhook"),
                 {{"url", QStringLiteral("http://127.0.0.1:%1/hook").arg(listener.port())},
                  {"body", "{\"d\": \"$domain\"}"}});
    const DryRun run = dryRunBlocking(task, issued.item, issued.dataDir());
    CHECK(run.description.startsWith(QStringLiteral("Sends HTTP POST to `http://127.0.0.1:")));
    CHECK(run.description.contains(QStringLiteral("{\"d\": \"$domain\"}")));
    CHECK(errors(run).isEmpty());
    CHECK(messages(run, DryRunFinding::Severity::Warning)
              .value(0)
              .contains(QStringLiteral("$domain in the body is not a variable")));
    CHECK(listener.received().isEmpty()); // nothing sent

    task.parameters.insert("url", "https//example.com/hook");
    CHECK(errors(dryRunBlocking(task, issued.item, issued.dataDir()))
              .value(0)
              .contains(QStringLiteral(
                  "'https//example.com/hook' is not an http:// or https:// address")));
}

TEST_CASE("Dry run of a reload: the command and whether the check target answers",
          "[deploy][dryrun]") {
    IssuedItem issued;
    const int closedPort = freeLoopbackPorts(1).front();
    DeploymentTask task =
        makeTask(QStringLiteral("reload"), {{"command", "true --reload 'two words'"},
                                            {"checkHost", "127.0.0.1"},
                                            {"checkPort", closedPort}});
    const DryRun down = dryRunBlocking(task, issued.item, issued.dataDir());
    INFO(down.description.toStdString());
    CHECK(down.description.startsWith(
        QStringLiteral("Runs `true` `--reload` `two words` (time limit 60 s), then connects to "
                       "`127.0.0.1:%1` (name `shop.example.test`)")
            .arg(closedPort)));
    REQUIRE(errors(down).size() == 1);
    CHECK(errors(down)[0].contains(QStringLiteral("not reachable now")));

    HttpListener listening;
    task.parameters.insert("checkPort", listening.port());
    task.parameters.insert("command", "no-such-program-certkeeper -s reload");
    const DryRun noProgram = dryRunBlocking(task, issued.item, issued.dataDir());
    CHECK(errors(noProgram) ==
          QStringList{QStringLiteral("'no-such-program-certkeeper' is not found in the service's "
                                     "PATH; give its absolute path")});
}

TEST_CASE("Dry run of a wait, a disabled task and an unknown type", "[deploy][dryrun]") {
    IssuedItem issued;
    DeploymentTask wait = makeTask(QStringLiteral("wait"), {{"seconds", 7}});
    wait.enabled = false;
    const DryRun w = dryRunBlocking(wait, issued.item, issued.dataDir());
    CHECK(w.description == QStringLiteral("Waits 7 seconds before the next task."));
    CHECK(messages(w, DryRunFinding::Severity::Warning) ==
          QStringList{QStringLiteral("The task is disabled and will not run")});
    const DryRun unknown =
        dryRunBlocking(makeTask(QStringLiteral("ftp"), {}), issued.item, issued.dataDir());
    CHECK(errors(unknown).value(0).contains(QStringLiteral("'ftp' is not a task type")));
}
