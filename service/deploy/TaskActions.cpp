#include "deploy/TaskActions.h"

#include "credentials/CredentialStore.h"
#include "deploy/CertificateExport.h"
#include "deploy/ServerTargets.h"
#include "deploy/SshDeployment.h"
#include "deploy/TaskSettings.h"
#include "deploy/TlsProbe.h"
#include "model/DeploymentTaskTypes.h"
#include "model/ServerTaskTypes.h"
#include "net/CurlTransfer.h"
#include "process/ChildProcess.h"

#include <QFileInfo>
#include <QUrl>

#include <unistd.h>

namespace ck::deploy {

namespace {
constexpr int kOutputLinesInLog = 100;
constexpr int kOutputLinesInMessage = 8;
constexpr auto kProbeInterval = std::chrono::milliseconds(500);
constexpr auto kProbeTimeout = std::chrono::seconds(5);

// Why the program cannot be run, said before trying (a clearer message than the spawn error).
QString unrunnable(const QString& program) {
    if (program.isEmpty())
        return QStringLiteral("No program is set; set the path of the program to run");
    if (!program.contains(u'/'))
        return {}; // looked up in PATH by the spawn; its error says if it is not there
    const QFileInfo info(program);
    if (!info.exists())
        return QStringLiteral("%1 does not exist; check the path").arg(program);
    if (!info.isFile())
        return QStringLiteral("%1 is not a file").arg(program);
    if (::access(QFile::encodeName(program).constData(), X_OK) != 0)
        return QStringLiteral("%1 is not executable; make it so (chmod +x)").arg(program);
    return {};
}

// The outcome of a finished program: its output for the log, the tail in a failure message.
TaskOutcome programOutcome(const QString& what, const process::ProcessResult& result,
                           std::chrono::milliseconds timeout) {
    TaskOutcome outcome;
    outcome.ok = result.ok();
    outcome.output = result.tail(kOutputLinesInLog);
    if (outcome.ok) {
        outcome.message = QStringLiteral("%1 finished (exit code 0)").arg(what);
        return outcome;
    }
    outcome.message = QStringLiteral("%1 %2").arg(what, result.summary(timeout));
    const QString tail = result.tail(kOutputLinesInMessage);
    if (!tail.isEmpty())
        outcome.message += QStringLiteral("; its last output:\n") + tail;
    return outcome;
}

QString shortThumbprint(const QString& t) {
    return t.isEmpty() ? QStringLiteral("(none)") : t.left(16) + QStringLiteral("...");
}
} // namespace

awaitable<void> sleepFor(std::chrono::milliseconds duration) {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    timer.expires_after(duration);
    ErrorCode ec;
    co_await timer.async_wait(asio::redirect_error(use_awaitable, ec));
}

awaitable<TaskOutcome> TaskActions::run(const DeploymentTask& task, const RunContext& run) {
    if (task.type == task_types::kExport)
        co_return co_await exportCertificate(task, run);
    if (task.type == task_types::kScript)
        co_return co_await runScript(task, run);
    if (task.type == task_types::kReload)
        co_return co_await reload(task, run);
    if (task.type == task_types::kWebhook)
        co_return co_await webhook(task, run);
    if (isServerTaskType(task.type))
        co_return co_await runServerTask(m_processes, task, run, m_dataDir);
    if (task.type == task_types::kSsh)
        co_return co_await deployOverSsh(task, run, m_processes, m_credentials, m_dataDir);
    if (task.type == task_types::kWait) {
        const auto duration = WaitSettings::of(task).duration;
        co_await sleepFor(duration);
        co_return TaskOutcome::success(
            QStringLiteral("Waited %1 seconds").arg(qint64(duration.count())));
    }
    co_return TaskOutcome::failure(
        QStringLiteral("'%1' is not a task type; use %2")
            .arg(task.type, deploymentTaskTypeNames().join(QStringLiteral(", "))));
}

awaitable<TaskOutcome> TaskActions::exportCertificate(const DeploymentTask& task,
                                                      const RunContext& run) {
    const ExportSettings settings = ExportSettings::of(task);
    QString password;
    const QString credentialId = run.item.requestConfig.pfxPasswordCredentialId;
    if (settings.format == export_formats::kPfxFull && !credentialId.isEmpty()) {
        if (!m_credentials.find(credentialId))
            co_return TaskOutcome::failure(
                QStringLiteral("The PFX password credential '%1' no longer exists; choose "
                               "another (or none) in the certificate's settings")
                    .arg(credentialId));
        password = m_credentials.values(credentialId).value(QStringLiteral("password")).toString();
    }
    auto work = [settings, item = run.item, password, dataDir = m_dataDir] {
        return exportCertificateBlocking(settings, item, password, dataDir);
    };
    co_return co_await m_processes.offload(std::move(work));
}

awaitable<TaskOutcome> TaskActions::runScript(const DeploymentTask& task, const RunContext& run) {
    const ScriptSettings settings = ScriptSettings::of(task);
    const QString problem = unrunnable(settings.program);
    if (!problem.isEmpty())
        co_return TaskOutcome::failure(problem);
    if (!settings.workingDirectory.isEmpty() && !QFileInfo(settings.workingDirectory).isDir())
        co_return TaskOutcome::failure(
            QStringLiteral("The working folder %1 does not exist").arg(settings.workingDirectory));
    const Variables variables = variablesFor(run, task);
    process::ProcessSpec spec;
    spec.program = settings.program;
    for (const auto& argument : settings.arguments)
        spec.arguments.append(expandVariables(argument, variables, Escaping::None));
    spec.environment = environmentFor(variables);
    spec.input = scriptInput(run, task, variables);
    spec.workingDirectory = settings.workingDirectory;
    spec.timeout = settings.timeout;
    const process::ProcessResult result = co_await m_processes.run(spec);
    co_return programOutcome(settings.program, result, spec.timeout);
}

awaitable<TaskOutcome> TaskActions::reload(const DeploymentTask& task, const RunContext& run) {
    const ReloadSettings settings = ReloadSettings::of(task, run.item);
    const QString program = settings.command.value(0);
    const QString problem = unrunnable(program);
    if (!problem.isEmpty())
        co_return TaskOutcome::failure(problem);
    process::ProcessSpec spec;
    spec.program = program;
    spec.arguments = settings.command.mid(1);
    spec.environment = environmentFor(variablesFor(run, task));
    spec.timeout = settings.timeout;
    const process::ProcessResult result = co_await m_processes.run(spec);
    TaskOutcome outcome =
        programOutcome(QStringLiteral("'%1'").arg(settings.commandLine), result, spec.timeout);
    if (!outcome.ok || settings.checkHost.isEmpty())
        co_return outcome;
    TaskOutcome check = co_await checkPresented(task, run);
    check.output = outcome.output;
    co_return check;
}

awaitable<TaskOutcome> TaskActions::checkPresented(const DeploymentTask& task,
                                                   const RunContext& run) {
    const ReloadSettings s = ReloadSettings::of(task, run.item);
    const QString expected = run.item.certificateThumbprint;
    const QString where = QStringLiteral("%1:%2").arg(s.checkHost).arg(s.checkPort);
    if (expected.isEmpty())
        co_return TaskOutcome::failure(
            QStringLiteral("'%1' has no certificate yet, so there is nothing to check on %2; "
                           "request one first")
                .arg(run.item.name, where));
    const auto deadline = std::chrono::steady_clock::now() + s.checkWait;
    TlsProbeResult last;
    for (;;) {
        auto probe = [s] {
            return probeTlsCertificate(s.checkHost, s.checkPort, s.checkServerName, kProbeTimeout);
        };
        last = co_await m_processes.offload(std::move(probe));
        if (last.ok() && last.thumbprint.compare(expected, Qt::CaseInsensitive) == 0)
            co_return TaskOutcome::success(
                QStringLiteral("Reloaded; %1 presents the new certificate (%2)")
                    .arg(where, shortThumbprint(expected)));
        if (std::chrono::steady_clock::now() + kProbeInterval >= deadline)
            break;
        co_await sleepFor(kProbeInterval);
    }
    if (!last.ok())
        co_return TaskOutcome::failure(
            QStringLiteral("The reload ran, but the check could not read the certificate on %1 "
                           "within %2 s: %3")
                .arg(where)
                .arg(qint64(s.checkWait.count()))
                .arg(last.error));
    co_return TaskOutcome::failure(
        QStringLiteral("The reload ran, but %1 still presents the certificate %2, not the new "
                       "one %3, after %4 s; check that the server reads the exported files "
                       "and that the check host, port and name are the ones it serves")
            .arg(where, shortThumbprint(last.thumbprint), shortThumbprint(expected))
            .arg(qint64(s.checkWait.count())));
}

awaitable<TaskOutcome> TaskActions::webhook(const DeploymentTask& task, const RunContext& run) {
    const WebhookSettings s = WebhookSettings::of(task);
    const QUrl url(s.url, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty() ||
        (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")))
        co_return TaskOutcome::failure(
            QStringLiteral("'%1' is not an http:// or https:// address; correct the webhook URL")
                .arg(s.url));
    net::OutgoingHttp request;
    request.method = s.method;
    request.url = s.url;
    request.timeout = s.timeout;
    if (s.method != QLatin1String("GET")) {
        request.body =
            expandVariables(s.body, variablesFor(run, task), escapingFor(s.contentType)).toUtf8();
        request.headers.append({"Content-Type", s.contentType.toUtf8()});
    }
    auto send = [request] { return net::sendHttpBlocking(request); };
    const net::OutgoingHttpResult answer = co_await m_processes.offload(std::move(send));
    const QString host = url.host();
    if (!answer.ok())
        co_return TaskOutcome::failure(
            QStringLiteral("The webhook to %1 failed: %2").arg(host, answer.summary()));
    co_return TaskOutcome::success(
        QStringLiteral("%1 %2 answered %3").arg(s.method, host, answer.summary()));
}

} // namespace ck::deploy
