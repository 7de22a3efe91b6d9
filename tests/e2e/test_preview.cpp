// Preview end to end against the real service, Pebble and BIND9: every step of a request is
// listed with what would go wrong in it, and a preview changes nothing, on disk or at the CA.

#include "PreviewSupport.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QFileInfo>

using namespace ck::test;

namespace {
// Every file under `root`: its size, modification time and content digest.
QMap<QString, QString> snapshot(const QString& root) {
    QMap<QString, QString> files;
    QDirIterator it(root, QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QFileInfo info(path);
        QString state = info.isDir() ? QStringLiteral("dir") : QString::number(info.size());
        state += u' ' + QString::number(info.lastModified().toMSecsSinceEpoch());
        QFile f(path);
        if (info.isFile() && f.open(QIODevice::ReadOnly))
            state += u' ' +
                     QString::fromLatin1(
                         QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex());
        files.insert(path, state);
    }
    return files;
}

// How many accounts, orders and authorizations Pebble has created so far: it logs each one.
int pebbleCreations(const IssuanceFixture& f) {
    return int(f.pebble->log().count(QStringLiteral("There are now")));
}

QJsonObject task(const QString& name, const QString& type, const QJsonObject& parameters,
                 const QJsonObject& extra = {}) {
    QJsonObject t{{"name", name}, {"type", type}, {"parameters", parameters}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        t.insert(it.key(), it.value());
    return t;
}
} // namespace

TEST_CASE("Preview lists every step of a request with tasks, with its warnings and errors",
          "[e2e][preview]") {
    IssuanceFixture f;
    QTemporaryDir webroot;
    // The first entry whose match covers a name applies: the wildcard's entry comes last, as
    // it covers the other names too.
    const QJsonArray challenges{
        QJsonObject{{"type", "http-01"}, {"domainMatch", "www.example.test"}},
        QJsonObject{{"type", "http-01"},
                    {"provider", "webroot"},
                    {"webrootPath", "/nonexistent/www"},
                    {"domainMatch", "static.example.test"}},
        QJsonObject{{"type", "http-01"},
                    {"provider", "webroot"},
                    {"webrootPath", webroot.path()},
                    {"domainMatch", "site.example.test"}},
        QJsonObject{{"type", "http-01"}, {"domainMatch", "typo.exmaple.test"}},
        QJsonObject{{"type", "dns-01"},
                    {"provider", "rfc2136"},
                    {"credentialId", "no-such-credential"},
                    {"domainMatch", "*.example.test"}}};
    const QJsonArray pre{task(QStringLiteral("Stop the proxy"), QStringLiteral("script"),
                              {{"program", "/nonexistent/stop-proxy.sh"}})};
    const QJsonArray post{task(QStringLiteral("Export for nginx"), QStringLiteral("export"),
                               {{"path", "/proc/certkeeper-nowhere/cert.pem"}}),
                          task(QStringLiteral("Tell the team"), QStringLiteral("webhook"),
                               {{"url", "https://hooks.example.test/cert"}}, {{"enabled", false}}),
                          task(QStringLiteral("Reload by hand"), QStringLiteral("reload"),
                               {{"command", "systemctl reload nginx"}}, {{"trigger", "manual"}})};
    const QString id =
        f.createItem({QStringLiteral("www.example.test"), QStringLiteral("*.example.test"),
                      QStringLiteral("static.example.test"), QStringLiteral("site.example.test")},
                     {{"challenges", challenges},
                      {"customLifetimeDays", 30},
                      {"pfxPasswordCredentialId", "gone-credential"}},
                     {{"preRequestTasks", pre}, {"postRequestTasks", post}});

    const QJsonArray steps = postAction(f, id, "preview").value("steps").toArray();
    INFO(QJsonDocument(steps).toJson().toStdString());
    QStringList keys;
    for (const auto& s : steps)
        keys << s.toObject().value("key").toString();
    CHECK(keys ==
          QStringList{"summary", "validation", "preRequestTasks", "request", "postRequestTasks"});

    const QJsonObject summary = stepIn(steps, QStringLiteral("summary"));
    CHECK(summary.value("title").toString() ==
          "Request a certificate for www.example.test and 3 more");
    CHECK(summary.value("description").toString().contains("Pebble"));
    CHECK(summary.value("description").toString().contains("admin@example.test"));
    CHECK(summary.value("description").toString().contains("ECDSA P-256"));
    CHECK(summary.value("errors").toArray().isEmpty());

    const QJsonObject validation = stepIn(steps, QStringLiteral("validation"));
    CHECK(validation.value("substeps").toArray().size() == 4);
    CHECK(joined(validation, "warnings").contains("typo.exmaple.test")); // applies to no name
    const QJsonObject www = stepIn(steps, QStringLiteral("validation.www.example.test"));
    CHECK(www.value("title").toString().contains(
        QStringLiteral("built-in listener on port %1").arg(f.pebble->httpPort())));
    CHECK(www.value("errors").toArray().isEmpty());
    const QJsonObject wildcard = stepIn(steps, QStringLiteral("validation.*.example.test"));
    CHECK(joined(wildcard, "errors").contains("stored TSIG credential"));
    CHECK(wildcard.value("description").toString().contains("_acme-challenge.example.test."));
    const QJsonObject missing = stepIn(steps, QStringLiteral("validation.static.example.test"));
    CHECK(joined(missing, "errors").contains("/nonexistent/www does not exist"));
    const QJsonObject site = stepIn(steps, QStringLiteral("validation.site.example.test"));
    CHECK(site.value("errors").toArray().isEmpty());
    CHECK(site.value("title").toString().contains(webroot.path()));

    const QJsonObject preStep = stepIn(steps, QStringLiteral("preRequestTasks"));
    REQUIRE(preStep.value("substeps").toArray().size() == 1);
    const QJsonObject stopProxy = preStep.value("substeps").toArray()[0].toObject();
    CHECK(stopProxy.value("title").toString().contains("Stop the proxy"));
    CHECK(stopProxy.value("description").toString().contains("before every request"));
    CHECK(joined(stopProxy, "errors").contains("/nonexistent/stop-proxy.sh"));

    const QJsonObject request = stepIn(steps, QStringLiteral("request"));
    CHECK(joined(request, "errors").contains("gone-credential"));
    CHECK(joined(request, "warnings").contains("30 days"));
    CHECK(request.value("description")
              .toString()
              .contains(f.dataDir.filePath(QStringLiteral("assets/")) + id));

    const QJsonObject postStep = stepIn(steps, QStringLiteral("postRequestTasks"));
    const QJsonArray postTasks = postStep.value("substeps").toArray();
    REQUIRE(postTasks.size() == 3);
    const QJsonObject export_ = postTasks[0].toObject();
    CHECK(export_.value("description").toString().contains("after a successful request"));
    CHECK(joined(export_, "errors").contains("/proc/certkeeper-nowhere"));
    const QJsonObject disabled = postTasks[1].toObject();
    CHECK(disabled.value("title").toString().contains("disabled"));
    CHECK(disabled.value("errors").toArray().isEmpty());
    CHECK(postTasks[2].toObject().value("description").toString().contains("by hand"));
}

TEST_CASE("Preview changes nothing: no file, no record, no listener, nothing at the CA",
          "[e2e][preview]") {
    IssuanceOptions options;
    options.bind9 = true;
    IssuanceFixture f(options);
    QTemporaryDir webroot;
    const QString tsig =
        f.createCredential(QStringLiteral("rfc2136"), {{"server", f.bind9->address()},
                                                       {"port", QString::number(f.bind9->port())},
                                                       {"keyName", f.bind9->keyName()},
                                                       {"algorithm", f.bind9->algorithm()},
                                                       {"secret", f.bind9->keySecretBase64()}});
    const QJsonArray challenges{QJsonObject{{"type", "dns-01"},
                                            {"provider", "rfc2136"},
                                            {"credentialId", tsig},
                                            {"domainMatch", "dns.example.test"}},
                                QJsonObject{{"type", "http-01"},
                                            {"provider", "webroot"},
                                            {"webrootPath", webroot.path()},
                                            {"domainMatch", "site.example.test"}}};
    const QString id =
        f.createItem({QStringLiteral("www.example.test"), QStringLiteral("dns.example.test"),
                      QStringLiteral("site.example.test")},
                     {{"challenges", challenges}});
    const QJsonObject stored = f.item(id);
    const auto itemsBefore = f.http->get("/api/managedcertificates").json();
    const auto dataBefore = snapshot(f.dataDir.path());
    const auto webrootBefore = snapshot(webroot.path());
    const int created = pebbleCreations(f);

    QJsonObject edited = stored;
    QJsonObject rc = edited.value("requestConfig").toObject();
    rc.insert("keyAlgorithm", "rsa2048");
    edited.insert("requestConfig", rc);
    const QJsonArray fromStored = postAction(f, id, "preview").value("steps").toArray();
    const QJsonArray fromEdits =
        postAction(f, id, "preview", {{"item", edited}}).value("steps").toArray();
    QJsonObject fresh = edited;
    fresh.remove("id");
    const QJsonArray fromNew =
        postAction(f, QString(), "preview", {{"item", fresh}}).value("steps").toArray();
    for (const QJsonArray& steps : {fromStored, fromEdits, fromNew}) {
        INFO(QJsonDocument(steps).toJson().toStdString());
        REQUIRE(steps.size() == 5);
        for (const auto& s : steps)
            CHECK(s.toObject().value("errors").toArray().isEmpty());
    }
    // The edits are what is previewed, not the stored item.
    CHECK(stepIn(fromEdits, QStringLiteral("summary"))
              .value("description")
              .toString()
              .contains("RSA 2048"));
    CHECK(stepIn(fromStored, QStringLiteral("summary"))
              .value("description")
              .toString()
              .contains("ECDSA P-256"));
    CHECK(stepIn(fromNew, QStringLiteral("request"))
              .value("description")
              .toString()
              .contains("<new id>"));

    CHECK(snapshot(f.dataDir.path()) == dataBefore); // sizes, times and contents
    CHECK(snapshot(webroot.path()) == webrootBefore);
    CHECK_FALSE(QFile::exists(f.dataDir.filePath(QStringLiteral("logs/log_%1.txt").arg(id))));
    CHECK(pebbleCreations(f) == created); // no account, order or authorization
    CHECK(f.bind9->txtRecords(QStringLiteral("_acme-challenge.dns.example.test.")).isEmpty());
    CHECK_FALSE(listening(f.pebble->httpPort()));
    CHECK(f.item(id) == stored);
    CHECK(f.http->get("/api/managedcertificates").json() == itemsBefore); // nothing new saved
}
