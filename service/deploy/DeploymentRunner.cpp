#include "deploy/DeploymentRunner.h"
#include "base/FaultPoint.h"

#include "DomainError.h"
#include "logging/ItemLog.h"

#include <chrono>
#include <optional>

namespace ck::deploy {

namespace {
using Clock = std::chrono::steady_clock;

// Why the task does not run in this run; empty when it does.
QString skipReason(const DeploymentTask& task, const RunContext& run) {
    if (!task.enabled)
        return QStringLiteral("Skipped: the task is disabled");
    const bool failed = run.status == QLatin1String("error");
    switch (task.trigger) {
    case TaskTrigger::Always:
        return {};
    case TaskTrigger::Manual:
        return run.stage == Stage::Deploy ? QString()
                                          : QStringLiteral("Skipped: the task runs only by hand");
    case TaskTrigger::OnError:
        return failed ? QString()
                      : QStringLiteral("Skipped: the task runs only after a failed request");
    case TaskTrigger::OnSuccess:
        break;
    }
    return failed ? QStringLiteral("Skipped: the task runs only after a successful request")
                  : QString();
}

TaskRunResult resultOf(const DeploymentTask& task, TaskRunStatus status, QString message) {
    TaskRunResult r;
    r.taskId = task.id;
    r.name = task.name;
    r.status = status;
    r.message = std::move(message);
    return r;
}

// Ends the item's deployNow however the coroutine is left.
struct DeployingMark {
    std::set<QString>& set;
    QString id;
    ~DeployingMark() { set.erase(id); }
};
} // namespace

awaitable<TaskRunResult> DeploymentRunner::runOne(const DeploymentTask& task, const RunContext& run,
                                                  logging::ItemLog& log) {
    const auto started = Clock::now();
    const int attempts = 1 + std::max(0, task.retries);
    TaskOutcome outcome;
    for (int attempt = 1; attempt <= attempts; ++attempt) {
        try {
            outcome = co_await m_actions.run(task, run);
        } catch (const DomainError& e) {
            outcome = TaskOutcome::failure(e.message());
        } catch (const std::exception& e) {
            outcome = TaskOutcome::failure(
                QStringLiteral("Internal error: %1").arg(QString::fromUtf8(e.what())));
        }
        // A line of the log each, so the log stays readable (a message's own line breaks are
        // written escaped).
        for (const QString& line : outcome.output.split(u'\n', Qt::SkipEmptyParts))
            log.info(QStringLiteral("Output of task '%1': %2").arg(task.name, line));
        if (outcome.ok || attempt == attempts)
            break;
        log.warning(QStringLiteral("Task '%1' failed (attempt %2 of %3), trying again in %4 s: %5")
                        .arg(task.name)
                        .arg(attempt)
                        .arg(attempts)
                        .arg(task.retryDelaySeconds)
                        .arg(outcome.message));
        const std::chrono::milliseconds delay = std::chrono::seconds(task.retryDelaySeconds);
        co_await sleepFor(delay);
    }
    TaskRunResult result = resultOf(
        task, outcome.ok ? TaskRunStatus::Success : TaskRunStatus::Failed, outcome.message);
    result.durationMs =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
    if (outcome.ok)
        log.info(QStringLiteral("Task '%1' (%2) done in %3 ms: %4")
                     .arg(task.name, task.type)
                     .arg(result.durationMs)
                     .arg(outcome.message));
    else
        log.error(
            QStringLiteral("Task '%1' (%2) failed: %3").arg(task.name, task.type, outcome.message));
    co_return result;
}

awaitable<QList<TaskRunResult>> DeploymentRunner::runTasks(QList<DeploymentTask> tasks,
                                                           RunContext run, logging::ItemLog& log,
                                                           bool chosen) {
    QList<TaskRunResult> results;
    QString stoppedBy; // the fatal task that failed, if one did
    for (const DeploymentTask& task : tasks) {
        const QString skip = chosen ? QString() : skipReason(task, run);
        if (!skip.isEmpty()) {
            results.append(resultOf(task, TaskRunStatus::Skipped, skip));
            continue;
        }
        if (!stoppedBy.isEmpty() && !task.runIfPreviousFailed) {
            const QString reason =
                QStringLiteral("Skipped: the task '%1' before it failed, and this one does not "
                               "run after a failure")
                    .arg(stoppedBy);
            log.warning(QStringLiteral("Task '%1': %2").arg(task.name, reason));
            results.append(resultOf(task, TaskRunStatus::Skipped, reason));
            continue;
        }
        TaskRunResult result = co_await runOne(task, run, log);
        faultPoint("deployment-task-ran");
        if (result.status == TaskRunStatus::Failed && task.fatalOnError)
            stoppedBy = task.name;
        results.append(std::move(result));
    }
    co_return results;
}

awaitable<void> DeploymentRunner::beforeRequest(const ManagedCertificate& item,
                                                logging::ItemLog& log) {
    if (item.preRequestTasks.isEmpty())
        co_return;
    log.info(QStringLiteral("Running %1 pre-request task(s)").arg(item.preRequestTasks.size()));
    const RunContext run{item, Stage::PreRequest, QStringLiteral("pending"), QString()};
    const QList<TaskRunResult> results = co_await runTasks(item.preRequestTasks, run, log);
    for (qsizetype i = 0; i < results.size(); ++i)
        if (results[i].status == TaskRunStatus::Failed && item.preRequestTasks[i].fatalOnError)
            throw InvalidInputError(
                QStringLiteral("The pre-request task '%1' failed, so the certificate "
                               "was not requested: %2")
                    .arg(results[i].name, results[i].message),
                QStringLiteral("preRequestTasks[%1]").arg(i));
}

awaitable<QString> DeploymentRunner::afterRequest(ManagedCertificate item, QString failure,
                                                  logging::ItemLog& log) {
    const RunContext run{item, Stage::PostRequest,
                         failure.isEmpty() ? QStringLiteral("success") : QStringLiteral("error"),
                         failure};
    if (!item.postRequestTasks.isEmpty())
        log.info(
            QStringLiteral("Running %1 post-request task(s)").arg(item.postRequestTasks.size()));
    const QList<TaskRunResult> results = co_await runTasks(item.postRequestTasks, run, log);
    QStringList failed;
    for (const auto& r : results)
        if (r.status == TaskRunStatus::Failed)
            failed.append(QStringLiteral("'%1': %2").arg(r.name, r.message));
    if (!failure.isEmpty() || failed.isEmpty())
        co_return QString();
    co_return QStringLiteral("The certificate was issued, but deployment failed: %1")
        .arg(failed.join(QStringLiteral("; ")));
}

awaitable<QList<TaskRunResult>> DeploymentRunner::deployNow(ManagedCertificate item, QString taskId,
                                                            logging::ItemLog& log) {
    QList<DeploymentTask> tasks;
    if (taskId.isEmpty()) {
        tasks = item.postRequestTasks;
    } else {
        for (const auto* list : {&item.preRequestTasks, &item.postRequestTasks})
            for (const auto& task : *list)
                if (task.id == taskId)
                    tasks = {task};
        if (tasks.isEmpty())
            throw NotFoundError(
                QStringLiteral("'%1' has no task with the id '%2'; see its task list")
                    .arg(item.name, taskId),
                QStringLiteral("taskId"));
    }
    if (!m_deploying.insert(item.id).second)
        throw ConflictError(
            QStringLiteral("The tasks of '%1' are already running; wait for them to "
                           "finish")
                .arg(item.name));
    const DeployingMark mark{m_deploying, item.id};
    log.info(
        taskId.isEmpty()
            ? QStringLiteral("Deploying now: running the %1 post-request task(s)").arg(tasks.size())
            : QStringLiteral("Running the task '%1' now").arg(tasks.first().name));
    const RunContext run{item, Stage::Deploy, QStringLiteral("success"), QString()};
    co_return co_await runTasks(tasks, run, log, !taskId.isEmpty());
}

} // namespace ck::deploy
