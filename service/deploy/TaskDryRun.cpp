#include "deploy/TaskDryRun.h"

#include "deploy/CertificateExport.h"
#include "deploy/ServerTargets.h"
#include "deploy/SshDeployment.h"
#include "deploy/TaskSettings.h"
#include "deploy/TaskVariables.h"
#include "deploy/TlsProbe.h"
#include "model/DeploymentTaskTypes.h"
#include "model/ServerTaskTypes.h"

#include <QFileInfo>
#include <QStandardPaths>
#include <QUrl>

#include <unistd.h>

namespace ck::deploy {

namespace {
using Severity = DryRunFinding::Severity;
constexpr auto kReachTimeout = std::chrono::seconds(3);

void add(DryRun& run, Severity severity, const QString& message) {
    run.findings.append({severity, message});
}

// Why `program` could not be started: missing, a folder, not executable; empty when it can.
QString programProblem(const QString& program) {
    if (program.isEmpty())
        return QStringLiteral("No program is set; set the path of the program to run");
    const QString resolved =
        program.contains(u'/') ? program : QStandardPaths::findExecutable(program);
    if (resolved.isEmpty())
        return QStringLiteral("'%1' is not found in the service's PATH; give its absolute path")
            .arg(program);
    const QFileInfo info(resolved);
    if (!info.exists())
        return QStringLiteral("%1 does not exist; check the path").arg(resolved);
    if (!info.isFile())
        return QStringLiteral("%1 is not a file").arg(resolved);
    if (::access(QFile::encodeName(resolved).constData(), X_OK) != 0)
        return QStringLiteral("%1 is not executable; make it so (chmod +x) or run it through "
                              "its interpreter")
            .arg(resolved);
    return {};
}

QString triggerClause(const DeploymentTask& task) {
    switch (task.trigger) {
    case TaskTrigger::OnSuccess:
        return QString();
    case TaskTrigger::OnError:
        return QStringLiteral(" Only after a failed request.");
    case TaskTrigger::Always:
        return QStringLiteral(" Whatever the outcome.");
    case TaskTrigger::Manual:
        return QStringLiteral(" Only when run by hand.");
    }
    return {};
}

void dryRunExport(const DeploymentTask& task, const QString& dataDir, DryRun& run) {
    const ExportSettings s = ExportSettings::of(task);
    QString owner;
    if (!s.owner.isEmpty() || !s.group.isEmpty())
        owner = QStringLiteral(", owner `%1:%2`").arg(s.owner, s.group);
    run.description =
        QStringLiteral("Writes %1 (`%2`) to `%3`, mode `%4`%5, replacing it atomically.")
            .arg(describeFormat(s.format), s.format, s.path,
                 s.mode() >= 0 ? QStringLiteral("0%1").arg(s.mode(), 3, 8, QLatin1Char('0'))
                               : s.modeText,
                 owner);
    const QString problem = exportPreconditionError(s, dataDir);
    const int uid = resolveOwnership(s.owner, s.group).uid;
    if (!problem.isEmpty())
        add(run, Severity::Error, problem);
    else if (uid >= 0 && ::geteuid() != 0 && uid != int(::geteuid()))
        add(run, Severity::Error,
            QStringLiteral("Only root can give a file to another user, and the service does "
                           "not run as root; leave the owner empty or run the service as "
                           "root"));
    if (QFileInfo(s.path).isSymLink())
        add(run, Severity::Warning,
            QStringLiteral("%1 is a symbolic link; the export replaces the link with a file")
                .arg(s.path));
}

void dryRunScript(const DeploymentTask& task, DryRun& run) {
    const ScriptSettings s = ScriptSettings::of(task);
    run.description =
        QStringLiteral("Runs %1 (time limit %2 s) with the certificate's paths and the "
                       "request's status in `CERTKEEPER_*` environment variables and the "
                       "result as JSON on its standard input; its output goes to the log.")
            .arg(describeCommand(s.program, s.arguments))
            .arg(s.timeout.count());
    const QString problem = programProblem(s.program);
    if (!problem.isEmpty())
        add(run, Severity::Error, problem);
    if (!s.workingDirectory.isEmpty() && !QFileInfo(s.workingDirectory).isDir())
        add(run, Severity::Error,
            QStringLiteral("The working folder %1 does not exist").arg(s.workingDirectory));
    for (const auto& argument : s.arguments)
        for (const auto& name : unknownVariables(argument))
            add(run, Severity::Warning,
                QStringLiteral("$%1 in the arguments is not a variable and stays as it is")
                    .arg(name));
}

void dryRunReload(const DeploymentTask& task, const ManagedCertificate& item, DryRun& run) {
    const ReloadSettings s = ReloadSettings::of(task, item);
    run.description =
        QStringLiteral("Runs %1 (time limit %2 s)")
            .arg(s.command.isEmpty() ? QStringLiteral("no command")
                                     : describeCommand(s.command.first(), s.command.mid(1)))
            .arg(s.timeout.count());
    if (s.checkHost.isEmpty()) {
        run.description += QStringLiteral(", without checking what the service then presents.");
    } else {
        run.description += QStringLiteral(", then connects to `%1:%2` (name `%3`) until it "
                                          "presents the new certificate (up to %4 s).")
                               .arg(s.checkHost)
                               .arg(s.checkPort)
                               .arg(s.checkServerName)
                               .arg(s.checkWait.count());
        const QString unreachable = tcpConnectError(s.checkHost, s.checkPort, kReachTimeout);
        if (!unreachable.isEmpty())
            add(run, Severity::Error,
                QStringLiteral("The service to check is not reachable now (%1); start it, or "
                               "correct the check host and port")
                    .arg(unreachable));
    }
    const QString problem = programProblem(s.command.value(0));
    if (!problem.isEmpty())
        add(run, Severity::Error, problem);
}

void dryRunWebhook(const DeploymentTask& task, DryRun& run) {
    const WebhookSettings s = WebhookSettings::of(task);
    run.description = QStringLiteral("Sends HTTP %1 to `%2`").arg(s.method, s.url);
    if (s.method != QLatin1String("GET") && !s.body.isEmpty())
        run.description +=
            QStringLiteral(" (`%1`) with the body:\n\n```\n%2\n```").arg(s.contentType, s.body);
    else
        run.description += QLatin1Char('.');
    const QUrl url(s.url, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty() ||
        (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")))
        add(run, Severity::Error,
            QStringLiteral("'%1' is not an http:// or https:// address; correct the URL")
                .arg(s.url));
    for (const auto& name : unknownVariables(s.body))
        add(run, Severity::Warning,
            QStringLiteral("$%1 in the body is not a variable and is sent as it is").arg(name));
}
} // namespace

DryRun dryRunBlocking(const DeploymentTask& task, const ManagedCertificate& item,
                      const QString& dataDir) {
    DryRun run;
    if (task.type == task_types::kExport) {
        dryRunExport(task, dataDir, run);
    } else if (task.type == task_types::kScript) {
        dryRunScript(task, run);
    } else if (task.type == task_types::kReload) {
        dryRunReload(task, item, run);
    } else if (task.type == task_types::kWebhook) {
        dryRunWebhook(task, run);
    } else if (isServerTaskType(task.type)) {
        dryRunServerTask(task, item, dataDir, run);
    } else if (task.type == task_types::kSsh) {
        dryRunSsh(task, dataDir, run);
    } else if (task.type == task_types::kWait) {
        run.description = QStringLiteral("Waits %1 seconds before the next task.")
                              .arg(WaitSettings::of(task).duration.count());
    } else {
        run.description = QStringLiteral("Nothing: '%1' is not a task type.").arg(task.type);
        add(run, Severity::Error,
            QStringLiteral("'%1' is not a task type; use %2")
                .arg(task.type, deploymentTaskTypeNames().join(QStringLiteral(", "))));
        return run;
    }
    run.description += triggerClause(task);
    if (!task.enabled)
        add(run, Severity::Warning, QStringLiteral("The task is disabled and will not run"));
    return run;
}

} // namespace ck::deploy
