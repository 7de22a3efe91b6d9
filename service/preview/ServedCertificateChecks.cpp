#include "preview/ServedCertificateChecks.h"

#include "deploy/PresentedCheck.h"
#include "deploy/ServerFiles.h"
#include "model/ServerTaskTypes.h"

namespace ck::preview {

namespace {
using Severity = TestCheck::Severity;

TestCheck checkOne(const DeploymentTask& task, const ManagedCertificate& item) {
    const deploy::ServerSettings s = deploy::ServerSettings::of(task, item);
    TestCheck check;
    check.key = QStringLiteral("deploy.") + task.id;
    check.title = QStringLiteral("Served by '%1' (%2)").arg(task.name, task.type);
    check.severity = Severity::Warning;
    deploy::PresentedTarget once = s.check;
    once.wait = std::chrono::seconds(5);
    const deploy::TlsProbeResult probe = deploy::probePresentedBlocking(once);
    const QString where = s.check.where();
    if (!probe.ok()) {
        check.message =
            QStringLiteral("Could not read the certificate on %1: %2").arg(where, probe.error);
        check.advice = QStringLiteral("Start the server, or correct the task's check host, port "
                                      "and protocol; the task fails after a request until then");
        return check;
    }
    const QString current = item.certificateThumbprint;
    if (current.isEmpty()) {
        check.ok = true;
        check.severity = Severity::Info;
        check.message = QStringLiteral("%1 presents %2; there is no certificate to compare it "
                                       "with yet")
                            .arg(where, deploy::shortThumbprintOf(probe.thumbprint));
        return check;
    }
    check.ok = probe.thumbprint.compare(current, Qt::CaseInsensitive) == 0;
    if (check.ok) {
        check.message = QStringLiteral("%1 presents the current certificate (%2)")
                            .arg(where, deploy::shortThumbprintOf(current));
        return check;
    }
    check.message = QStringLiteral("%1 presents %2, not the current certificate %3")
                        .arg(where, deploy::shortThumbprintOf(probe.thumbprint),
                             deploy::shortThumbprintOf(current));
    check.advice = QStringLiteral("Run the task (Deploy) so that the server takes the current "
                                  "certificate, and check that it reads the files the task "
                                  "writes");
    return check;
}
} // namespace

awaitable<void> checkServedCertificates(process::ProcessRunner& runner, ManagedCertificate item,
                                        QList<TestCheck>& out) {
    QList<DeploymentTask> tasks;
    for (const auto& task : item.postRequestTasks)
        if (task.enabled && isServerTaskType(task.type) &&
            !deploy::ServerSettings::of(task, item).check.host.isEmpty())
            tasks.append(task);
    if (tasks.isEmpty())
        co_return;
    auto work = [tasks, item] {
        QList<TestCheck> checks;
        for (const auto& task : tasks)
            checks.append(checkOne(task, item));
        return checks;
    };
    out += co_await runner.offload(std::move(work));
}

} // namespace ck::preview
