// Preview's task steps: each pre- or post-request task with when it would run and what its dry
// run (deploy/TaskDryRun) found. The dry runs may connect to a reload target, so they run on the
// process runner's threads, all of a list in one go.

#include "preview/PreviewBuilder.h"

#include "deploy/TaskDryRun.h"
#include "process/ChildProcess.h"

namespace ck::preview {

namespace {

// When a task runs, in the words of DeploymentTask's triggers.
QString whenItRuns(const DeploymentTask& task, bool preRequest, QStringList& warnings) {
    switch (task.trigger) {
    case TaskTrigger::OnSuccess:
        return preRequest ? QStringLiteral("Runs before every request.")
                          : QStringLiteral("Runs after a successful request.");
    case TaskTrigger::Always:
        return preRequest ? QStringLiteral("Runs before every request.")
                          : QStringLiteral("Runs after every request, whatever the outcome.");
    case TaskTrigger::OnError:
        if (preRequest) {
            warnings << QStringLiteral("Its trigger is 'on error', which never comes before a "
                                       "request: it will not run. Choose 'on success' or "
                                       "'always', or move it to the post-request tasks.");
            return QStringLiteral("Runs only after a failed request.");
        }
        return QStringLiteral("Runs only after a failed request.");
    case TaskTrigger::Manual:
        return QStringLiteral("Runs only when started by hand (Deploy), never with a request.");
    }
    return {};
}

QString howFailureIsHandled(const DeploymentTask& task, bool preRequest) {
    QStringList parts;
    if (task.retries > 0)
        parts << QStringLiteral("A failure is retried %1 time%2, %3 s apart.")
                     .arg(task.retries)
                     .arg(task.retries == 1 ? QString() : QStringLiteral("s"))
                     .arg(task.retryDelaySeconds);
    if (task.fatalOnError)
        parts << (preRequest ? QStringLiteral("If it fails, the request is not made.")
                             : QStringLiteral("If it fails, the tasks after it are skipped "
                                              "unless they are set to run anyway."));
    else
        parts << QStringLiteral("If it fails, the next tasks still run.");
    if (task.runIfPreviousFailed)
        parts << QStringLiteral("It runs even when a task before it failed.");
    return parts.join(u' ');
}

ActionStep taskStep(const DeploymentTask& task, int index, const deploy::DryRun& dryRun,
                    bool preRequest) {
    ActionStep step;
    const QString category =
        preRequest ? step_categories::kPreRequestTasks : step_categories::kPostRequestTasks;
    step.category = category;
    step.key = category + u'.' + (task.id.isEmpty() ? QString::number(index + 1) : task.id);
    const QString name = task.name.trimmed().isEmpty() ? task.type : task.name.trimmed();
    // No number of its own: clients number the steps of the tree ("5.1").
    step.title = QStringLiteral("%1 (%2)%3")
                     .arg(name, task.type, task.enabled ? QString() : QStringLiteral(", disabled"));
    QStringList paragraphs;
    if (!task.enabled) {
        paragraphs << QStringLiteral("Disabled: it is skipped.");
    } else {
        paragraphs << whenItRuns(task, preRequest, step.warnings);
        paragraphs << dryRun.description;
        for (const auto& f : dryRun.findings)
            (f.severity == deploy::DryRunFinding::Severity::Warning ? step.warnings : step.errors)
                << f.message;
        paragraphs << howFailureIsHandled(task, preRequest);
    }
    paragraphs.removeAll(QString());
    step.description = paragraphs.join(QStringLiteral("\n\n"));
    return step;
}
} // namespace

awaitable<ActionStep> PreviewBuilder::tasks(const ManagedCertificate& item, bool preRequest) {
    const QList<DeploymentTask> list = preRequest ? item.preRequestTasks : item.postRequestTasks;
    ActionStep step;
    step.category =
        preRequest ? step_categories::kPreRequestTasks : step_categories::kPostRequestTasks;
    step.key = step.category;
    const QString count =
        list.size() == 1 ? QStringLiteral("1 task") : QStringLiteral("%1 tasks").arg(list.size());
    step.title = preRequest ? QStringLiteral("Before the request: %1").arg(count)
                            : QStringLiteral("Deploy after the request: %1").arg(count);
    if (list.isEmpty()) {
        step.description = preRequest ? QStringLiteral("No pre-request tasks are set up.")
                                      : QStringLiteral("No deployment tasks are set up: the "
                                                       "certificate stays in the service's "
                                                       "files.");
        co_return step;
    }
    step.description = preRequest ? QStringLiteral("These run in order before the CA is asked.")
                                  : QStringLiteral("These run in order once the request is "
                                                   "done, each when its trigger matches the "
                                                   "outcome.");
    auto work = [list, item, dataDir = m_dataDir] {
        QList<deploy::DryRun> results;
        for (DeploymentTask task : list) {
            // When it runs is said here, per phase; the dry run's own words for the trigger
            // (which knows no phase) would repeat it.
            task.trigger = TaskTrigger::OnSuccess;
            results.append(task.enabled ? deploy::dryRunBlocking(task, item, dataDir)
                                        : deploy::DryRun{});
        }
        return results;
    };
    const QList<deploy::DryRun> dryRuns = co_await m_runner.offload(std::move(work));
    for (qsizetype i = 0; i < list.size(); ++i)
        step.substeps.append(taskStep(list[i], int(i), dryRuns[i], preRequest));
    co_return step;
}

} // namespace ck::preview
