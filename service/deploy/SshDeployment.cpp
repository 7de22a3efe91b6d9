#include "deploy/SshDeployment.h"

#include "crypto/CryptoError.h"
#include "deploy/CertificateExport.h"
#include "model/TaskValidation.h"
#include "ssh/SftpFiles.h"
#include "ssh/SshConnection.h"

#include <QDir>

#include <memory>

namespace ck::deploy {

namespace {
using std::chrono::seconds;
constexpr seconds kPreviewConnectTimeout{5};
constexpr int kOutputLinesInMessage = 8;

struct Upload {
    SshFile file;
    QByteArray bytes;
    int mode = 0600;
};

struct Uploads {
    QList<Upload> list;
    QString error;
};

// What one host did: its line in the task's message, and lines for the log.
struct HostRun {
    bool ok = false;
    QString summary;
    QStringList log;
};

// Where a host's attempt stopped, for Test's advice.
enum class Step { Connect, HostKey, Login, Files, Done };

struct OpenedHost {
    std::unique_ptr<ssh::SshConnection> connection;
    ssh::HostKeyCheck key;
    Step failedAt = Step::Done;
    QString error;
};

QString text(const DeploymentTask& task, const char* key) {
    return taskParameter(task, QLatin1String(key)).toString().trimmed();
}

QString modeText(int mode) {
    return QStringLiteral("0%1").arg(mode, 3, 8, QLatin1Char('0'));
}

QString lastLines(const QByteArray& output, int count) {
    QStringList lines = QString::fromUtf8(output).split(u'\n', Qt::SkipEmptyParts);
    if (lines.size() > count)
        lines = lines.mid(lines.size() - count);
    return lines.join(u'\n');
}

// Connects, checks the host key (pinning it at first use when `pin`) and, with a login, logs in.
OpenedHost openHost(const SshHost& host, const SshSettings& s, const ssh::Login* login,
                    const QString& knownHostsPath, bool pin, seconds timeout) {
    OpenedHost opened;
    opened.connection = std::make_unique<ssh::SshConnection>();
    auto fail = [&](Step step, QString error) {
        opened.failedAt = step;
        opened.error = std::move(error);
        return std::move(opened);
    };
    QString error;
    if (!opened.connection->connect(host.host, host.port, timeout, knownHostsPath, &error))
        return fail(Step::Connect, error);
    const auto presented = opened.connection->hostKey(&error);
    if (!presented)
        return fail(Step::HostKey, error);
    const ssh::KnownHosts known(knownHostsPath);
    const auto pinned = known.pinned(host.host, host.port, &error);
    if (!error.isEmpty())
        return fail(Step::HostKey, error);
    opened.key = ssh::checkHostKey(*presented, pinned, s.fingerprints);
    if (!opened.key.ok())
        return fail(Step::HostKey, opened.key.refusal(host.text(), knownHostsPath, s.fingerprints));
    const bool newPin = opened.key.verdict != ssh::HostKeyCheck::Verdict::Pinned &&
                        !(pinned && pinned->sameKey(*presented));
    if (pin && newPin && !known.pin(host.host, host.port, *presented, &error))
        return fail(Step::HostKey, error);
    if (login && !opened.connection->login(*login, &error))
        return fail(Step::Login, QStringLiteral("%1: %2").arg(host.text(), error));
    return opened;
}

// A user or group on the far side by name (looked up there with id/getent) or number; -1 for
// none, -2 and *error when unknown.
int remoteId(ssh::SshConnection& connection, const QString& name, bool group, seconds timeout,
             QString* error) {
    if (name.isEmpty())
        return -1;
    bool numeric = false;
    const int id = name.toInt(&numeric);
    if (numeric && id >= 0)
        return id;
    // The name is letters, digits, . _ - only (checkSshTaskRules): safe in a shell word.
    const QString command = group ? QStringLiteral("getent group %1 | cut -d: -f3").arg(name)
                                  : QStringLiteral("id -u %1").arg(name);
    const ssh::CommandResult found = connection.run(command, timeout);
    const int number = QString::fromUtf8(found.output).trimmed().toInt(&numeric);
    if (found.ok() && numeric)
        return number;
    *error = QStringLiteral("There is no %1 '%2' there; set an existing owner and group, or none")
                 .arg(group ? QStringLiteral("group") : QStringLiteral("user"), name);
    return -2;
}

// Stages every file, then renames each over its target: a failure before the renames leaves
// every old file in place.
bool replaceFiles(ssh::SftpFiles& sftp, const QList<Upload>& uploads, int uid, int gid,
                  const QString& where, HostRun& r) {
    QString error;
    for (const Upload& u : uploads)
        if (const QString problem = sftp.targetProblem(u.file.path); !problem.isEmpty()) {
            r.summary = QStringLiteral("%1: nothing was replaced: %2").arg(where, problem);
            return false;
        }
    QStringList staged;
    for (const Upload& u : uploads) {
        const auto temporary = sftp.stage(u.file.path, u.bytes, u.mode, uid, gid, &error);
        if (!temporary) {
            for (const QString& t : staged)
                sftp.remove(t);
            r.summary = QStringLiteral("%1: nothing was replaced: %2").arg(where, error);
            return false;
        }
        staged.append(*temporary);
    }
    for (qsizetype i = 0; i < uploads.size(); ++i) {
        if (!sftp.replace(staged[i], uploads[i].file.path, &error)) {
            for (qsizetype j = i; j < staged.size(); ++j)
                sftp.remove(staged[j]);
            r.summary = QStringLiteral("%1: %2 of %3 files replaced, then: %4")
                            .arg(where)
                            .arg(i)
                            .arg(uploads.size())
                            .arg(error);
            return false;
        }
        r.log << QStringLiteral("%1: wrote %2 (%3) to %4, mode %5")
                     .arg(where, describeFormat(uploads[i].file.format), uploads[i].file.format,
                          uploads[i].file.path, modeText(uploads[i].mode));
    }
    return true;
}

HostRun deployToHost(const SshHost& host, const SshSettings& s, const QList<Upload>& uploads,
                     const ssh::Login& login, const QString& knownHostsPath) {
    HostRun r;
    const QString where = host.text();
    OpenedHost opened = openHost(host, s, &login, knownHostsPath, true, s.timeout);
    if (opened.failedAt == Step::Connect || opened.failedAt == Step::Login) {
        r.summary = opened.error.startsWith(where)
                        ? opened.error
                        : QStringLiteral("%1: %2").arg(where, opened.error);
        return r;
    }
    if (opened.failedAt == Step::HostKey) {
        r.summary = opened.error;
        return r;
    }
    r.log << QStringLiteral("%1: %2%3")
                 .arg(where, opened.key.summary(),
                      opened.key.verdict == ssh::HostKeyCheck::Verdict::FirstUse
                          ? QStringLiteral("; pinned now in %1").arg(knownHostsPath)
                          : QString());
    ssh::SshConnection& connection = *opened.connection;
    QString error;
    const int uid = remoteId(connection, s.owner, false, s.timeout, &error);
    const int gid = uid == -2 ? -2 : remoteId(connection, s.group, true, s.timeout, &error);
    if (uid == -2 || gid == -2) {
        r.summary = QStringLiteral("%1: nothing was replaced: %2").arg(where, error);
        return r;
    }
    ssh::SftpFiles sftp(connection);
    if (!sftp.open(&error)) {
        r.summary = QStringLiteral("%1: %2").arg(where, error);
        return r;
    }
    if (!replaceFiles(sftp, uploads, uid, gid, where, r))
        return r;
    r.summary = QStringLiteral("%1: %2 file(s) replaced").arg(where).arg(uploads.size());
    if (s.command.isEmpty()) {
        r.ok = true;
        return r;
    }
    const ssh::CommandResult ran = connection.run(s.command, s.commandTimeout);
    for (const QString& line : QString::fromUtf8(ran.output).split(u'\n', Qt::SkipEmptyParts))
        r.log << QStringLiteral("%1: %2").arg(where, line);
    r.ok = ran.ok();
    QString outcome;
    if (!ran.ran || !ran.error.isEmpty())
        outcome = ran.error;
    else if (ran.timedOut)
        outcome = QStringLiteral("did not finish within %1 s").arg(s.commandTimeout.count());
    else if (ran.exitStatus < 0)
        outcome = QStringLiteral("ended without an exit status (killed by a signal?)");
    else
        outcome = QStringLiteral("exited with %1").arg(ran.exitStatus);
    r.summary += QStringLiteral(", '%1' %2").arg(s.command, outcome);
    const QString tail = lastLines(ran.output, kOutputLinesInMessage);
    if (!r.ok && !tail.isEmpty())
        r.summary += QStringLiteral(" (its last output: %1)").arg(tail);
    r.log << QStringLiteral("%1: '%2' %3").arg(where, s.command, outcome);
    return r;
}

Uploads prepareUploads(const SshSettings& s, const ManagedCertificate& item,
                       const QString& pfxPassword) {
    Uploads out;
    const CertificateMaterial material = loadCertificateMaterial(item, &out.error);
    if (!out.error.isEmpty())
        return out;
    for (const SshFile& file : s.files) {
        QByteArray bytes;
        try {
            bytes = exportContent(file.format, material, pfxPassword, item.name);
        } catch (const crypto::CryptoError& e) {
            out.error = QStringLiteral("Cannot build the %1 file: %2")
                            .arg(file.format, QString::fromUtf8(e.what()));
            return out;
        }
        if (bytes.isEmpty()) {
            out.error = QStringLiteral("The certificate of '%1' has nothing to put in a %2 file "
                                       "(%3: the CA sent no intermediates, and no root is known)")
                            .arg(item.name, file.format, describeFormat(file.format));
            return out;
        }
        out.list.append({file, bytes, s.modeFor(file.format)});
    }
    return out;
}

// The login of the task's credential; nothing and *error when it cannot be used.
std::optional<ssh::Login> loginFor(const SshSettings& s, credentials::CredentialStore& store,
                                   QString* error) {
    const auto credential = store.find(s.credentialId);
    if (!credential) {
        *error = QStringLiteral("The SSH key credential '%1' does not exist; choose a stored "
                                "'SSH key' credential in the task")
                     .arg(s.credentialId);
        return std::nullopt;
    }
    if (credential->type != ssh_task::kCredentialType) {
        *error = QStringLiteral("The credential '%1' is a %2, not an SSH key; choose an 'SSH "
                                "key' credential")
                     .arg(credential->title, credential->type);
        return std::nullopt;
    }
    const QJsonObject values = store.values(s.credentialId);
    return ssh::Login{values.value(QStringLiteral("user")).toString(),
                      values.value(QStringLiteral("privateKey")).toString().toUtf8(),
                      values.value(QStringLiteral("passphrase")).toString().toUtf8()};
}
} // namespace

int SshSettings::modeFor(const QString& format) const {
    if (modeText.isEmpty())
        return exportFormatHoldsKey(format) ? 0600 : 0644;
    return parseFileMode(modeText).value_or(-1);
}

SshSettings SshSettings::of(const DeploymentTask& task) {
    SshSettings s;
    const int port = taskParameter(task, QStringLiteral("port")).toInt();
    if (const auto hosts = parseSshHosts(text(task, "hosts"), port, &s.problem))
        s.hosts = *hosts;
    QString filesProblem;
    if (const auto files =
            parseSshFiles(taskParameter(task, QStringLiteral("files")).toString(), &filesProblem))
        s.files = *files;
    if (s.problem.isEmpty())
        s.problem = filesProblem;
    s.credentialId = text(task, "credential");
    if (s.problem.isEmpty() && s.credentialId.isEmpty())
        s.problem = QStringLiteral("No SSH key is chosen; choose a stored 'SSH key' credential");
    s.owner = text(task, "owner");
    s.group = text(task, "group");
    s.modeText = text(task, "mode");
    if (s.problem.isEmpty() && !s.modeText.isEmpty() && !parseFileMode(s.modeText))
        s.problem = QStringLiteral("'%1' is not a file mode; use octal digits such as 0640")
                        .arg(s.modeText);
    s.command = text(task, "command");
    s.fingerprints = parseSshFingerprints(text(task, "hostKeyFingerprint")).value_or(QStringList());
    s.timeout = seconds(std::max(1, taskParameter(task, QStringLiteral("timeoutSeconds")).toInt()));
    s.commandTimeout =
        seconds(std::max(1, taskParameter(task, QStringLiteral("commandTimeoutSeconds")).toInt()));
    return s;
}

QString knownHostsPathIn(const QString& dataDir) {
    return QDir(dataDir).filePath(QStringLiteral("ssh_known_hosts"));
}

awaitable<TaskOutcome> deployOverSsh(const DeploymentTask& task, const RunContext& run,
                                     process::ProcessRunner& processes,
                                     credentials::CredentialStore& credentials,
                                     const QString& dataDir) {
    const SshSettings s = SshSettings::of(task);
    if (!s.problem.isEmpty())
        co_return TaskOutcome::failure(s.problem);
    QString error;
    const auto login = loginFor(s, credentials, &error);
    if (!login)
        co_return TaskOutcome::failure(error);
    QString password;
    const QString pfxCredential = run.item.requestConfig.pfxPasswordCredentialId;
    if (!pfxCredential.isEmpty() && credentials.find(pfxCredential))
        password = credentials.values(pfxCredential).value(QStringLiteral("password")).toString();
    auto prepare = [s, item = run.item, password] { return prepareUploads(s, item, password); };
    const Uploads uploads = co_await processes.offload(std::move(prepare));
    if (!uploads.error.isEmpty())
        co_return TaskOutcome::failure(uploads.error);

    const QString knownHosts = knownHostsPathIn(dataDir);
    QStringList summaries, log;
    int failed = 0;
    for (const SshHost& host : s.hosts) {
        auto work = [host, s, list = uploads.list, login = *login, knownHosts] {
            return deployToHost(host, s, list, login, knownHosts);
        };
        const HostRun r = co_await processes.offload(std::move(work));
        failed += r.ok ? 0 : 1;
        summaries << r.summary;
        log << r.log;
        if (!r.ok)
            log << r.summary;
    }
    TaskOutcome outcome;
    outcome.ok = failed == 0;
    outcome.message =
        (outcome.ok ? QStringLiteral("Copied over SSH to %1 host(s): ").arg(s.hosts.size())
                    : QStringLiteral("%1 of %2 host(s) failed: ").arg(failed).arg(s.hosts.size())) +
        summaries.join(QStringLiteral("; "));
    outcome.output = log.join(u'\n');
    co_return outcome;
}

void dryRunSsh(const DeploymentTask& task, const QString& dataDir, DryRun& run) {
    const SshSettings s = SshSettings::of(task);
    QStringList files;
    for (const SshFile& f : s.files)
        files << QStringLiteral("%1 (`%2`) to `%3`, mode `%4`")
                     .arg(describeFormat(f.format), f.format, f.path,
                          modeText(s.modeFor(f.format)));
    QStringList hosts;
    for (const SshHost& h : s.hosts)
        hosts << QStringLiteral("`%1`").arg(h.text());
    QString owner;
    if (!s.owner.isEmpty() || !s.group.isEmpty())
        owner = QStringLiteral(", owner `%1:%2`").arg(s.owner, s.group);
    run.description =
        QStringLiteral("Logs in to %1 over SSH with the key `%2`, and copies %3%4 over SFTP, "
                       "each file replaced atomically.")
            .arg(hosts.join(QStringLiteral(", ")), s.credentialId, files.join(QStringLiteral(", ")),
                 owner);
    if (!s.command.isEmpty())
        run.description += QStringLiteral(" Then runs `%1` there (time limit %2 s).")
                               .arg(s.command)
                               .arg(s.commandTimeout.count());
    if (!s.problem.isEmpty()) {
        run.findings.append({DryRunFinding::Severity::Error, s.problem});
        return;
    }
    const QString knownHosts = knownHostsPathIn(dataDir);
    QStringList keys;
    for (const SshHost& host : s.hosts) {
        const OpenedHost opened = openHost(host, s, nullptr, knownHosts, false,
                                           std::min(s.timeout, kPreviewConnectTimeout));
        if (opened.failedAt == Step::Done) {
            keys << QStringLiteral("`%1`: %2%3")
                        .arg(host.text(), opened.key.summary(),
                             opened.key.verdict == ssh::HostKeyCheck::Verdict::FirstUse
                                 ? QStringLiteral(" (it will be pinned at the first deployment)")
                                 : QString());
            continue;
        }
        run.findings.append({DryRunFinding::Severity::Error, opened.error});
        if (opened.failedAt == Step::HostKey && !opened.key.presented.fingerprint.isEmpty())
            keys << QStringLiteral("`%1`: %2").arg(host.text(), opened.key.summary());
    }
    if (!keys.isEmpty())
        run.description +=
            QStringLiteral("\n\nHost keys: ") + keys.join(QStringLiteral("; ")) + u'.';
}

namespace {
SshHostTest testHost(const SshHost& host, const SshSettings& s, const ssh::Login& login,
                     const QString& knownHostsPath) {
    SshHostTest t;
    t.host = host.text();
    OpenedHost opened = openHost(host, s, &login, knownHostsPath, false, s.timeout);
    switch (opened.failedAt) {
    case Step::Connect:
        t.message = opened.error;
        t.advice = QStringLiteral("Check the host name and port, and that sshd runs there and "
                                  "lets this machine in");
        return t;
    case Step::HostKey:
        t.message = opened.error;
        return t;
    case Step::Login:
        t.message = opened.error;
        t.advice = QStringLiteral("Add the public half of the credential's key to the user's "
                                  "~/.ssh/authorized_keys on %1")
                       .arg(host.text());
        return t;
    case Step::Files:
    case Step::Done:
        break;
    }
    ssh::SftpFiles sftp(*opened.connection);
    QString error;
    QStringList folders, problems;
    if (!sftp.open(&error))
        problems << error;
    for (const SshFile& f : s.files) {
        if (!problems.isEmpty())
            break;
        const QString folder = ssh::remoteFolderOf(f.path);
        if (folders.contains(folder))
            continue;
        if (const QString problem = sftp.targetProblem(f.path); !problem.isEmpty())
            problems << problem;
        else if (!sftp.probeWritable(folder, &error))
            problems << error;
        else
            folders << folder;
    }
    const QString pinning = opened.key.verdict == ssh::HostKeyCheck::Verdict::FirstUse
                                ? QStringLiteral("; it will be pinned at the first deployment")
                                : QString();
    t.ok = problems.isEmpty();
    if (!t.ok) {
        t.message = QStringLiteral("Logged in as '%1' (%2%3), but: %4")
                        .arg(login.user, opened.key.summary(), pinning,
                             problems.join(QStringLiteral("; ")));
        t.advice =
            QStringLiteral("Create the folders, or give '%1' write access there").arg(login.user);
        return t;
    }
    t.message =
        QStringLiteral("Logged in as '%1' (%2%3) and may write in %4. Nothing was "
                       "copied%5.")
            .arg(login.user, opened.key.summary(), pinning, folders.join(QStringLiteral(", ")),
                 s.command.isEmpty() ? QString()
                                     : QStringLiteral(" and '%1' was not run").arg(s.command));
    return t;
}
} // namespace

awaitable<QList<SshHostTest>> testSsh(const DeploymentTask& task, process::ProcessRunner& processes,
                                      credentials::CredentialStore& credentials,
                                      const QString& dataDir) {
    const SshSettings s = SshSettings::of(task);
    QString error = s.problem;
    std::optional<ssh::Login> login;
    if (error.isEmpty())
        login = loginFor(s, credentials, &error);
    if (!login)
        co_return QList<SshHostTest>{{QString(), false, error, QString()}};
    auto work = [s, login = *login, knownHosts = knownHostsPathIn(dataDir)] {
        QList<SshHostTest> tests;
        for (const SshHost& host : s.hosts)
            tests.append(testHost(host, s, login, knownHosts));
        return tests;
    };
    co_return co_await processes.offload(std::move(work));
}

} // namespace ck::deploy
