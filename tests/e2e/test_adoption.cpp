// Adopting certificates made by other ACME clients, end to end: Debian's real certbot (standalone
// and webroot, the webroot served by nginx) and lego request certificates from Pebble; the real
// service reads their folders (POST /api/adoption/plan, /apply), and the tests check the items,
// the imported account, the tasks' paths, and that a renewal through Certkeeper writes the new
// certificate where the old tool's users read it.

#include "AdoptionTools.h"
#include "CliRun.h"
#include "WebServer.h"

#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>

using namespace ck::test;

namespace {

std::string str(const QString& s) {
    return s.toStdString();
}

QJsonObject adoption(IssuanceFixture& f, const char* step, const QString& tool,
                     const QString& path) {
    const auto answer = f.http->post(std::string("/api/adoption/") + step,
                                     QJsonObject{{"tool", tool}, {"path", path}});
    INFO(answer.body);
    REQUIRE(answer.status == 200);
    return answer.json();
}

QJsonObject rowOf(const QJsonObject& plan, const QString& lineage) {
    for (const auto& row : plan.value("rows").toArray())
        if (row.toObject().value("lineage").toString() == lineage)
            return row.toObject();
    FAIL("no row for " << str(lineage) << " in " << QJsonDocument(plan).toJson().toStdString());
    return {};
}

QStringList taskPaths(const QJsonObject& item) {
    QStringList paths;
    for (const auto& t : item.value("postRequestTasks").toArray())
        paths << t.toObject().value("parameters").toObject().value("path").toString();
    return paths;
}

int itemCount(const IssuanceFixture& f) {
    return f.http->get("/api/managedcertificates").json().value("total").toInt();
}

} // namespace

TEST_CASE("certbot's lineages are adopted with their account, and a renewal writes live/",
          "[e2e][adopt]") {
    IssuanceFixture f(adoptionOptions());
    QTemporaryDir work;
    const QString config = work.filePath(QStringLiteral("letsencrypt"));
    const QString webroot = work.filePath(QStringLiteral("www"));
    QDir().mkpath(webroot);
    runCertbot(
        f, config,
        {QStringLiteral("standalone.example.test"), QStringLiteral("www.standalone.example.test")});
    WebServer nginx(webroot, f.pebble->httpPort());
    REQUIRE(nginx.start());
    runCertbot(f, config, {QStringLiteral("webroot.example.test")}, webroot, QStringLiteral("rsa"));
    const QString live = config + QStringLiteral("/live/");

    // The plan: both lineages, the account certbot registered to be imported; nothing created.
    const QJsonObject plan = adoption(f, "plan", QStringLiteral("certbot"), config);
    INFO(QJsonDocument(plan).toJson().toStdString());
    CHECK_FALSE(plan.value("applied").toBool());
    CHECK(plan.value("adopted").toInt() == 2);
    const QJsonObject standalone = rowOf(plan, QStringLiteral("standalone.example.test"));
    CHECK(standalone.value("status").toString() == "adoptable");
    CHECK(standalone.value("caId").toString() == "pebble");
    CHECK(standalone.value("keyType").toString() == "ecdsa-p256");
    CHECK(standalone.value("account").toString().contains("certbot's account"));
    CHECK(standalone.value("challenge").toString().contains("listener"));
    const QJsonObject viaWebroot = rowOf(plan, QStringLiteral("webroot.example.test"));
    CHECK(viaWebroot.value("keyType").toString() == "rsa2048");
    CHECK(viaWebroot.value("challenge").toString().contains(webroot));
    CHECK(itemCount(f) == 0);
    CHECK(f.http->get("/api/accounts").json().value("items").toArray().isEmpty());

    // Applied: two items, the current certificates as their first issuance, the account.
    const QJsonObject applied = adoption(f, "apply", QStringLiteral("certbot"), config);
    INFO(QJsonDocument(applied).toJson().toStdString());
    REQUIRE(applied.value("adopted").toInt() == 2);
    CHECK(applied.value("refused").toInt() == 0);
    const QJsonArray accounts = f.http->get("/api/accounts").json().value("items").toArray();
    REQUIRE(accounts.size() == 1);
    const QString regr = [&] {
        QStringList found;
        for (QDirIterator it(config + QStringLiteral("/accounts"), {QStringLiteral("regr.json")},
                             QDir::Files, QDirIterator::Subdirectories);
             it.hasNext();)
            found << it.next();
        REQUIRE(found.size() == 1);
        return QString::fromUtf8(IssuanceFixture::fileContents(found.first()));
    }();
    CHECK(accounts[0].toObject().value("accountUrl").toString() ==
          QJsonDocument::fromJson(regr.toUtf8()).object().value("uri").toString());
    CHECK(accounts[0].toObject().value("certificateAuthorityId").toString() == "pebble");

    const QString id =
        rowOf(applied, QStringLiteral("standalone.example.test")).value("itemId").toString();
    const QString webrootId =
        rowOf(applied, QStringLiteral("webroot.example.test")).value("itemId").toString();
    const QJsonObject item = f.item(id);
    CHECK(item.value("certificateThumbprint").toString() ==
          thumbprintOf(live + QStringLiteral("standalone.example.test/cert.pem")));
    CHECK(item.value("lastRenewalStatus").toString() == "Success");
    CHECK_FALSE(item.value("dateExpiry").toString().isEmpty());
    CHECK(publicKeyOf(item.value("certificateKeyPath").toString(), false) ==
          publicKeyOf(live + QStringLiteral("standalone.example.test/cert.pem"), true));
    CHECK(
        item.value("certificateKeyPath").toString().startsWith(f.dataDir.path() + "/assets/" + id));
    CHECK(taskPaths(item) == QStringList({live + "standalone.example.test/fullchain.pem",
                                          live + "standalone.example.test/privkey.pem",
                                          live + "standalone.example.test/cert.pem",
                                          live + "standalone.example.test/chain.pem"}));
    const QJsonArray names =
        item.value("requestConfig").toObject().value("subjectAlternativeNames").toArray();
    CHECK(names.size() == 2);
    const QJsonObject webrootItem = f.item(webrootId);
    CHECK(webrootItem.value("requestConfig")
              .toObject()
              .value("challenges")
              .toArray()[0]
              .toObject()
              .value("webrootPath")
              .toString() == webroot);
    CHECK(f.itemLog(id).contains("Adopted from standalone.example.test"));

    // Adopted once only: the plan now refuses both, saying as what.
    const QJsonObject again = adoption(f, "plan", QStringLiteral("certbot"), config);
    CHECK(again.value("adopted").toInt() == 0);
    CHECK(rowOf(again, QStringLiteral("standalone.example.test"))
              .value("reason")
              .toString()
              .contains("Already adopted"));
    CHECK(itemCount(f) == 2);

    // Renewed by Certkeeper with the imported account (webroot while nginx serves it, then the
    // service's own listener): the new certificate is written to live/<name>/ as files.
    const QJsonObject renewedWebroot = requireIssued(f, f.requestAndWait(webrootId));
    CHECK(renewedWebroot.value("certificateThumbprint") !=
          webrootItem.value("certificateThumbprint"));
    CHECK(thumbprintOf(live + QStringLiteral("webroot.example.test/fullchain.pem")) ==
          renewedWebroot.value("certificateThumbprint").toString());
    nginx.stop();
    const QJsonObject renewed = requireIssued(f, f.requestAndWait(id));
    CHECK(renewed.value("certificateThumbprint") != item.value("certificateThumbprint"));
    const QString dir = live + QStringLiteral("standalone.example.test/");
    for (const char* file : {"fullchain.pem", "privkey.pem", "cert.pem", "chain.pem"}) {
        INFO(file);
        CHECK_FALSE(QFileInfo(dir + file).isSymLink());
    }
    CHECK(thumbprintOf(dir + "cert.pem") == renewed.value("certificateThumbprint").toString());
    CHECK(thumbprintOf(dir + "fullchain.pem") == renewed.value("certificateThumbprint").toString());
    CHECK(pemBlocks(dir + "fullchain.pem") == 2);
    CHECK(pemBlocks(dir + "chain.pem") == 1);
    CHECK(publicKeyOf(dir + "privkey.pem", false) == publicKeyOf(dir + "cert.pem", true));
    CHECK(IssuanceFixture::opensslVerify(f.pebbleRootFile, dir + "fullchain.pem").endsWith(": OK"));
}

TEST_CASE("lego's certificates are adopted by the CLI, and a renewal writes certificates/",
          "[e2e][adopt]") {
    IssuanceFixture f(adoptionOptions());
    QTemporaryDir work;
    const QString path = work.filePath(QStringLiteral("lego"));
    runLego(f, path,
            {QStringLiteral("lego.example.test"), QStringLiteral("www.lego.example.test")});

    const ToolResult dry = runCli(
        f, {QStringLiteral("adopt"), QStringLiteral("lego"), path, QStringLiteral("--dry-run")});
    INFO(dry.stdOut.toStdString() << dry.stdErr.toStdString());
    CHECK(dry.exitCode == 0);
    CHECK(dry.stdOut.contains("lego.example.test: would be adopted"));
    CHECK(dry.stdOut.contains("lego's account"));
    CHECK(itemCount(f) == 0);

    const ToolResult done = runCli(f, {QStringLiteral("adopt"), QStringLiteral("lego"), path,
                                       QStringLiteral("--yes"), QStringLiteral("--json")});
    INFO(done.stdOut.toStdString() << done.stdErr.toStdString());
    REQUIRE(done.exitCode == 0);
    const QJsonObject plan = QJsonDocument::fromJson(done.stdOut).object();
    const QJsonObject row = rowOf(plan, QStringLiteral("lego.example.test"));
    REQUIRE(row.value("status").toString() == "adopted");
    const QString id = row.value("itemId").toString();
    const QJsonArray accounts = f.http->get("/api/accounts").json().value("items").toArray();
    REQUIRE(accounts.size() == 1);
    CHECK(accounts[0].toObject().value("email").toString() == "lego@example.test");

    const QString certs = path + QStringLiteral("/certificates/lego.example.test");
    const QJsonObject item = f.item(id);
    CHECK(item.value("certificateThumbprint").toString() == thumbprintOf(certs + ".crt"));
    CHECK(taskPaths(item) == QStringList({certs + ".crt", certs + ".key", certs + ".issuer.crt"}));

    const QJsonObject renewed = requireIssued(f, f.requestAndWait(id));
    CHECK(renewed.value("certificateThumbprint") != item.value("certificateThumbprint"));
    CHECK(thumbprintOf(certs + ".crt") == renewed.value("certificateThumbprint").toString());
    CHECK(pemBlocks(certs + ".crt") == 2);
    CHECK(pemBlocks(certs + ".issuer.crt") == 1);
    CHECK(publicKeyOf(certs + ".key", false) == publicKeyOf(certs + ".crt", true));
}
