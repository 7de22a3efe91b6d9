#include "deploy/ServerTargets.h"

#include "deploy/HaproxyRuntime.h"
#include "deploy/PresentedCheck.h"
#include "deploy/ServerFiles.h"
#include "deploy/TaskSettings.h"
#include "deploy/TlsProbe.h"
#include "model/ServerTaskTypes.h"

#include <QFileInfo>
#include <QStandardPaths>

#include <unistd.h>

namespace ck::deploy {

namespace {
using Severity = DryRunFinding::Severity;
constexpr int kOutputLinesInLog = 100;
constexpr int kOutputLinesInMessage = 8;
constexpr auto kReachTimeout = std::chrono::seconds(3);

QString serverName(const QString& type) {
    if (type == task_types::kHaproxy)
        return QStringLiteral("HAProxy");
    if (type == task_types::kApache)
        return QStringLiteral("Apache");
    if (type == task_types::kPostfix)
        return QStringLiteral("Postfix");
    return QStringLiteral("Dovecot");
}

// Why the reload program cannot run, said before trying; empty when it can (a bare name is
// looked up in the service's PATH).
QString programProblem(const QString& program) {
    const QString resolved =
        program.contains(u'/') ? program : QStandardPaths::findExecutable(program);
    if (resolved.isEmpty())
        return QStringLiteral("'%1' is not found in the service's PATH; give its absolute path")
            .arg(program);
    const QFileInfo info(resolved);
    if (!info.isFile())
        return QStringLiteral("%1 does not exist or is not a file; check the path").arg(resolved);
    if (::access(QFile::encodeName(resolved).constData(), X_OK) != 0)
        return QStringLiteral("%1 is not executable").arg(resolved);
    return {};
}

// The reload command's outcome: its output for the log, its last lines in a failure.
TaskOutcome reloadOutcome(const ServerSettings& s, const process::ProcessResult& result) {
    TaskOutcome outcome;
    outcome.ok = result.ok();
    outcome.output = result.tail(kOutputLinesInLog);
    if (outcome.ok) {
        outcome.message = QStringLiteral("'%1' finished").arg(s.reloadCommandLine);
        return outcome;
    }
    outcome.message = QStringLiteral("'%1' %2").arg(s.reloadCommandLine, result.summary(s.timeout));
    if (const QString tail = result.tail(kOutputLinesInMessage); !tail.isEmpty())
        outcome.message += QStringLiteral("; its last output:\n") + tail;
    return outcome;
}

awaitable<TaskOutcome> reloadServer(process::ProcessRunner& processes, const ServerSettings& s,
                                    const DeploymentTask& task, const RunContext& run) {
    if (s.reloadCommand.isEmpty())
        co_return TaskOutcome::success(
            QStringLiteral("No reload command is set: %1 reads the files when it next starts")
                .arg(serverName(s.type)));
    if (const QString problem = programProblem(s.reloadCommand.first()); !problem.isEmpty())
        co_return TaskOutcome::failure(problem);
    process::ProcessSpec spec;
    spec.program = s.reloadCommand.first();
    spec.arguments = s.reloadCommand.mid(1);
    spec.environment = environmentFor(variablesFor(run, task));
    spec.timeout = s.timeout;
    const process::ProcessResult result = co_await processes.run(spec);
    co_return reloadOutcome(s, result);
}

// HAProxy: the file, then the runtime API in the same piece of blocking work.
TaskOutcome haproxyUpdateBlocking(const ServerSettings& s, const ManagedCertificate& item,
                                  const QString& dataDir) {
    TaskOutcome files = writeServerFilesBlocking(s, item, dataDir);
    if (!files.ok)
        return files;
    QString error;
    const CertificateMaterial material = loadCertificateMaterial(item, &error);
    if (!error.isEmpty())
        return TaskOutcome::failure(error);
    const HaproxySocket socket{s.statsSocket, s.timeout};
    const ServerFile& file = s.files.first();
    const HaproxyUpdate update =
        updateHaproxyCertificate(socket, file.path, serverFileContent(file.content, material));
    TaskOutcome outcome;
    outcome.ok = update.ok;
    outcome.message = files.message + QStringLiteral("; ") + update.message;
    return outcome;
}
} // namespace

awaitable<TaskOutcome> runServerTask(process::ProcessRunner& processes, const DeploymentTask& task,
                                     const RunContext& run, const QString& dataDir) {
    const ServerSettings s = ServerSettings::of(task, run.item);
    TaskOutcome updated;
    if (s.type == task_types::kHaproxy && !s.statsSocket.isEmpty()) {
        auto work = [s, item = run.item, dataDir] {
            return haproxyUpdateBlocking(s, item, dataDir);
        };
        updated = co_await processes.offload(std::move(work));
    } else {
        auto work = [s, item = run.item, dataDir] {
            return writeServerFilesBlocking(s, item, dataDir);
        };
        const TaskOutcome files = co_await processes.offload(std::move(work));
        if (!files.ok)
            co_return files;
        updated = co_await reloadServer(processes, s, task, run);
        updated.message = files.message + QStringLiteral("; ") + updated.message;
    }
    if (!updated.ok || s.check.host.isEmpty())
        co_return updated;
    const QString expected = run.item.certificateThumbprint;
    TaskOutcome check = co_await waitUntilPresented(processes, s.check, expected, updated.message);
    check.output = updated.output;
    co_return check;
}

namespace {
void add(DryRun& run, Severity severity, const QString& message) {
    run.findings.append({severity, message});
}

QString describeFiles(const ServerSettings& s) {
    QStringList parts;
    for (const ServerFile& file : s.files)
        parts.append(QStringLiteral("%1 to `%2` (mode `0%3`)")
                         .arg(describeContent(file.content), file.path)
                         .arg(s.modeOf(file), 3, 8, QLatin1Char('0')));
    return parts.join(QStringLiteral(", "));
}

void dryRunUpdate(const ServerSettings& s, DryRun& run) {
    if (s.type == task_types::kHaproxy && !s.statsSocket.isEmpty()) {
        run.description += QStringLiteral(" Then gives the running HAProxy the new certificate "
                                          "through its runtime API on `%1` (set ssl cert, "
                                          "commit ssl cert), without a reload.")
                               .arg(s.statsSocket);
        const HaproxyAnswer answer =
            haproxyCommand({s.statsSocket, kReachTimeout}, "show ssl cert\n");
        if (!answer.answered())
            add(run, Severity::Error,
                answer.error + QStringLiteral("; start HAProxy, or correct the stats socket"));
        else if (!s.files.isEmpty() && !answer.text.contains(s.files.first().path))
            add(run, Severity::Warning,
                QStringLiteral("HAProxy does not list %1 among its certificates (show ssl cert); "
                               "the update will be refused unless a 'crt' names exactly this "
                               "path")
                    .arg(s.files.first().path));
        return;
    }
    if (s.reloadCommand.isEmpty()) {
        run.description += QStringLiteral(" No reload command is set: %1 reads the files when it "
                                          "next starts.")
                               .arg(serverName(s.type));
        return;
    }
    run.description += QStringLiteral(" Then runs %1 (time limit %2 s).")
                           .arg(describeCommand(s.reloadCommand.first(), s.reloadCommand.mid(1)))
                           .arg(s.timeout.count());
    if (const QString problem = programProblem(s.reloadCommand.first()); !problem.isEmpty())
        add(run, Severity::Error, problem);
}
} // namespace

void dryRunServerTask(const DeploymentTask& task, const ManagedCertificate& item,
                      const QString& dataDir, DryRun& run) {
    const ServerSettings s = ServerSettings::of(task, item);
    run.description = QStringLiteral("Writes %1, each replaced atomically.").arg(describeFiles(s));
    if (const QString problem = serverFilesProblem(s, dataDir); !problem.isEmpty())
        add(run, Severity::Error, problem);
    dryRunUpdate(s, run);
    if (s.check.host.isEmpty()) {
        run.description += QStringLiteral(" The served certificate is not checked.");
        return;
    }
    run.description += QStringLiteral(" Then connects to %1 (name `%2`) until it presents the "
                                      "new certificate (up to %3 s).")
                           .arg(s.check.where(), s.check.serverName)
                           .arg(s.check.wait.count());
    if (const QString unreachable = tcpConnectError(s.check.host, s.check.port, kReachTimeout);
        !unreachable.isEmpty())
        add(run, Severity::Error,
            QStringLiteral("The server to check is not reachable now (%1); start it, or correct "
                           "the check host and port")
                .arg(unreachable));
}

} // namespace ck::deploy
