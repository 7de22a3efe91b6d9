// The ssh task against a real OpenSSH sshd started by the test (tests/e2e/support/SshdProcess):
// files copied over SFTP with their modes, the command run there with its output and exit status,
// the host key pinned at first use and a changed one refused before anything is written, a
// refused login, a missing folder, a failing host beside a good one, a command over its time
// limit, the task's own fingerprint; Preview's dry run and Test's check, which write nothing.

#include "DeployTestSupport.h"
#include "SshdProcess.h"
#include "deploy/CertificateExport.h"
#include "deploy/SshDeployment.h"
#include "deploy/TaskDryRun.h"
#include "model/SshTaskType.h"
#include "model/TaskValidation.h"

#include <QDir>
#include <QFileInfo>

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace ck;
using namespace ck::deploy;
using namespace ck::test;

namespace {
struct SshFixture {
    IssuedItem issued;
    RunnerFixture f;
    SshdProcess sshd;
    QTemporaryDir remote; // the far side's folder (the same machine, reached over SSH)
    QString credentialId;

    SshFixture() {
        const bool started = sshd.start();
        INFO(sshd.errorString().toStdString());
        REQUIRE(started);
        credentialId = addKey(sshd.clientKey());
    }
    QString addKey(const QByteArray& key, const QString& passphrase = {}) {
        QJsonObject values{{"user", sshd.user()}, {"privateKey", QString::fromUtf8(key)}};
        if (!passphrase.isEmpty())
            values.insert("passphrase", passphrase);
        return f.credentials.create(ssh_task::kCredentialType, QStringLiteral("deploy key"), values)
            .id;
    }
    QString remotePath(const QString& name) const { return remote.filePath(name); }
    DeploymentTask task(QJsonObject extra = {}) const {
        QJsonObject p{{"hosts", sshd.hostAndPort()},
                      {"credential", credentialId},
                      {"files", QStringLiteral("pemfullnokey %1\npemkey %2")
                                    .arg(remotePath("fullchain.pem"), remotePath("key.pem"))}};
        for (auto it = extra.begin(); it != extra.end(); ++it)
            p.insert(it.key(), it.value());
        return makeTask(QStringLiteral("ssh"), p, QStringLiteral("Copy to web"));
    }
    TaskRunResult runOne(const DeploymentTask& t) {
        const QList<TaskRunResult> results = f.run({t}, postRequest(issued.item));
        REQUIRE(results.size() == 1);
        return results.first();
    }
    QString knownHosts() const { return knownHostsPathIn(f.dataDir.path()); }
};

int modeOf(const QString& path) {
    struct stat st {};
    REQUIRE(::stat(QFile::encodeName(path).constData(), &st) == 0);
    return int(st.st_mode & 07777);
}

QStringList errorsOf(const DryRun& run) {
    QStringList list;
    for (const auto& finding : run.findings)
        list << finding.message;
    return list;
}
} // namespace

TEST_CASE("ssh task: files copied with their modes, the command run, the host key pinned",
          "[deploy][ssh]") {
    SshFixture s;
    const TaskRunResult result = s.runOne(s.task({{"command", "echo reloaded on $(hostname)"}}));
    const QString log = s.f.logText();
    INFO(log.toStdString() << "\n"
                           << result.message.toStdString() << "\n"
                           << s.sshd.log().toStdString());
    REQUIRE(result.status == TaskRunStatus::Success);
    CHECK(result.message.contains(QStringLiteral("%1: 2 file(s) replaced, 'echo reloaded on "
                                                 "$(hostname)' exited with 0")
                                      .arg(s.sshd.hostAndPort())));
    QString error;
    const CertificateMaterial material = loadCertificateMaterial(s.issued.item, &error);
    CHECK(readAll(s.remotePath("fullchain.pem")) ==
          exportContent(QStringLiteral("pemfullnokey"), material, {}, {}));
    CHECK(readAll(s.remotePath("fullchain.pem")).startsWith(s.issued.chain.leafPem));
    CHECK(readAll(s.remotePath("key.pem")) == s.issued.chain.leafKeyPem);
    CHECK(modeOf(s.remotePath("fullchain.pem")) == 0644);
    CHECK(modeOf(s.remotePath("key.pem")) == 0600);
    CHECK(QDir(s.remote.path()).entryList(QDir::Files | QDir::Hidden) ==
          QStringList{"fullchain.pem", "key.pem"}); // no temporary left
    // The command's output and the pinned key are in the log; the pin file is 0600.
    CHECK(log.contains(QStringLiteral("reloaded on ")));
    const QString fingerprint = s.sshd.hostKeyFingerprint();
    REQUIRE(fingerprint.startsWith(QStringLiteral("SHA256:")));
    CHECK(log.contains(QStringLiteral("host key %1 (ssh-ed25519), not pinned before; pinned now")
                           .arg(fingerprint)));
    CHECK(modeOf(s.knownHosts()) == 0600);
    CHECK(QString::fromUtf8(readAll(s.knownHosts()))
              .startsWith(QStringLiteral("[127.0.0.1]:%1 ssh-ed25519 ").arg(s.sshd.port())));
    // ssh-keygen reads the pin file and finds the same key.
    const ToolResult listed = runTool(findProgram(QStringLiteral("ssh-keygen")),
                                      {"-l", "-E", "sha256", "-f", s.knownHosts()});
    CHECK(QString::fromUtf8(listed.stdOut).contains(fingerprint));
    CHECK_FALSE(log.contains(QStringLiteral("PRIVATE KEY")));

    SECTION("the next run finds the key pinned") {
        const TaskRunResult again = s.runOne(s.task());
        CHECK(again.status == TaskRunStatus::Success);
        CHECK(s.f.logText().contains(
            QStringLiteral("host key %1 (ssh-ed25519), as pinned").arg(fingerprint)));
    }
    SECTION("a changed host key fails before anything is written, naming both fingerprints") {
        const QByteArray before = readAll(s.remotePath("fullchain.pem"));
        REQUIRE(s.sshd.replaceHostKey());
        const QString presented = s.sshd.hostKeyFingerprint();
        crypto::test::writeFile(s.issued.item.certificatePath, s.issued.chain.intermediatePem);
        const TaskRunResult refused = s.runOne(s.task());
        INFO(refused.message.toStdString());
        CHECK(refused.status == TaskRunStatus::Failed);
        CHECK(refused.message.contains(
            QStringLiteral("The host key of %1 has changed: pinned %2, presented %3")
                .arg(s.sshd.hostAndPort(), fingerprint, presented)));
        CHECK(refused.message.contains(QStringLiteral("Nothing was copied there")));
        CHECK(readAll(s.remotePath("fullchain.pem")) == before);
        // The task's fingerprint accepts the new key, and the pin follows it.
        const TaskRunResult accepted = s.runOne(s.task({{"hostKeyFingerprint", presented}}));
        CHECK(accepted.status == TaskRunStatus::Success);
        CHECK(s.runOne(s.task()).status == TaskRunStatus::Success);
    }
}

TEST_CASE("ssh task: a refused login, a missing folder, a bad command change nothing there",
          "[deploy][ssh]") {
    SshFixture s;
    REQUIRE(s.runOne(s.task()).status == TaskRunStatus::Success);
    const QByteArray chainBefore = readAll(s.remotePath("fullchain.pem"));
    const QByteArray keyBefore = readAll(s.remotePath("key.pem"));
    // The item now holds another certificate, which must not reach the host in these cases.
    crypto::test::writeFile(s.issued.item.certificatePath, s.issued.chain.intermediatePem);
    auto unchanged = [&] {
        CHECK(readAll(s.remotePath("fullchain.pem")) == chainBefore);
        CHECK(readAll(s.remotePath("key.pem")) == keyBefore);
        CHECK(QDir(s.remote.path()).entryList(QDir::Files | QDir::Hidden).size() == 2);
    };

    SECTION("a key the host does not accept") {
        s.credentialId = s.addKey(SshdProcess::strangerKey());
        const TaskRunResult r = s.runOne(s.task());
        INFO(r.message.toStdString());
        CHECK(r.status == TaskRunStatus::Failed);
        CHECK(r.message.contains(QStringLiteral("The host refused the login of '%1' with the key "
                                                "SHA256:")
                                     .arg(s.sshd.user())));
        unchanged();
    }
    SECTION("a key with a wrong passphrase, and the right one") {
        const QByteArray locked = s.sshd.authorizeKeyWithPassphrase(QStringLiteral("open sesame"));
        s.credentialId = s.addKey(locked, QStringLiteral("wrong"));
        const TaskRunResult wrong = s.runOne(s.task());
        CHECK(wrong.message.contains(QStringLiteral("the passphrase is wrong")));
        CHECK_FALSE(wrong.message.contains(QStringLiteral("open sesame")));
        unchanged();
        s.credentialId = s.addKey(locked, QStringLiteral("open sesame"));
        CHECK(s.runOne(s.task()).status == TaskRunStatus::Success);
    }
    SECTION("a key pasted into one line, its line breaks lost, still logs in") {
        for (const char* separator : {" ", ""}) {
            QByteArray flat = s.sshd.clientKey();
            flat.replace('\n', separator);
            s.credentialId = s.addKey(flat);
            CHECK(s.runOne(s.task()).status == TaskRunStatus::Success);
        }
    }
    SECTION("a folder that does not exist there: no file is replaced") {
        const QString missing = s.remotePath("missing/key.pem");
        const TaskRunResult r =
            s.runOne(s.task({{"files", QStringLiteral("pemfullnokey %1\npemkey %2")
                                           .arg(s.remotePath("fullchain.pem"), missing)}}));
        INFO(r.message.toStdString());
        CHECK(r.status == TaskRunStatus::Failed);
        CHECK(r.message.contains(QStringLiteral("nothing was replaced: The folder %1 does not "
                                                "exist there")
                                     .arg(s.remotePath("missing"))));
        unchanged();
    }
    SECTION("a command that fails: its exit status and output") {
        const TaskRunResult r =
            s.runOne(s.task({{"command", "echo nginx: configuration test failed >&2; exit 3"}}));
        CHECK(r.status == TaskRunStatus::Failed);
        CHECK(r.message.contains(QStringLiteral("exited with 3 (its last output: nginx: "
                                                "configuration test failed)")));
    }
    SECTION("a command over its time limit is abandoned") {
        const auto started = std::chrono::steady_clock::now();
        const TaskRunResult r =
            s.runOne(s.task({{"command", "sleep 30"}, {"commandTimeoutSeconds", 1}}));
        CHECK(r.status == TaskRunStatus::Failed);
        CHECK(r.message.contains(QStringLiteral("'sleep 30' did not finish within 1 s")));
        CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(10));
    }
    SECTION("a fingerprint in the task that the host does not present") {
        const TaskRunResult r = s.runOne(
            s.task({{"hostKeyFingerprint", "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}}));
        CHECK(r.status == TaskRunStatus::Failed);
        CHECK(r.message.contains(QStringLiteral("not the one the task names")));
        unchanged();
    }
}

TEST_CASE("ssh task: owner and group by name, looked up on the host, and an unknown one",
          "[deploy][ssh]") {
    SshFixture s;
    // Giving files away needs root on the far side, as test_deploy_nginx's export does here.
    const TaskRunResult given =
        s.runOne(s.task({{"owner", "nobody"}, {"group", "nogroup"}, {"mode", "0640"}}));
    INFO(given.message.toStdString());
    REQUIRE(given.status == TaskRunStatus::Success);
    const passwd* nobody = ::getpwnam("nobody");
    const group* nogroup = ::getgrnam("nogroup");
    REQUIRE(nobody);
    REQUIRE(nogroup);
    for (const char* name : {"fullchain.pem", "key.pem"}) {
        struct stat st {};
        REQUIRE(::stat(QFile::encodeName(s.remotePath(name)).constData(), &st) == 0);
        CHECK(st.st_uid == nobody->pw_uid);
        CHECK(st.st_gid == nogroup->gr_gid);
        CHECK((st.st_mode & 07777) == 0640);
    }
    const QByteArray before = readAll(s.remotePath("key.pem"));
    const TaskRunResult unknown = s.runOne(s.task({{"owner", "no-such-user-certkeeper"}}));
    CHECK(unknown.status == TaskRunStatus::Failed);
    CHECK(unknown.message.contains(QStringLiteral("nothing was replaced: There is no user "
                                                  "'no-such-user-certkeeper' there")));
    CHECK(readAll(s.remotePath("key.pem")) == before);
}

TEST_CASE("ssh task: one failing host does not stop the others, and fails the task",
          "[deploy][ssh]") {
    SshFixture s;
    const int nobody = freeLoopbackPorts(1).front();
    const QString dead = QStringLiteral("127.0.0.1:%1").arg(nobody);
    const TaskRunResult r =
        s.runOne(s.task({{"hosts", QStringLiteral("%1, %2").arg(dead, s.sshd.hostAndPort())}}));
    INFO(r.message.toStdString());
    CHECK(r.status == TaskRunStatus::Failed);
    CHECK(r.message.startsWith(QStringLiteral("1 of 2 host(s) failed: %1: Cannot connect to "
                                              "127.0.0.1 port %2")
                                   .arg(dead)
                                   .arg(nobody)));
    CHECK(r.message.contains(QStringLiteral("%1: 2 file(s) replaced").arg(s.sshd.hostAndPort())));
    CHECK(readAll(s.remotePath("key.pem")) == s.issued.chain.leafKeyPem);
}

TEST_CASE("ssh task: Preview shows the plan and the host key; Test logs in and writes nothing",
          "[deploy][ssh]") {
    SshFixture s;
    const DeploymentTask t = s.task({{"command", "systemctl reload nginx"}});
    const DryRun dry = dryRunBlocking(t, s.issued.item, s.f.dataDir.path());
    INFO(dry.description.toStdString());
    CHECK(errorsOf(dry).isEmpty());
    CHECK(dry.description.contains(QStringLiteral("the certificate and chain (`pemfullnokey`) to "
                                                  "`%1`, mode `0644`")
                                       .arg(s.remotePath("fullchain.pem"))));
    CHECK(dry.description.contains(QStringLiteral("Then runs `systemctl reload nginx` there")));
    CHECK(dry.description.contains(
        QStringLiteral("`%1`: host key %2 (ssh-ed25519), not pinned before (it will be pinned at "
                       "the first deployment)")
            .arg(s.sshd.hostAndPort(), s.sshd.hostKeyFingerprint())));
    CHECK_FALSE(QFileInfo::exists(s.knownHosts()));

    const QList<SshHostTest> tests =
        runSync(testSsh(t, s.f.processes, s.f.credentials, s.f.dataDir.path()));
    REQUIRE(tests.size() == 1);
    INFO(tests[0].message.toStdString());
    CHECK(tests[0].ok);
    CHECK(tests[0].message.contains(QStringLiteral("Logged in as '%1'").arg(s.sshd.user())));
    CHECK(tests[0].message.contains(QStringLiteral("may write in %1").arg(s.remote.path())));
    CHECK(QDir(s.remote.path()).entryList(QDir::Files | QDir::Hidden).isEmpty());
    CHECK_FALSE(QFileInfo::exists(s.knownHosts()));

    SECTION("Test names a refused login and a missing folder") {
        DeploymentTask missing = s.task({{"files", "pemkey /nonexistent-certkeeper/key.pem"}});
        const QList<SshHostTest> folder =
            runSync(testSsh(missing, s.f.processes, s.f.credentials, s.f.dataDir.path()));
        CHECK_FALSE(folder.value(0).ok);
        CHECK(folder.value(0).message.contains(
            QStringLiteral("The folder /nonexistent-certkeeper does not exist there")));
        s.credentialId = s.addKey(SshdProcess::strangerKey());
        const QList<SshHostTest> refused =
            runSync(testSsh(s.task(), s.f.processes, s.f.credentials, s.f.dataDir.path()));
        CHECK_FALSE(refused.value(0).ok);
        CHECK(refused.value(0).message.contains(QStringLiteral("refused the login")));
    }
    SECTION("Preview of a host whose key changed is an error naming both") {
        REQUIRE(s.runOne(s.task()).status == TaskRunStatus::Success);
        const QString pinned = s.sshd.hostKeyFingerprint();
        REQUIRE(s.sshd.replaceHostKey());
        const DryRun changed = dryRunBlocking(t, s.issued.item, s.f.dataDir.path());
        REQUIRE(errorsOf(changed).size() == 1);
        CHECK(errorsOf(changed)[0].contains(
            QStringLiteral("pinned %1, presented %2").arg(pinned, s.sshd.hostKeyFingerprint())));
    }
}

TEST_CASE("ssh task parameters: hosts, files, modes and fingerprints are checked when saved",
          "[deploy][ssh]") {
    QString error;
    const auto hosts =
        parseSshHosts(QStringLiteral("web1, 192.0.2.7:2222\n[2001:db8::7]:22"), 22, &error);
    REQUIRE(hosts);
    CHECK(*hosts == QList<SshHost>{{"web1", 22}, {"192.0.2.7", 2222}, {"2001:db8::7", 22}});
    CHECK(hosts->at(1).text() == QStringLiteral("192.0.2.7:2222"));
    CHECK_FALSE(parseSshHosts(QStringLiteral("web1:99999"), 22, &error));
    CHECK(error.contains(QStringLiteral("'web1:99999' is not a host")));
    CHECK_FALSE(parseSshHosts(QStringLiteral("-oProxyCommand=x"), 22, &error));
    CHECK_FALSE(parseSshHosts(QStringLiteral(" , "), 22, &error));

    CHECK_FALSE(parseSshFiles(QStringLiteral("pem /etc/x.pem"), &error));
    CHECK(error.startsWith(QStringLiteral("Line 1: 'pem' is not an export format")));
    CHECK_FALSE(parseSshFiles(QStringLiteral("# comment\npemkey relative/key.pem"), &error));
    CHECK(error.startsWith(QStringLiteral("Line 2: give the absolute path")));

    ManagedCertificate item;
    item.postRequestTasks = {makeTask(QStringLiteral("ssh"), {{"hosts", "web1"},
                                                              {"credential", "k"},
                                                              {"files", "pemkey /etc/k.pem"},
                                                              {"mode", "0644"},
                                                              {"owner", "www data"},
                                                              {"hostKeyFingerprint", "MD5:aa"}})};
    QStringList fields;
    for (const FieldError& e : validateItemTasks(item))
        fields << e.field;
    CHECK(fields.contains(QStringLiteral("postRequestTasks[0].parameters.mode")));
    CHECK(fields.contains(QStringLiteral("postRequestTasks[0].parameters.owner")));
    CHECK(fields.contains(QStringLiteral("postRequestTasks[0].parameters.hostKeyFingerprint")));
    CHECK(
        findCredentialType(ssh_task::kCredentialType)->field(QStringLiteral("privateKey"))->secret);
}
