// Whole server tasks through the runner, against real servers started here: each writes the
// files its server reads (contents in the server's order, modes for the key), makes the server
// take them (HAProxy's runtime API; apache2 -k graceful, postfix reload, doveadm reload as the
// tests' own reload commands) and checks the served certificate (STARTTLS for SMTP and IMAP).
// A refused or missing HAProxy socket, a failing reload command and a server without STARTTLS
// fail the task with words saying so.

#include "DeployTestSupport.h"
#include "ServerPeers.h"
#include "deploy/TaskDryRun.h"

#include <QJsonObject>

#include <grp.h>
#include <sys/stat.h>

using namespace ck;
using namespace ck::deploy;
using namespace ck::test;

namespace {
template <typename Peer> void requireStarted(Peer& peer) {
    const bool started = peer.start();
    INFO(peer.errorString().toStdString());
    REQUIRE(started);
}

QString served(int port, const QString& starttls = {}) {
    QString why;
    const QString thumbprint = presentedThumbprint(port, starttls, {}, &why);
    INFO(why.toStdString());
    REQUIRE(!thumbprint.isEmpty());
    return thumbprint;
}

struct stat statOf(const QString& path) {
    struct stat st {};
    REQUIRE(::stat(QFile::encodeName(path).constData(), &st) == 0);
    return st;
}

int modeOf(const QString& path) {
    return int(statOf(path).st_mode & 07777);
}

QJsonObject check(int port, const char* protocol = "auto") {
    return {{"checkHost", "127.0.0.1"},
            {"checkPort", port},
            {"checkProtocol", protocol},
            {"checkWaitSeconds", 10}};
}

QJsonObject merged(QJsonObject a, const QJsonObject& b) {
    for (auto it = b.begin(); it != b.end(); ++it)
        a.insert(it.key(), it.value());
    return a;
}

TaskRunResult runOne(RunnerFixture& f, const DeploymentTask& task, const IssuedItem& issued) {
    const QList<TaskRunResult> results = f.run({task}, postRequest(issued.item));
    REQUIRE(results.size() == 1);
    INFO(results[0].message.toStdString());
    INFO(f.logText().toStdString());
    return results[0];
}
} // namespace

TEST_CASE("haproxy: the combined PEM written 0600 and served at once, without a restart",
          "[deploy][servers]") {
    IssuedItem issued;
    RunnerFixture f;
    HaproxyPeer haproxy;
    requireStarted(haproxy);
    const qint64 pid = haproxy.pid();
    const QString before = served(haproxy.tlsPort());
    const QJsonObject files{{"certificateFile", haproxy.pemFile()}};

    SECTION("through the stats socket") {
        const TaskRunResult r =
            runOne(f,
                   makeTask(QStringLiteral("haproxy"),
                            merged(merged(files, {{"statsSocket", haproxy.socketPath()}}),
                                   check(haproxy.tlsPort()))),
                   issued);
        CHECK(r.status == TaskRunStatus::Success);
        CHECK(r.message.contains(QStringLiteral("presents the new certificate")));
        CHECK(served(haproxy.tlsPort()) == issued.item.certificateThumbprint);
        CHECK(haproxy.pid() == pid);
        CHECK(modeOf(haproxy.pemFile()) == 0600);
        CHECK(certificateSubjects(haproxy.pemFile()) ==
              certificateSubjects(issued.path(QStringLiteral("fullchain.pem"))));
        CHECK(readAll(haproxy.pemFile()).endsWith(issued.chain.leafKeyPem));
    }
    SECTION("a socket that is not there: the task fails, the old certificate is still served") {
        const QString missing = haproxy.path(QStringLiteral("gone.sock"));
        const TaskRunResult r = runOne(
            f, makeTask(QStringLiteral("haproxy"), merged(files, {{"statsSocket", missing}})),
            issued);
        CHECK(r.status == TaskRunStatus::Failed);
        CHECK(r.message.contains(
            QStringLiteral("cannot connect to HAProxy's stats socket %1").arg(missing)));
        CHECK(served(haproxy.tlsPort()) == before);
    }
    SECTION("no socket: the reload command runs, and its failure is the task's, with output") {
        const TaskRunResult r = runOne(
            f,
            makeTask(QStringLiteral("haproxy"),
                     merged(files, {{"reloadCommand", "sh -c 'echo config has errors; exit 3'"}})),
            issued);
        CHECK(r.status == TaskRunStatus::Failed);
        CHECK(r.message.contains(QStringLiteral("exited with code 3")));
        CHECK(r.message.contains(QStringLiteral("config has errors")));
        CHECK(served(haproxy.tlsPort()) == before);
    }
}

TEST_CASE("apache: certificate, chain and key files, a graceful reload, the check over TLS",
          "[deploy][servers]") {
    IssuedItem issued;
    RunnerFixture f;
    ApachePeer apache;
    requireStarted(apache);
    const QString chainFile = apache.path(QStringLiteral("tls/chain.pem"));
    const QJsonObject parameters{{"certificateFile", apache.certificateFile()},
                                 {"keyFile", apache.keyFile()},
                                 {"chainFile", chainFile},
                                 {"reloadCommand", apache.reloadCommandLine()}};
    const TaskRunResult r = runOne(
        f, makeTask(QStringLiteral("apache"), merged(parameters, check(apache.tlsPort()))), issued);
    CHECK(r.status == TaskRunStatus::Success);
    CHECK(served(apache.tlsPort()) == issued.item.certificateThumbprint);
    CHECK(modeOf(apache.keyFile()) == 0600);
    CHECK(modeOf(apache.certificateFile()) == 0644);
    CHECK(readAll(apache.keyFile()) == issued.chain.leafKeyPem);
    CHECK(readAll(apache.certificateFile()) == issued.chain.leafPem + issued.chain.intermediatePem);
    CHECK(readAll(chainFile) == issued.chain.intermediatePem);

    SECTION("a reload command that fails fails the task with its output") {
        QJsonObject failing = parameters;
        failing.insert("reloadCommand", apache.reloadCommandLine().replace(
                                            QStringLiteral("graceful"), QStringLiteral("bogus")));
        const TaskRunResult bad = runOne(f, makeTask(QStringLiteral("apache"), failing), issued);
        CHECK(bad.status == TaskRunStatus::Failed);
        CHECK(bad.message.contains(QStringLiteral("exited with code")));
        CHECK(bad.message.contains(QStringLiteral("its last output:")));
    }
}

TEST_CASE("postfix: smtpd_tls_chain_files written key first, postfix reload, the check over "
          "SMTP STARTTLS",
          "[deploy][servers]") {
    IssuedItem issued;
    RunnerFixture f;
    PostfixPeer postfix;
    requireStarted(postfix);
    const QJsonObject parameters{{"chainFilesFile", postfix.chainFile()},
                                 {"reloadCommand", postfix.reloadCommandLine()}};
    const TaskRunResult r =
        runOne(f,
               makeTask(QStringLiteral("postfix"),
                        merged(parameters, check(postfix.smtpPort(), "smtp-starttls"))),
               issued);
    CHECK(r.status == TaskRunStatus::Success);
    CHECK(r.message.contains(QStringLiteral("(SMTP STARTTLS) presents the new certificate")));
    CHECK(served(postfix.smtpPort(), QStringLiteral("smtp")) == issued.item.certificateThumbprint);
    CHECK(modeOf(postfix.chainFile()) == 0600);
    CHECK(readAll(postfix.chainFile()) ==
          issued.chain.leafKeyPem + issued.chain.leafPem + issued.chain.intermediatePem);
}

TEST_CASE("postfix without STARTTLS: the check fails at once and says so", "[deploy][servers]") {
    IssuedItem issued;
    RunnerFixture f;
    PostfixPeer postfix(false);
    requireStarted(postfix);
    QJsonObject parameters = merged(
        {{"chainFilesFile", postfix.chainFile()}, {"reloadCommand", postfix.reloadCommandLine()}},
        check(postfix.smtpPort(), "smtp-starttls"));
    parameters.insert("checkWaitSeconds", 60);
    const TaskRunResult r = runOne(f, makeTask(QStringLiteral("postfix"), parameters), issued);
    CHECK(r.status == TaskRunStatus::Failed);
    CHECK(r.message.contains(QStringLiteral("the server at 127.0.0.1:%1 does not offer STARTTLS")
                                 .arg(postfix.smtpPort())));
    CHECK(r.durationMs < 30000); // not the whole wait: it will not start offering it
}

TEST_CASE("dovecot: certificate and key for ssl_cert/ssl_key, doveadm reload, the check over "
          "IMAP STARTTLS and IMAPS",
          "[deploy][servers]") {
    IssuedItem issued;
    RunnerFixture f;
    DovecotPeer dovecot;
    requireStarted(dovecot);
    const QJsonObject parameters{{"certificateFile", dovecot.certificateFile()},
                                 {"keyFile", dovecot.keyFile()},
                                 {"group", "nogroup"},
                                 {"reloadCommand", dovecot.reloadCommandLine()}};
    const TaskRunResult r =
        runOne(f,
               makeTask(QStringLiteral("dovecot"),
                        merged(parameters, check(dovecot.imapPort(), "imap-starttls"))),
               issued);
    CHECK(r.status == TaskRunStatus::Success);
    CHECK(served(dovecot.imapPort(), QStringLiteral("imap")) == issued.item.certificateThumbprint);
    CHECK(served(dovecot.imapsPort()) == issued.item.certificateThumbprint);
    CHECK(modeOf(dovecot.keyFile()) == 0640);
    const group* nogroup = ::getgrnam("nogroup");
    REQUIRE(nogroup);
    CHECK(statOf(dovecot.keyFile()).st_gid == nogroup->gr_gid);
    CHECK(readAll(dovecot.certificateFile()) ==
          issued.chain.leafPem + issued.chain.intermediatePem);
}

TEST_CASE("Preview's dry run of server tasks: what would be written, run and checked, and what "
          "stops it",
          "[deploy][servers][dryrun]") {
    IssuedItem issued;
    HaproxyPeer haproxy;
    requireStarted(haproxy);
    auto findings = [](const DryRun& run, DryRunFinding::Severity severity) {
        QStringList out;
        for (const auto& finding : run.findings)
            if (finding.severity == severity)
                out.append(finding.message);
        return out;
    };
    using Severity = DryRunFinding::Severity;
    const QJsonObject good =
        merged({{"certificateFile", haproxy.pemFile()}, {"statsSocket", haproxy.socketPath()}},
               check(haproxy.tlsPort()));
    const DryRun fine =
        dryRunBlocking(makeTask(QStringLiteral("haproxy"), good), issued.item, issued.dataDir());
    INFO(fine.description.toStdString());
    CHECK(fine.findings.isEmpty());
    CHECK(fine.description.contains(QStringLiteral("the certificate, intermediates and key to `%1` "
                                                   "(mode `0600`)")
                                        .arg(haproxy.pemFile())));
    CHECK(
        fine.description.contains(QStringLiteral("runtime API on `%1`").arg(haproxy.socketPath())));

    // A crt HAProxy does not load, a socket that is not there, a server that does not answer.
    const DryRun other = dryRunBlocking(
        makeTask(QStringLiteral("haproxy"),
                 merged(good, {{"certificateFile", haproxy.path(QStringLiteral("certs/x.pem"))}})),
        issued.item, issued.dataDir());
    CHECK(findings(other, Severity::Warning)
              .join(u'\n')
              .contains(QStringLiteral("HAProxy does not list %1")
                            .arg(haproxy.path(QStringLiteral("certs/x.pem")))));
    haproxy.stop();
    const DryRun stopped =
        dryRunBlocking(makeTask(QStringLiteral("haproxy"), good), issued.item, issued.dataDir());
    const QString errors = findings(stopped, Severity::Error).join(u'\n');
    CHECK(errors.contains(QStringLiteral("cannot connect to HAProxy's stats socket")));
    CHECK(errors.contains(QStringLiteral("The server to check is not reachable now")));

    // A reload program that is not there, and a destination folder that is not either.
    const DryRun dovecot =
        dryRunBlocking(makeTask(QStringLiteral("dovecot"),
                                {{"certificateFile", issued.path(QStringLiteral("none/cert.pem"))},
                                 {"keyFile", issued.path(QStringLiteral("key-out.pem"))},
                                 {"reloadCommand", "/nonexistent/doveadm reload"}}),
                       issued.item, issued.dataDir());
    const QString dovecotErrors = findings(dovecot, Severity::Error).join(u'\n');
    CHECK(dovecotErrors.contains(QStringLiteral("does not exist")));
    CHECK(dovecotErrors.contains(QStringLiteral("/nonexistent/doveadm")));
    CHECK(dovecot.description.contains(QStringLiteral("The served certificate is not checked.")));
}
