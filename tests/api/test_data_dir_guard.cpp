// Paths a user configures never lead into the service's data directory: an export destination or
// a webroot there (named outright or through a symbolic link) is refused when the item is saved,
// naming the field; a link made after the save is flagged by Preview and refused by Deploy; and
// webroots are absolute, plain paths.

#include "ApiFixture.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

using namespace ck::test;

namespace {
std::string itemPath(const QString& id) {
    return "/api/managedcertificates/" + id.toStdString();
}

QJsonObject exportingItem(const QString& destination) {
    return {
        {"name", "Shop"},
        {"requestConfig", QJsonObject{{"subjectAlternativeNames", QJsonArray{"shop.example.com"}}}},
        {"postRequestTasks",
         QJsonArray{QJsonObject{
             {"type", "export"},
             {"id", "pem"},
             {"parameters", QJsonObject{{"format", "pemkey"}, {"path", destination}}}}}}};
}

QJsonObject webrootItem(const QString& webroot) {
    return {{"name", "Site"},
            {"requestConfig",
             QJsonObject{{"subjectAlternativeNames", QJsonArray{"site.example.com"}},
                         {"challenges", QJsonArray{QJsonObject{{"type", "http-01"},
                                                               {"provider", "webroot"},
                                                               {"webrootPath", webroot}}}}}}};
}

// The detail the refusal gives for `field`, or empty when that field is not named.
QString detailFor(const RawResponse& r, const QString& field) {
    for (const QJsonValue e : r.json()["errors"].toArray())
        if (e["field"].toString() == field)
            return e["detail"].toString();
    return {};
}

QByteArray contentOf(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Every error message anywhere in the preview tree.
void collectErrors(const QJsonArray& steps, QStringList& out) {
    for (const QJsonValue s : steps) {
        for (const QJsonValue e : s["errors"].toArray())
            out << e.toString();
        collectErrors(s["substeps"].toArray(), out);
    }
}
} // namespace

TEST_CASE("An export into the data directory is refused at save, naming the field",
          "[api][datadir]") {
    ApiFixture f;
    const QString dataDir = f.service.dataDir();
    const QByteArray keyBefore = contentOf(dataDir + "/machine.key");
    REQUIRE_FALSE(keyBefore.isEmpty());
    QTemporaryDir scratch;
    REQUIRE(QFile::link(dataDir, scratch.filePath("tls")));
    const QString field = QStringLiteral("postRequestTasks[0].parameters.path");

    for (const QString& destination :
         {dataDir + "/machine.key", dataDir + "/manageditems.db", scratch.filePath("tls/api.token"),
          scratch.filePath("tls/new/folder/cert.pem"),
          scratch.filePath("elsewhere/../tls/x.pem")}) {
        INFO(destination.toStdString());
        const auto refused = f.http->post("/api/managedcertificates", exportingItem(destination));
        CHECK(refused.status == 422);
        CHECK(detailFor(refused, field).contains("inside the service's data directory"));
    }
    CHECK(f.http->get("/api/managedcertificates").json()["total"].toInt() == 0);

    // An update is held to the same rule.
    const auto created =
        f.http->post("/api/managedcertificates", exportingItem(scratch.filePath("shop.pem")));
    REQUIRE(created.status == 201);
    QJsonObject edited = created.json();
    edited["postRequestTasks"] = exportingItem(dataDir + "/machine.key")["postRequestTasks"];
    const auto update = f.http->put(itemPath(edited["id"].toString()), edited);
    CHECK(update.status == 422);
    CHECK(detailFor(update, field).contains(dataDir));
    CHECK(contentOf(dataDir + "/machine.key") == keyBefore);
}

TEST_CASE("Webroots are absolute, plain and outside the data directory", "[api][datadir]") {
    ApiFixture f;
    const QString field = QStringLiteral("requestConfig.challenges[0].webrootPath");
    const QList<std::pair<QString, QString>> cases = {
        {"/", "filesystem root"},
        {"../..", "not an absolute path"},
        {"var/www/html", "not an absolute path"},
        {"/var/www/../../etc", "write it as /etc"},
        {"/var/www/html/", "write it as /var/www/html"},
        {f.service.dataDir(), "inside the service's data directory"},
        {f.service.dataDir() + "/assets", "inside the service's data directory"},
    };
    for (const auto& [webroot, expected] : cases) {
        INFO(webroot.toStdString());
        const auto refused = f.http->post("/api/managedcertificates", webrootItem(webroot));
        CHECK(refused.status == 422);
        CHECK(detailFor(refused, field).contains(expected));
    }
    CHECK(f.http->post("/api/managedcertificates", webrootItem("/var/www/html")).status == 201);
}

TEST_CASE("A link into the data directory made after the save is flagged by Preview and refused "
          "by Deploy",
          "[api][datadir]") {
    ApiFixture f;
    const QString dataDir = f.service.dataDir();
    const QByteArray tokenBefore = contentOf(dataDir + "/api.token");
    QTemporaryDir scratch;
    const QString folder = scratch.filePath("tls");
    REQUIRE(QDir().mkpath(folder));
    const auto created =
        f.http->post("/api/managedcertificates", exportingItem(folder + "/api.token"));
    REQUIRE(created.status == 201);
    const QString id = created.json()["id"].toString();

    REQUIRE(QDir(folder).removeRecursively());
    REQUIRE(QFile::link(dataDir, folder));

    const auto preview = f.http->post(itemPath(id) + "/preview", QJsonObject{});
    REQUIRE(preview.status == 200);
    QStringList errors;
    collectErrors(preview.json()["steps"].toArray(), errors);
    CHECK(errors.join('\n').contains("inside the service's data directory"));

    const auto deployed = f.http->post(itemPath(id) + "/deploy", QJsonObject{});
    REQUIRE(deployed.status == 200);
    const QJsonArray results = deployed.json()["results"].toArray();
    REQUIRE(results.size() == 1);
    CHECK(results[0]["status"].toString() == QStringLiteral("failed"));
    CHECK(results[0]["message"].toString().contains("inside the service's data directory"));
    CHECK(contentOf(dataDir + "/api.token") == tokenBefore);
}
