// The typed answers and requests of the service's administration calls: its diagnostics, the
// credential types, an account registration, the deployment task catalogue and the edition. What
// the service sends is read field by field; a malformed answer fails by naming the field.

#include "TestSupport.h"
#include "model/CertificateAuthority.h"
#include "model/DeploymentTaskTypes.h"
#include "model/ServiceDiagnostics.h"
#include "model/StoredCredential.h"
#include "model/StrictDecode.h"

#include <QJsonArray>

using namespace ck;
using cktest::fieldsOf;

namespace {
// As the service writes it (api/ServiceState, renewal/RenewalScheduler, licensing).
QJsonObject diagnosticsAnswer() {
    const QJsonObject recovery{{"time", "2025-03-01T08:00:00.000Z"},
                               {"summary", "The database was damaged and rebuilt"},
                               {"quarantinedFile", "/data/manageditems.db.damaged"},
                               {"backupUsed", "/data/manageditems.db.bak"},
                               {"rowsRecovered", 4},
                               {"rowsFromBackup", 1},
                               {"possiblyMissing", "changes after 2025-02-28 10:00 UTC"}};
    return {{"product", "Certkeeper"},
            {"version", "1.4.0"},
            {"libraries", QJsonArray{"Qt 6.4.2", "OpenSSL 3.0.15"}},
            {"pid", 4242},
            {"dataDir", "/data"},
            {"systemMode", false},
            {"startedAt", "2025-03-01T08:00:01.000Z"},
            {"config", ServiceConfig{}.toJson()},
            {"bind", QJsonObject{{"host", "127.0.0.1"},
                                 {"requestedPort", 9696},
                                 {"boundPort", 9697},
                                 {"negotiated", true},
                                 {"reason", "port 9696 is in use"}}},
            {"database", QJsonObject{{"path", "/data/manageditems.db"},
                                     {"integrity", "ok"},
                                     {"itemCount", 5},
                                     {"lastBackup", QJsonObject{{"ok", true},
                                                                {"path", "/data/x.bak"},
                                                                {"time", QJsonValue()},
                                                                {"rows", 5},
                                                                {"error", ""}}},
                                     {"recovery", QJsonArray{recovery}}}},
            {"notices", QJsonArray{"The API token was created"}},
            {"outgoingProxy", "none (direct connections)"},
            {"edition", "Community"},
            {"license", LicenseInfo{}.toJson()},
            {"scheduler", QJsonObject{{"lastRun", "2025-03-01T08:05:00.000Z"},
                                      {"nextRun", QJsonValue()},
                                      {"checks", 1},
                                      {"automaticRenewal", true},
                                      {"intervalMinutes", 5},
                                      {"maxParallelRenewals", 4},
                                      {"itemsDue", 0},
                                      {"running", QJsonArray{}},
                                      {"waiting", 0}}}};
}
} // namespace

TEST_CASE("The service's diagnostics are read whole, and a wrong field is named", "[unit][api]") {
    const QJsonObject answer = diagnosticsAnswer();
    const auto read = decodeStrict(answer, &ServiceDiagnostics::fromJson);
    REQUIRE(read.ok());
    const ServiceDiagnostics& d = read.value;
    CHECK(d.version == QStringLiteral("1.4.0"));
    CHECK(d.pid == 4242);
    CHECK(d.libraries == QStringList{"Qt 6.4.2", "OpenSSL 3.0.15"});
    CHECK(d.bind.negotiated);
    CHECK(d.bind.boundPort == 9697);
    CHECK(d.database.integrity == QStringLiteral("ok"));
    REQUIRE(d.database.recovery.size() == 1);
    CHECK(d.database.recovery[0].rowsFromBackup == 1);
    CHECK(d.config.port == 9696);
    CHECK(d.license.edition == QStringLiteral("community"));
    CHECK(d.scheduler.checks == 1);
    CHECK(!d.scheduler.nextRun.isValid());
    CHECK(d.toJson() == answer); // `diag --json` prints what the service said

    QJsonObject wrong = answer;
    wrong.remove("dataDir");
    QJsonObject bind = answer["bind"].toObject();
    bind["boundPort"] = "9697";
    wrong["bind"] = bind;
    QJsonObject config = ServiceConfig{}.toJson();
    config["port"] = 0;
    wrong["config"] = config;
    wrong["license"] = QJsonObject{{"edition", "community"}, {"itemLimit", "five"}};
    wrong["notices"] = "none";
    CHECK(fieldsOf(decodeStrict(wrong, &ServiceDiagnostics::fromJson).errors) ==
          QStringList{"dataDir", "config.port", "bind.boundPort", "notices", "license.itemLimit"});
}

TEST_CASE("Credential types are read as the service describes them", "[unit][api]") {
    for (const CredentialType& type : credentialTypes()) {
        INFO(type.id.toStdString());
        const auto back = decodeStrict(type.toJson(), &CredentialType::fromJson);
        REQUIRE(back.ok());
        CHECK(back.value == type);
    }
    const auto rfc2136 = findCredentialType(QStringLiteral("rfc2136"));
    REQUIRE(rfc2136);
    REQUIRE(rfc2136->field(QStringLiteral("secret")));
    CHECK(rfc2136->field(QStringLiteral("secret"))->secret);
    CHECK(!rfc2136->field(QStringLiteral("colour")));

    const auto unnamed = decodeStrict(
        QJsonObject{{"title", "Key"}, {"fields", QJsonArray{QJsonObject{{"secret", "yes"}}}}},
        &CredentialType::fromJson);
    CHECK(fieldsOf(unnamed.errors) == QStringList{"id", "fields[0].name", "fields[0].secret"});
}

TEST_CASE("An account registration sends the External Account Binding only when given",
          "[unit][api]") {
    AccountRegistrationRequest request;
    request.certificateAuthorityId = QStringLiteral("letsencrypt");
    request.email = QStringLiteral("ops@example.com");
    request.agreeToTerms = true;
    request.keyAlgorithm = QStringLiteral("ecdsa-p256");
    const QJsonObject json = request.toJson();
    CHECK(!json.contains("eabKeyId"));
    CHECK(!json.contains("eabHmacKey"));
    CHECK(json.value("agreeToTerms").toBool());
    CHECK(json.value("certificateAuthorityId").toString() == QStringLiteral("letsencrypt"));
    CHECK(json.value("staging") == QJsonValue(false));

    request.eabKeyId = QStringLiteral("kid-1");
    request.eabHmacKey = QStringLiteral("c2VjcmV0");
    CHECK(request.toJson().value("eabKeyId").toString() == QStringLiteral("kid-1"));
    CHECK(request.toJson().value("eabHmacKey").toString() == QStringLiteral("c2VjcmV0"));

    // The service reads it with the same type: what the app sends arrives whole.
    const auto read = decodeStrict(request.toJson(), &AccountRegistrationRequest::fromJson);
    REQUIRE(read.ok());
    CHECK(read.value == request);
    const auto forged = decodeStrict(
        QJsonObject{{"email", "ops@example.com\nBcc: x@example.net"}, {"staging", "yes"}},
        &AccountRegistrationRequest::fromJson);
    CHECK(fieldsOf(forged.errors) == QStringList{"staging", "email"});
}

TEST_CASE("The task catalogue and the edition are read strictly", "[unit][api]") {
    const auto unknownKind = decodeStrict(
        QJsonObject{{"type", "export"},
                    {"parameters", QJsonArray{QJsonObject{{"key", "path"}, {"kind", "folder"}},
                                              QJsonObject{{"kind", "int"}}}}},
        &TaskTypeSpec::fromJson);
    CHECK(fieldsOf(unknownKind.errors) == QStringList{"parameters[0].kind", "parameters[1].key"});
    CHECK(
        fieldsOf(decodeStrict(QJsonObject{{"title", "Export"}}, &TaskTypeSpec::fromJson).errors) ==
        QStringList{"type"});

    LicenseInfo info;
    info.itemsUsed = 3;
    info.installId = QStringLiteral("install-1");
    const auto license = decodeStrict(info.toJson(), &LicenseInfo::fromJson);
    REQUIRE(license.ok());
    CHECK(license.value.toJson() == info.toJson());
    CHECK(fieldsOf(decodeStrict(QJsonObject{{"edition", "community"}, {"licensed", "no"}},
                                &LicenseInfo::fromJson)
                       .errors) == QStringList{"itemLimit", "licensed"});
}
