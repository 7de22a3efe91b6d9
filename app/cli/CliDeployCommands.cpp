// certkeeper-cli deploy ID [TASK]: run a certificate's deployment tasks now, without a request
// (every post-request task, or the one task named), and show each task's result. Exits with
// RequestFailed (8) when a task failed, so scripts can tell.

#include "cli/Cli.h"
#include "cli/ExitCodes.h"
#include "cli/TextTable.h"
#include "client/BlockingCall.h"

namespace ck::cli {

namespace {
// Tasks may run for a long time (a script's own time limit, waits, retries); the service answers
// when they are done.
constexpr auto kDeployTimeout = std::chrono::hours(24);
} // namespace

int Cli::deploy(const Invocation& in) {
    const QString id = in.arg(0);
    const QString taskId = in.arg(1);
    const auto results = waitFor<QList<TaskRunResult>>([&](QObject* ctx, auto ok, auto failed) {
        m_client->deploy(id, taskId, ctx, ok, failed, {kDeployTimeout});
    });
    if (!results)
        return fail(results.error);
    bool anyFailed = false;
    for (const auto& r : *results)
        anyFailed = anyFailed || r.status == TaskRunStatus::Failed;
    if (m_globals.json) {
        printJson(taskRunResultsToJson(*results));
    } else if (results->isEmpty()) {
        m_out << "The certificate has no post-request tasks to run.\n";
    } else {
        TextTable table({QStringLiteral("TASK"), QStringLiteral("NAME"), QStringLiteral("RESULT"),
                         QStringLiteral("TIME"), QStringLiteral("MESSAGE")});
        for (const auto& r : *results)
            table.addRow({r.taskId, r.name, toString(r.status),
                          QStringLiteral("%1 ms").arg(r.durationMs),
                          r.message.section(u'\n', 0, 0)});
        table.print(m_out);
        for (const auto& r : *results)
            if (r.status == TaskRunStatus::Failed && r.message.contains(u'\n'))
                m_err << "certkeeper-cli: task '" << r.name << "' failed: " << r.message << '\n';
    }
    return anyFailed ? RequestFailed : Success;
}

} // namespace ck::cli
