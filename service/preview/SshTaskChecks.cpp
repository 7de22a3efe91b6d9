// Test's checks of the ssh deployment tasks: one check per task and host, from deploy/
// SshDeployment's testSsh (the host key, the login, the destination folders writable). Nothing is
// copied, run or pinned.

#include "preview/ConfigTester.h"

#include "challenges/ChallengePlacement.h"
#include "deploy/SshDeployment.h"
#include "model/DeploymentTask.h"

namespace ck::preview {

awaitable<void> ConfigTester::checkSshTasks(ManagedCertificate item, QList<TestCheck>& out) {
    QList<DeploymentTask> tasks = item.preRequestTasks;
    tasks.append(item.postRequestTasks);
    for (const DeploymentTask& task : tasks) {
        if (task.type != task_types::kSsh || !task.enabled)
            continue;
        const QList<deploy::SshHostTest> tests =
            co_await deploy::testSsh(task, m_runner, m_credentials, m_responders.dataDir);
        for (const deploy::SshHostTest& t : tests) {
            TestCheck check;
            const QString name = task.name.trimmed().isEmpty() ? task.type : task.name.trimmed();
            check.key = QStringLiteral("ssh.%1.%2").arg(task.id, t.host);
            check.title = t.host.isEmpty()
                              ? QStringLiteral("Task '%1' can copy over SSH").arg(name)
                              : QStringLiteral("Task '%1' can log in to %2 and write there")
                                    .arg(name, t.host);
            check.ok = t.ok;
            check.message = t.message;
            check.advice = t.advice;
            out.append(check);
        }
    }
}

} // namespace ck::preview
