// Deployment end to end: Pebble issues the certificate, the post-request tasks export it where a
// real nginx reads it (owner, group and mode as configured), reload nginx, and check over TLS that
// nginx presents the new certificate. openssl s_client, an independent client, confirms it; a
// renewal replaces it again; certkeeper-cli deploy runs a task by hand and reports a failure.

#include "CliRun.h"
#include "IssuanceFixture.h"
#include "NginxTarget.h"

#include <catch2/catch.hpp>

#include <QDir>
#include <QJsonArray>

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>

using namespace ck::test;

namespace {
struct stat statOf(const QString& path) {
    struct stat st {};
    REQUIRE(::stat(QFile::encodeName(path).constData(), &st) == 0);
    return st;
}
} // namespace

TEST_CASE("Issued, exported with owner and mode, nginx reloaded and serving the new certificate",
          "[e2e][deploy]") {
    IssuanceFixture f;
    NginxTarget nginx;
    const QString chainFile = nginx.chainFile();
    const QString keyFile = nginx.keyFile();
    const QString name = QStringLiteral("www.example.test");
    const QString before = nginx.servedThumbprint(name);

    ExportOwnership files;
    files.owner = QStringLiteral("nobody");
    files.group = QStringLiteral("nogroup");
    const QJsonArray tasks = nginx.deploymentTasks(name, files);
    const QString id = f.createItem({name}, {}, {{"postRequestTasks", tasks}});
    const QJsonObject item = requireIssued(f, f.requestAndWait(id));
    const QString thumbprint = item.value("certificateThumbprint").toString();
    const QString log = f.itemLog(id);
    INFO(log.toStdString());

    // The export landed with its owner and mode, and is the issued chain.
    const passwd* nobody = ::getpwnam("nobody");
    const group* nogroup = ::getgrnam("nogroup");
    REQUIRE(nobody);
    REQUIRE(nogroup);
    CHECK(statOf(chainFile).st_uid == nobody->pw_uid);
    CHECK(statOf(chainFile).st_gid == nogroup->gr_gid);
    CHECK((statOf(chainFile).st_mode & 07777) == 0644);
    CHECK(statOf(keyFile).st_gid == nogroup->gr_gid);
    CHECK((statOf(keyFile).st_mode & 07777) == 0640);
    CHECK(IssuanceFixture::opensslVerify(f.pebbleRootFile, chainFile).endsWith(": OK"));
    CHECK(nginx.filesInTlsFolder() == QStringList{"fullchain.pem", "key.pem"});

    // nginx serves the new certificate: the reload task checked it, and so does openssl.
    CHECK(log.contains(nginx.reloadCheckedLine()));
    CHECK(nginx.servedThumbprint(name) == thumbprint);
    CHECK(thumbprint != before);
    CHECK(log.indexOf(QStringLiteral("Task 'Chain for nginx'")) <
          log.indexOf(QStringLiteral("Task 'Reload nginx'")));

    SECTION("a renewal replaces the served certificate again") {
        const QJsonObject renewed = requireIssued(f, f.requestAndWait(id));
        const QString next = renewed.value("certificateThumbprint").toString();
        CHECK(next != thumbprint);
        CHECK(nginx.servedThumbprint(name) == next);
    }
    SECTION("certkeeper-cli deploy runs a task by hand, and exits 8 when it fails") {
        const ToolResult ran = runCli(f, {"deploy", id, "reload"});
        INFO(ran.describe().toStdString());
        CHECK(ran.exitCode == 0);
        CHECK(QString::fromUtf8(ran.stdOut).contains(QStringLiteral("success")));

        nginx.stop(); // the service it reloads is gone
        const ToolResult failed = runCli(f, {"deploy", id, "reload"});
        INFO(failed.describe().toStdString());
        CHECK(failed.exitCode == 8);
        CHECK(QString::fromUtf8(failed.stdOut).contains(QStringLiteral("failed")));
        CHECK(f.itemLog(id).contains(QStringLiteral("Task 'Reload nginx' (reload) failed")));
    }
}

TEST_CASE("A deployment that fails after issuance leaves a good certificate and a Warning",
          "[e2e][deploy]") {
    IssuanceFixture f;
    QTemporaryDir dir;
    const QJsonArray tasks{QJsonObject{
        {"name", "Copy to the web server"},
        {"type", "export"},
        {"parameters", QJsonObject{{"path", dir.filePath(QStringLiteral("missing/cert.pem"))}}}}};
    const QString id =
        f.createItem({QStringLiteral("warn.example.test")}, {}, {{"postRequestTasks", tasks}});
    const QJsonObject item = f.requestAndWait(id);
    CHECK(item.value("lastRenewalStatus").toString() == QStringLiteral("Warning"));
    CHECK(item.value("renewalFailureCount").toInt() == 0);
    CHECK(item.value("renewalFailureMessage")
              .toString()
              .startsWith(QStringLiteral("The certificate was issued, but deployment failed: "
                                         "'Copy to the web server': The folder ")));
    CHECK(IssuanceFixture::opensslVerify(f.pebbleRootFile,
                                         item.value("certificateFullChainPath").toString())
              .endsWith(": OK"));
    CHECK(f.http->get("/api/managedcertificates?status=Warning").json()["total"].toInt() == 1);
}
