// Deployment over SSH end to end: Pebble issues the certificate, the ssh task copies it over SFTP
// to a real sshd (started by the test, tests/e2e/support/SshdProcess) into the folder a real nginx
// serves from, and runs nginx's reload there; openssl s_client confirms nginx presents it. Then
// the failures a user meets: a changed host key, a refused login, a folder that cannot be
// written. In each the task fails clearly, the request ends in Warning, and nginx keeps serving
// the certificate it had. Preview shows the plan and the host key; Test logs in and checks the
// folder without writing the certificate.

#include "IssuanceFixture.h"
#include "NginxTarget.h"
#include "PreviewSupport.h"
#include "SshdProcess.h"

#include <catch2/catch.hpp>

#include <QDeadlineTimer>
#include <QJsonArray>
#include <QThread>

using namespace ck::test;

namespace {
const QString kName = QStringLiteral("ssh.example.test");

QJsonObject sshTask(const SshdProcess& sshd, const NginxTarget& nginx, const QString& credential,
                    const QString& keyFile) {
    return {{"name", "Copy to the web server"},
            {"type", "ssh"},
            {"id", "ssh"},
            {"parameters", QJsonObject{{"hosts", sshd.hostAndPort()},
                                       {"credential", credential},
                                       {"files", QStringLiteral("pemfullnokey %1\npemkey %2")
                                                     .arg(nginx.chainFile(), keyFile)},
                                       {"command", nginx.reloadCommand()}}}};
}

// nginx reloads gracefully: the new certificate is served a moment after the command returns.
QString servedWithin(const NginxTarget& nginx, const QString& expected, int ms = 15000) {
    QDeadlineTimer deadline(ms);
    QString served = nginx.servedThumbprint(kName);
    while (served != expected && !deadline.hasExpired()) {
        QThread::msleep(200);
        served = nginx.servedThumbprint(kName);
    }
    return served;
}

void editTasks(const IssuanceFixture& f, const QString& id, const QJsonObject& task) {
    QJsonObject item = f.item(id);
    item.insert("postRequestTasks", QJsonArray{task});
    const auto saved = f.http->put("/api/managedcertificates/" + id.toStdString(), item);
    INFO(saved.body);
    REQUIRE(saved.status == 200);
}

// The request issued a new certificate but the ssh task failed: Warning, with `words` in the
// message, and nginx still serves `served`.
void requireDeployFailed(IssuanceFixture& f, const NginxTarget& nginx, const QString& id,
                         const QString& served, const QString& words) {
    const QJsonObject item = f.requestAndWait(id);
    const QString message = item.value("renewalFailureMessage").toString();
    INFO(message.toStdString() << "\n" << f.itemLog(id).toStdString());
    CHECK(item.value("lastRenewalStatus").toString() == QStringLiteral("Warning"));
    CHECK(message.startsWith(QStringLiteral("The certificate was issued, but deployment failed: "
                                            "'Copy to the web server': 1 of 1 host(s) failed")));
    CHECK(message.contains(words));
    CHECK(item.value("certificateThumbprint").toString() != served);
    QThread::msleep(500); // a reload that should not have happened would show by now
    CHECK(nginx.servedThumbprint(kName) == served);
}
} // namespace

TEST_CASE("Issued, copied over SSH where nginx reads it, reloaded there, and served",
          "[e2e][deploy][ssh]") {
    IssuanceFixture f;
    NginxTarget nginx;
    SshdProcess sshd;
    const bool started = sshd.start();
    INFO(sshd.errorString().toStdString());
    REQUIRE(started);
    const QString credential = f.createCredential(
        "ssh-key", {{"user", sshd.user()}, {"privateKey", QString::fromUtf8(sshd.clientKey())}});
    const QString placeholder = nginx.servedThumbprint(kName);
    const QString id = f.createItem(
        {kName}, {},
        {{"postRequestTasks", QJsonArray{sshTask(sshd, nginx, credential, nginx.keyFile())}}});
    const QString fingerprint = sshd.hostKeyFingerprint();
    // The key is in use: it cannot be deleted from under the task.
    CHECK(f.http->del("/api/credentials/" + credential.toStdString()).status == 409);
    // The credential's answer carries no secret.
    const std::string listed = f.http->get("/api/credentials").body;
    CHECK(listed.find("PRIVATE KEY") == std::string::npos);

    // Preview: the plan and the host key, not yet pinned.
    const QJsonArray steps = postAction(f, id, "preview").value("steps").toArray();
    const QJsonObject step = stepIn(steps, QStringLiteral("postRequestTasks.ssh"));
    INFO(pretty(step));
    CHECK(joined(step, "errors").isEmpty());
    const QString plan = step.value("description").toString();
    CHECK(plan.contains(QStringLiteral("Logs in to `%1` over SSH").arg(sshd.hostAndPort())));
    CHECK(plan.contains(QStringLiteral("Then runs `%1` there").arg(nginx.reloadCommand())));
    CHECK(plan.contains(
        QStringLiteral("host key %1 (ssh-ed25519), not pinned before").arg(fingerprint)));

    // Test: logs in and checks the folder; the certificate is not written, nginx not reloaded.
    const QByteArray keyBefore = IssuanceFixture::fileContents(nginx.keyFile());
    const QJsonObject report = postAction(f, id, "test");
    const QJsonObject check = checkIn(report, QStringLiteral("ssh.ssh.%1").arg(sshd.hostAndPort()));
    INFO(pretty(check));
    CHECK(check.value("ok").toBool());
    CHECK(check.value("message").toString().contains(QStringLiteral("may write in")));
    CHECK(IssuanceFixture::fileContents(nginx.keyFile()) == keyBefore);
    CHECK(nginx.servedThumbprint(kName) == placeholder);

    // The request: issued, copied, reloaded over SSH; openssl sees the new certificate.
    const QJsonObject item = requireIssued(f, f.requestAndWait(id));
    const QString thumbprint = item.value("certificateThumbprint").toString();
    const QString log = f.itemLog(id);
    INFO(log.toStdString());
    CHECK(item.value("lastRenewalStatus").toString() == QStringLiteral("Success"));
    CHECK(servedWithin(nginx, thumbprint) == thumbprint);
    CHECK(thumbprint != placeholder);
    CHECK(log.contains(QStringLiteral("host key %1 (ssh-ed25519), not pinned before; pinned now")
                           .arg(fingerprint)));
    CHECK(log.contains(
        QStringLiteral("2 file(s) replaced, '%1' exited with 0").arg(nginx.reloadCommand())));
    CHECK(IssuanceFixture::opensslVerify(f.pebbleRootFile, nginx.chainFile()).endsWith(": OK"));
    CHECK(nginx.filesInTlsFolder() == QStringList{"fullchain.pem", "key.pem"});

    SECTION("a renewal is copied and served again") {
        const QJsonObject renewed = requireIssued(f, f.requestAndWait(id));
        const QString next = renewed.value("certificateThumbprint").toString();
        CHECK(next != thumbprint);
        CHECK(servedWithin(nginx, next) == next);
    }
    SECTION("a changed host key: nothing copied, the old certificate still served") {
        REQUIRE(sshd.replaceHostKey());
        requireDeployFailed(
            f, nginx, id, thumbprint,
            QStringLiteral("The host key of %1 has changed: pinned %2, presented %3")
                .arg(sshd.hostAndPort(), fingerprint, sshd.hostKeyFingerprint()));
        // Preview says so too.
        const QJsonObject changed = stepIn(postAction(f, id, "preview").value("steps").toArray(),
                                           QStringLiteral("postRequestTasks.ssh"));
        CHECK(joined(changed, "errors").contains(QStringLiteral("has changed")));
    }
    SECTION("a key the host refuses: the old certificate still served") {
        const QString stranger = f.createCredential(
            "ssh-key",
            {{"user", sshd.user()}, {"privateKey", QString::fromUtf8(SshdProcess::strangerKey())}});
        editTasks(f, id, sshTask(sshd, nginx, stranger, nginx.keyFile()));
        const QJsonObject refused = postAction(f, id, "test");
        CHECK_FALSE(checkIn(refused, QStringLiteral("ssh.ssh.%1").arg(sshd.hostAndPort()))
                        .value("ok")
                        .toBool());
        requireDeployFailed(f, nginx, id, thumbprint,
                            QStringLiteral("The host refused the login of '%1' with the key "
                                           "SHA256:")
                                .arg(sshd.user()));
    }
    SECTION("a folder that cannot be written there: no file replaced, the old one served") {
        const QString missing = QStringLiteral("/nonexistent-certkeeper/key.pem");
        editTasks(f, id, sshTask(sshd, nginx, credential, missing));
        requireDeployFailed(f, nginx, id, thumbprint,
                            QStringLiteral("nothing was replaced: The folder "
                                           "/nonexistent-certkeeper does not exist there"));
        CHECK(nginx.filesInTlsFolder() == QStringList{"fullchain.pem", "key.pem"});
    }
}
