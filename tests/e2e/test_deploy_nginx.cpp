// Deployment end to end: Pebble issues the certificate, the post-request tasks export it where a
// real nginx reads it (owner, group and mode as configured), reload nginx, and check over TLS that
// nginx presents the new certificate. openssl s_client, an independent client, confirms it; a
// renewal replaces it again; certkeeper-cli deploy runs a task by hand and reports a failure.

#include "IssuanceFixture.h"
#include "ManagedProcess.h"
#include "WebServer.h"

#include <catch2/catch.hpp>

#include <QDir>
#include <QJsonArray>

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>

using namespace ck::test;

namespace {
QString openssl() {
    return findProgram(QStringLiteral("openssl"));
}

// The SHA-256 thumbprint (uppercase hex) of the certificate nginx presents for `name`.
QString servedThumbprint(int port, const QString& name) {
    const ToolResult hello = runTool(
        openssl(),
        {"s_client", "-connect", QStringLiteral("127.0.0.1:%1").arg(port), "-servername", name}, {},
        15000);
    const ToolResult fingerprint =
        runTool(openssl(), {"x509", "-noout", "-fingerprint", "-sha256"}, hello.stdOut);
    INFO(hello.describe().toStdString() << fingerprint.describe().toStdString());
    REQUIRE(fingerprint.ok());
    return QString::fromLatin1(fingerprint.stdOut).section(u'=', 1).trimmed().remove(u':');
}

struct stat statOf(const QString& path) {
    struct stat st {};
    REQUIRE(::stat(QFile::encodeName(path).constData(), &st) == 0);
    return st;
}

ToolResult cli(const IssuanceFixture& f, const QStringList& args) {
    return runTool(QStringLiteral(CERTKEEPER_CLI_BIN),
                   QStringList{QStringLiteral("--data-dir"), f.dataDir.path()} + args, {}, 120000);
}
} // namespace

TEST_CASE("Issued, exported with owner and mode, nginx reloaded and serving the new certificate",
          "[e2e][deploy]") {
    IssuanceFixture f;
    QTemporaryDir site;
    const QString tls = site.filePath(QStringLiteral("tls"));
    REQUIRE(QDir().mkpath(tls));
    const QString chainFile = tls + QStringLiteral("/fullchain.pem");
    const QString keyFile = tls + QStringLiteral("/key.pem");
    // Until the first issuance nginx serves a placeholder, as a fresh server would.
    const ToolResult placeholder =
        runTool(openssl(),
                {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                 "-subj", "/CN=placeholder", "-days", "1", "-keyout", keyFile, "-out", chainFile});
    REQUIRE(placeholder.ok());
    const auto ports = freeLoopbackPorts(2);
    WebServer nginx(site.path(), ports[0]);
    nginx.enableTls(ports[1], chainFile, keyFile);
    const bool started = nginx.start();
    INFO(nginx.errorString().toStdString());
    REQUIRE(started);
    const QString name = QStringLiteral("www.example.test");
    const QString before = servedThumbprint(ports[1], name);

    const QJsonArray tasks{
        QJsonObject{{"name", "Chain for nginx"},
                    {"type", "export"},
                    {"parameters", QJsonObject{{"format", "pemfullnokey"},
                                               {"path", chainFile},
                                               {"owner", "nobody"},
                                               {"group", "nogroup"},
                                               {"mode", "0644"}}}},
        QJsonObject{{"name", "Key for nginx"},
                    {"type", "export"},
                    {"parameters", QJsonObject{{"format", "pemkey"},
                                               {"path", keyFile},
                                               {"group", "nogroup"},
                                               {"mode", "0640"}}}},
        QJsonObject{{"name", "Reload nginx"},
                    {"type", "reload"},
                    {"id", "reload"},
                    {"parameters", QJsonObject{{"command", nginx.reloadCommandLine()},
                                               {"checkHost", "127.0.0.1"},
                                               {"checkPort", ports[1]},
                                               {"checkServerName", name},
                                               {"checkWaitSeconds", 20}}}}};
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
    CHECK(QDir(tls).entryList(QDir::Files) == QStringList{"fullchain.pem", "key.pem"});

    // nginx serves the new certificate: the reload task checked it, and so does openssl.
    CHECK(log.contains(
        QStringLiteral("Reloaded; 127.0.0.1:%1 presents the new certificate").arg(ports[1])));
    CHECK(servedThumbprint(ports[1], name) == thumbprint);
    CHECK(thumbprint != before);
    CHECK(log.indexOf(QStringLiteral("Task 'Chain for nginx'")) <
          log.indexOf(QStringLiteral("Task 'Reload nginx'")));

    SECTION("a renewal replaces the served certificate again") {
        const QJsonObject renewed = requireIssued(f, f.requestAndWait(id));
        const QString next = renewed.value("certificateThumbprint").toString();
        CHECK(next != thumbprint);
        CHECK(servedThumbprint(ports[1], name) == next);
    }
    SECTION("certkeeper-cli deploy runs a task by hand, and exits 8 when it fails") {
        const ToolResult ran = cli(f, {"deploy", id, "reload"});
        INFO(ran.describe().toStdString());
        CHECK(ran.exitCode == 0);
        CHECK(QString::fromUtf8(ran.stdOut).contains(QStringLiteral("success")));

        nginx.stop(); // the service it reloads is gone
        const ToolResult failed = cli(f, {"deploy", id, "reload"});
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
