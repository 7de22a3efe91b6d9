// GET/PUT /api/settings (settings.json), the notification test button, POST
// /api/managedcertificates/renew and the scheduler in diagnostics, against the real service
// without a CA: what is saved, what survives a restart, and every bad input answered at its
// field with nothing saved.

#include "ApiFixture.h"

#include <catch2/catch.hpp>

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

using namespace ck::test;

namespace {
QString settingsFile(const ServiceProcess& service) {
    return service.dataDir() + QStringLiteral("/settings.json");
}

// Every field error of a problem answer, as "field: detail".
QStringList fieldErrors(const RawResponse& r) {
    QStringList list;
    for (const auto& e : r.json().value("errors").toArray())
        list << e.toObject().value("field").toString();
    return list;
}
} // namespace

TEST_CASE("settings: defaults, a partial update, and the file that keeps them across a restart",
          "[api][settings]") {
    ApiFixture f;
    const QJsonObject defaults = f.http->get("/api/settings").json();
    CHECK(defaults.value("renewal").toObject() ==
          QJsonObject{{"mode", "percentageOfLifetime"}, {"interval", 75}});
    CHECK(defaults.value("renewalCheckIntervalMinutes").toInt() == 5);
    CHECK(defaults.value("maxParallelRenewals").toInt() == 4);
    CHECK(defaults.value("renewalTimeoutMinutes").toInt() == 60);
    CHECK(defaults.value("automaticRenewal").toBool() == true);
    CHECK(
        defaults.value("notifications").toObject().value("targets").toObject().value("onFailure") ==
        true);
    CHECK(defaults.value("notifications").toObject().value("systemNotices") == true);
    CHECK_FALSE(QFile::exists(settingsFile(f.service))); // nothing written until saved

    const auto saved = f.http->put(
        "/api/settings",
        QJsonObject{{"renewal", QJsonObject{{"mode", "daysBeforeExpiry"}, {"interval", 30}}},
                    {"notifications",
                     QJsonObject{{"targets", QJsonObject{{"webhookUrl",
                                                          "https://hooks.example.test/abc"}}}}}});
    INFO(saved.body);
    REQUIRE(saved.status == 200);
    const QJsonObject now = saved.json();
    CHECK(now.value("renewal").toObject().value("mode").toString() == "daysBeforeExpiry");
    // Fields left out keep their values, inside nested objects too.
    CHECK(now.value("maxParallelRenewals").toInt() == 4);
    CHECK(now.value("notifications").toObject().value("targets").toObject().value("onFailure") ==
          true);
    CHECK(QFileInfo(settingsFile(f.service)).permissions() ==
          (QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadUser |
           QFileDevice::WriteUser));

    REQUIRE(f.service.stop());
    REQUIRE(f.service.start());
    RawHttp http(f.service.port(), f.service.token().toStdString());
    CHECK(http.get("/api/settings").json() == now);
}

TEST_CASE("settings: bad values are refused at their field and nothing is saved",
          "[api][settings]") {
    ApiFixture f;
    const QJsonObject before = f.http->get("/api/settings").json();
    struct Case {
        const char* what;
        QJsonObject body;
        int status;
        QStringList fields;
    };
    const std::vector<Case> cases{
        {"a number as text", {{"maxParallelRenewals", "4"}}, 400, {"maxParallelRenewals"}},
        {"a switch as text", {{"automaticRenewal", "no"}}, 400, {"automaticRenewal"}},
        {"system notices as text",
         {{"notifications", QJsonObject{{"systemNotices", "off"}}}},
         400,
         {"notifications.systemNotices"}},
        {"an unknown mode",
         {{"renewal", QJsonObject{{"mode", "whenever"}}}},
         400,
         {"renewal.mode"}},
        {"percentage out of range",
         {{"renewal", QJsonObject{{"interval", 100}}}},
         422,
         {"renewal.interval"}},
        {"intervals and limits",
         {{"renewalCheckIntervalMinutes", 0},
          {"maxParallelRenewals", 65},
          {"renewalTimeoutMinutes", 1}},
         422,
         {"renewalCheckIntervalMinutes", "maxParallelRenewals", "renewalTimeoutMinutes"}},
        {"a webhook that is not http(s) and an address that is not one",
         {{"notifications",
           QJsonObject{{"targets", QJsonObject{{"webhookUrl", "ftp://example.test/x"},
                                               {"emailTo", QJsonArray{"nobody"}}}},
                       {"smtp", QJsonObject{{"host", "mail.example.test"},
                                            {"from", "certkeeper@example.test"}}}}}},
         422,
         {"notifications.targets.webhookUrl", "notifications.targets.emailTo[0]"}},
        {"email without a mail server",
         {{"notifications",
           QJsonObject{{"targets", QJsonObject{{"emailTo", QJsonArray{"a@example.test"}}}}}}},
         422,
         {"notifications.smtp.host"}},
        {"a password credential that does not exist and a root file the service cannot read",
         {{"notifications",
           QJsonObject{{"smtp", QJsonObject{{"host", "mail.example.test"},
                                            {"from", "certkeeper@example.test"},
                                            {"passwordCredentialId", "no-such-credential"},
                                            {"trustedRootFile", "/nonexistent/root.pem"}}}}}},
         422,
         {"notifications.smtp.passwordCredentialId", "notifications.smtp.trustedRootFile"}},
        // Checked whether or not a mail server is set: the host was empty in each of these.
        {"a port out of range without a host",
         {{"notifications", QJsonObject{{"smtp", QJsonObject{{"port", 0}}}}}},
         422,
         {"notifications.smtp.port"}},
        {"a port above 65535 without a host",
         {{"notifications", QJsonObject{{"smtp", QJsonObject{{"port", 70000}}}}}},
         422,
         {"notifications.smtp.port"}},
        {"a sender that is not an address, and a user name with a line break, without a host",
         {{"notifications",
           QJsonObject{{"smtp", QJsonObject{{"from", "certkeeper"},
                                            {"username", "ck\r\nRCPT TO:<x@example.test>"}}}}}},
         422,
         {"notifications.smtp.from", "notifications.smtp.username"}},
        {"a host with a scheme, and a sender with a header in it",
         {{"notifications",
           QJsonObject{{"smtp", QJsonObject{{"host", "smtp://mail.example.test"},
                                            {"from", "ck@example.test\r\nBcc: x@example.test"}}}}}},
         422,
         {"notifications.smtp.host", "notifications.smtp.from"}},
        {"a password over a connection without TLS to another machine",
         {{"notifications",
           QJsonObject{{"smtp", QJsonObject{{"host", "mail.example.test"},
                                            {"security", "none"},
                                            {"from", "certkeeper@example.test"},
                                            {"passwordCredentialId", "no-such-credential"}}}}}},
         422,
         {"notifications.smtp.passwordCredentialId", "notifications.smtp.security"}},
    };
    for (const auto& c : cases) {
        INFO(c.what);
        const auto r = f.http->put("/api/settings", c.body);
        INFO(r.body);
        CHECK(r.status == c.status);
        CHECK(r.headers.at("content-type") == "application/problem+json");
        CHECK(fieldErrors(r) == c.fields);
    }
    // The refusal says what the field takes.
    const auto notSwitch = f.http->put(
        "/api/settings", QJsonObject{{"notifications", QJsonObject{{"systemNotices", 0}}}});
    INFO(notSwitch.body);
    CHECK(notSwitch.status == 400);
    CHECK(notSwitch.body.find("must be true or false") != std::string::npos);
    CHECK(f.http->get("/api/settings").json() == before);
    CHECK_FALSE(QFile::exists(settingsFile(f.service)));
    const auto notJson =
        f.http->send({"PUT", "/api/settings", {{"Content-Type", "application/json"}}, "[1, 2]"});
    CHECK(notJson.status == 400);
}

TEST_CASE("settings: a damaged settings.json does not stop the service, which says so and uses "
          "the defaults until settings are saved",
          "[api][settings]") {
    ServiceProcess service;
    QDir().mkpath(service.dataDir());
    QFile file(settingsFile(service));
    REQUIRE(file.open(QIODevice::WriteOnly));
    file.write("{\n  \"maxParallelRenewals\": 4,\n  \"renewalCheckIntervalMinutes\": 0\n}\n");
    file.close();
    REQUIRE(service.start());
    RawHttp http(service.port(), service.token().toStdString());
    const QJsonArray notices =
        http.get("/api/system/diagnostics").json().value("notices").toArray();
    QString notice;
    for (const auto& n : notices)
        if (n.toString().contains("settings.json"))
            notice = n.toString();
    INFO(notice.toStdString());
    CHECK(notice.contains("renewalCheckIntervalMinutes on line 3"));
    CHECK(notice.contains("default settings"));
    CHECK(http.get("/api/settings").json().value("renewalCheckIntervalMinutes").toInt() == 5);
    REQUIRE(file.open(QIODevice::ReadOnly));
    CHECK(file.readAll().contains("\"renewalCheckIntervalMinutes\": 0")); // left as it was
    file.close();
    REQUIRE(http.put("/api/settings", QJsonObject{{"renewalCheckIntervalMinutes", 10}}).status ==
            200);
    REQUIRE(file.open(QIODevice::ReadOnly));
    CHECK(QJsonDocument::fromJson(file.readAll()).object().value("renewalCheckIntervalMinutes") ==
          10);
}

TEST_CASE("settings: a port saved out of range before every field was checked is put back, and "
          "the other settings are kept",
          "[api][settings]") {
    ServiceProcess service;
    QDir().mkpath(service.dataDir());
    QFile file(settingsFile(service));
    REQUIRE(file.open(QIODevice::WriteOnly));
    file.write(R"({"maxParallelRenewals": 2, "notifications": {"smtp": {"port": 0}}})");
    file.close();
    REQUIRE(service.start());
    RawHttp http(service.port(), service.token().toStdString());
    const QJsonObject settings = http.get("/api/settings").json();
    CHECK(settings.value("maxParallelRenewals").toInt() == 2);
    CHECK(settings["notifications"]["smtp"]["port"].toInt() == 587);
    const QJsonArray notices =
        http.get("/api/system/diagnostics").json().value("notices").toArray();
    bool told = false;
    for (const auto& n : notices)
        told = told || n.toString().contains("notifications.smtp.port was 0");
    CHECK(told);
}

TEST_CASE("settings: the notification test says what is missing or what went wrong",
          "[api][settings][notify]") {
    ApiFixture f;
    const auto noChannel = f.http->post("/api/settings/notifications/test", QJsonObject{});
    CHECK(noChannel.status == 400);
    CHECK(noChannel.field() == "channel");
    const auto noWebhook =
        f.http->post("/api/settings/notifications/test", QJsonObject{{"channel", "webhook"}});
    CHECK(noWebhook.status == 422);
    CHECK(noWebhook.field() == "notifications.targets.webhookUrl");
    const auto noMail =
        f.http->post("/api/settings/notifications/test", QJsonObject{{"channel", "email"}});
    CHECK(noMail.status == 422);
    CHECK(noMail.field() == "notifications.targets.emailTo");

    const int closed = freeLoopbackPort();
    const QString url = QStringLiteral("http://127.0.0.1:%1/hook/secret-path-77").arg(closed);
    REQUIRE(f.http
                ->put("/api/settings",
                      QJsonObject{{"notifications",
                                   QJsonObject{{"targets", QJsonObject{{"webhookUrl", url}}}}}})
                .status == 200);
    const auto refused =
        f.http->post("/api/settings/notifications/test", QJsonObject{{"channel", "webhook"}});
    INFO(refused.body);
    CHECK(refused.status == 502);
    CHECK(refused.detail().contains(QStringLiteral("127.0.0.1:%1").arg(closed)));
    CHECK_FALSE(refused.detail().contains("secret-path-77"));
}

TEST_CASE("renew now: bad bodies are refused; unknown ids are skipped with the reason",
          "[api][renewal]") {
    ApiFixture f;
    for (const QJsonObject& body :
         {QJsonObject{{"ids", "abc"}}, QJsonObject{{"ids", QJsonArray{}}},
          QJsonObject{{"ids", QJsonArray{1}}}, QJsonObject{{"ids", QJsonArray{""}}}}) {
        const auto r = f.http->post("/api/managedcertificates/renew", body);
        INFO(r.body);
        CHECK(r.status == 400);
        CHECK(r.field() == "ids");
    }
    const auto unknown = f.http->post("/api/managedcertificates/renew",
                                      QJsonObject{{"ids", QJsonArray{"no-such-id"}}});
    REQUIRE(unknown.status == 202);
    CHECK(unknown.json().value("queued").toArray().isEmpty());
    CHECK(unknown.json().value("skipped").toArray() ==
          QJsonArray{
              QJsonObject{{"id", "no-such-id"}, {"reason", "no managed certificate has this id"}}});
    const auto none = f.http->post("/api/managedcertificates/renew", QJsonObject{});
    REQUIRE(none.status == 202);
    CHECK(none.json() == QJsonObject{{"queued", QJsonArray{}}, {"skipped", QJsonArray{}}});

    const QJsonObject scheduler =
        f.http->get("/api/system/diagnostics").json().value("scheduler").toObject();
    for (const char* key : {"lastRun", "nextRun", "checks", "automaticRenewal", "intervalMinutes",
                            "maxParallelRenewals", "itemsDue", "running", "waiting"})
        CHECK(scheduler.contains(QLatin1String(key)));
    CHECK(scheduler.value("checks").toInt() >= 1); // it ran at start
}

TEST_CASE("settings: a credential the settings use cannot be deleted; item overrides are kept",
          "[api][settings]") {
    ApiFixture f;
    const auto credential = f.http->post(
        "/api/credentials", QJsonObject{{"type", "smtp-password"},
                                        {"title", "Mail"},
                                        {"values", QJsonObject{{"password", "hunter2-mail"}}}});
    REQUIRE(credential.status == 201);
    const QString id = credential.json().value("id").toString();
    REQUIRE(
        f.http
            ->put("/api/settings",
                  QJsonObject{{"notifications",
                               QJsonObject{{"smtp", QJsonObject{{"host", "mail.example.test"},
                                                                {"from", "ck@example.test"},
                                                                {"passwordCredentialId", id}}}}}})
            .status == 200);
    const auto refused = f.http->del("/api/credentials/" + id.toStdString());
    CHECK(refused.status == 409);
    CHECK(refused.detail().contains("notification settings"));
    CHECK_FALSE(QString::fromStdString(f.http->get("/api/settings").body).contains("hunter2"));

    const auto created = f.createItem("Overridden", {"over.example.com"});
    REQUIRE(created.status == 201);
    QJsonObject item = created.json();
    item.insert("renewalOverride", QJsonObject{{"mode", "daysBeforeExpiry"}, {"interval", 20}});
    item.insert("notificationOverride",
                QJsonObject{{"onFailure", true}, {"emailTo", QJsonArray{"team@example.test"}}});
    const auto updated =
        f.http->put("/api/managedcertificates/" + item.value("id").toString().toStdString(), item);
    INFO(updated.body);
    REQUIRE(updated.status == 200);
    CHECK(updated.json().value("renewalOverride").toObject().value("interval").toInt() == 20);
    CHECK(updated.json().value("notificationOverride").toObject().value("emailTo").toArray() ==
          QJsonArray{"team@example.test"});
    item = updated.json();
    item.insert("renewalOverride", QJsonObject{{"mode", "daysBeforeExpiry"}, {"interval", 0}});
    const auto bad =
        f.http->put("/api/managedcertificates/" + item.value("id").toString().toStdString(), item);
    CHECK(bad.status == 422);
    CHECK(bad.field() == "renewalOverride.interval");
}
