// Deployment tasks, renewal and notification overrides, and the service preferences: they
// survive a JSON round trip unchanged, and a bad value is reported at its field.

#include "TestSupport.h"
#include "model/ManagedCertificate.h"
#include "model/Preferences.h"
#include "model/Validation.h"

#include <QJsonDocument>

using namespace ck;
using cktest::fieldsOf;

namespace {
QJsonObject parse(const QByteArray& json) {
    return QJsonDocument::fromJson(json).object();
}

ManagedCertificate itemWithTasks() {
    ManagedCertificate m;
    m.name = QStringLiteral("shop");
    m.requestConfig.subjectAlternativeNames = {QStringLiteral("shop.example.com")};
    DeploymentTask exportTask;
    exportTask.id = QStringLiteral("t1");
    exportTask.name = QStringLiteral("Export for nginx");
    exportTask.type = task_types::kExport;
    exportTask.parameters = {{"format", "pemfull"}, {"path", "/etc/nginx/tls/shop.pem"}};
    DeploymentTask reload;
    reload.id = QStringLiteral("t2");
    reload.type = task_types::kReload;
    reload.parameters = {{"command", "systemctl reload nginx"}};
    reload.trigger = TaskTrigger::Always;
    reload.fatalOnError = false;
    reload.runIfPreviousFailed = true;
    reload.retries = 2;
    reload.retryDelaySeconds = 1;
    m.postRequestTasks = {exportTask, reload};
    DeploymentTask stop;
    stop.type = task_types::kScript;
    stop.parameters = {{"program", "/usr/local/bin/stop-proxy"}};
    stop.trigger = TaskTrigger::Manual;
    m.preRequestTasks = {stop};
    m.renewalOverride =
        RenewalPolicy{.mode = RenewalMode::DaysBeforeExpiry, .interval = 20, .extra = {}};
    NotificationTargets targets;
    targets.onSuccess = true;
    targets.webhookUrl = QStringLiteral("https://hooks.example.com/certs");
    targets.emailTo = {QStringLiteral("ops@example.com")};
    m.notificationOverride = targets;
    return m;
}
} // namespace

TEST_CASE("Tasks and overrides survive a JSON round trip", "[model][json]") {
    const ManagedCertificate m = itemWithTasks();
    QList<FieldError> errors;
    const auto back = managedCertificateFromJson(toJson(m), &errors);
    CHECK(errors.isEmpty());
    CHECK(back == m);
    CHECK(toJson(m).value(QStringLiteral("postRequestTasks"))[1][QStringLiteral("trigger")] ==
          QStringLiteral("always"));

    SECTION("no override is null in JSON and absent after reading") {
        ManagedCertificate plain;
        const auto json = toJson(plain);
        CHECK(json.value(QStringLiteral("renewalOverride")).isNull());
        const auto read = managedCertificateFromJson(json, &errors);
        CHECK_FALSE(read.renewalOverride.has_value());
        CHECK_FALSE(read.notificationOverride.has_value());
    }
}

TEST_CASE("Unknown trigger, mode and bad override values are field errors", "[model][json]") {
    QList<FieldError> errors;
    managedCertificateFromJson(parse(R"({"postRequestTasks": [{"type": "export",
        "trigger": "sometimes"}], "renewalOverride": {"mode": "weekly"}})"),
                               &errors);
    CHECK(fieldsOf(errors) == QStringList{"postRequestTasks[0].trigger", "renewalOverride.mode"});

    ManagedCertificate m = itemWithTasks();
    m.renewalOverride =
        RenewalPolicy{.mode = RenewalMode::PercentageOfLifetime, .interval = 120, .extra = {}};
    m.notificationOverride->webhookUrl = QStringLiteral("ftp://example.com/x");
    m.notificationOverride->emailTo = {QStringLiteral("not an address")};
    CHECK(fieldsOf(validateManagedCertificate(m)) ==
          QStringList{"renewalOverride.interval", "notificationOverride.webhookUrl",
                      "notificationOverride.emailTo[0]"});
}

TEST_CASE("Preferences: defaults, round trip and validation", "[model][json]") {
    const Preferences defaults;
    CHECK(defaults.renewal.mode == RenewalMode::PercentageOfLifetime);
    CHECK(defaults.renewal.interval == 75);
    CHECK(defaults.automaticRenewal);
    CHECK(defaults.notifications.systemNotices); // failure notices need no setting up
    CHECK(validatePreferences(defaults).isEmpty());

    Preferences p;
    p.renewal = RenewalPolicy{.mode = RenewalMode::DaysAfterRenewal, .interval = 60, .extra = {}};
    p.maxParallelRenewals = 2;
    p.automaticRenewal = false;
    p.notifications.systemNotices = false;
    p.notifications.smtp.host = QStringLiteral("mail.example.com");
    p.notifications.smtp.security = SmtpSecurity::Tls;
    p.notifications.smtp.from = QStringLiteral("certkeeper@example.com");
    p.notifications.targets.emailTo = {QStringLiteral("ops@example.com")};
    QList<FieldError> errors;
    CHECK(preferencesFromJson(toJson(p), &errors) == p);
    CHECK(errors.isEmpty());
    CHECK(validatePreferences(p).isEmpty());

    SECTION("email without a server, out-of-range numbers") {
        Preferences bad;
        bad.renewalCheckIntervalMinutes = 0;
        bad.maxParallelRenewals = 1000;
        bad.notifications.targets.emailTo = {QStringLiteral("ops@example.com")};
        CHECK(fieldsOf(validatePreferences(bad)) == QStringList{"renewalCheckIntervalMinutes",
                                                                "maxParallelRenewals",
                                                                "notifications.smtp.host"});
    }
    SECTION("email fields are checked whether or not a mail server is set") {
        Preferences bad;
        bad.notifications.smtp.port = 0;
        bad.notifications.smtp.from = QStringLiteral("nobody");
        bad.notifications.smtp.username = QStringLiteral("ck\r\nAUTH");
        CHECK(fieldsOf(validatePreferences(bad)) == QStringList{"notifications.smtp.port",
                                                                "notifications.smtp.from",
                                                                "notifications.smtp.username"});
        bad.notifications.smtp.port = 65536;
        CHECK(fieldsOf(validatePreferences(bad)).contains("notifications.smtp.port"));

        // A file saved before these were checked is put right rather than refused whole.
        const QStringList repaired = repairUncheckedSettings(bad);
        CHECK(repaired.size() == 2);
        CHECK(bad.notifications.smtp.port == 587);
        CHECK(bad.notifications.smtp.from.isEmpty());
        CHECK(fieldsOf(validatePreferences(bad)) == QStringList{"notifications.smtp.username"});
        CHECK(repairUncheckedSettings(p).isEmpty());
    }
    SECTION("wrong types are reported by path") {
        preferencesFromJson(parse(R"({"renewal": {"interval": "often"},
            "notifications": {"smtp": {"security": "ssl3"}, "systemNotices": "yes"}})"),
                            &errors);
        CHECK(fieldsOf(errors) == QStringList{"renewal.interval", "notifications.smtp.security",
                                              "notifications.systemNotices"});
    }
}
