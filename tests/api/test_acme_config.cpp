// The configuration routes of the ACME engine against the real service, without a CA: built-in
// and custom certificate authorities, account requests refused before any CA is asked, and
// stored credentials (sealed at rest, never returned, refused while in use).

#include "ApiFixture.h"

#include <catch2/catch.hpp>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QThread>

using namespace ck::test;

namespace {
QStringList idsOf(const QJsonArray& items) {
    QStringList ids;
    for (const auto& v : items)
        ids << v.toObject().value("id").toString();
    return ids;
}

QByteArray readFile(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
} // namespace

TEST_CASE("built-in CAs are listed and custom ones are checked", "[api][acme]") {
    ApiFixture f;
    const auto list = f.http->get("/api/certificateauthorities");
    REQUIRE(list.status == 200);
    const QStringList builtIn = idsOf(list.json().value("items").toArray());
    for (const char* id : {"letsencrypt", "zerossl", "google", "sslcom"})
        CHECK(builtIn.contains(QLatin1String(id)));
    // BuyPass ended its ACME service in 2025: no longer offered.
    CHECK_FALSE(builtIn.contains(QStringLiteral("buypass")));

    SECTION("a plain-http directory is refused") {
        const auto r = f.http->post("/api/certificateauthorities",
                                    QJsonObject{{"id", "private"},
                                                {"title", "Private"},
                                                {"directoryUrl", "http://ca.example.com/dir"}});
        CHECK(r.status == 422);
        CHECK(r.json().value("errors").toArray().first().toObject().value("field") ==
              "directoryUrl");
    }
    SECTION("a built-in id cannot be replaced") {
        const auto r = f.http->post("/api/certificateauthorities",
                                    QJsonObject{{"id", "letsencrypt"},
                                                {"title", "Fake"},
                                                {"directoryUrl", "https://ca.example.com/dir"}});
        CHECK(r.status == 409);
    }
    SECTION("an unreadable trusted root file is refused") {
        const auto r = f.http->post("/api/certificateauthorities",
                                    QJsonObject{{"id", "private"},
                                                {"title", "Private"},
                                                {"directoryUrl", "https://ca.example.com/dir"},
                                                {"trustedRootFile", "/nonexistent/root.pem"}});
        CHECK(r.status == 422);
        CHECK(r.body.find("trustedRootFile") != std::string::npos);
    }
    SECTION("a custom CA is saved, listed, kept across a restart and removed") {
        const auto r = f.http->post("/api/certificateauthorities",
                                    QJsonObject{{"id", "private"},
                                                {"title", "Private CA"},
                                                {"directoryUrl", "https://ca.example.com/dir"},
                                                {"eabRequired", true}});
        REQUIRE(r.status == 201);
        REQUIRE(f.service.stop());
        REQUIRE(f.service.start());
        f.http = std::make_unique<RawHttp>(f.service.port(), f.service.token().toStdString());
        const auto again = f.http->get("/api/certificateauthorities");
        CHECK(idsOf(again.json().value("items").toArray()).contains(QStringLiteral("private")));
        CHECK(f.http->del("/api/certificateauthorities/private").status == 204);
        CHECK(f.http->del("/api/certificateauthorities/private").status == 404);
        CHECK(f.http->del("/api/certificateauthorities/letsencrypt").status == 404);
    }
}

TEST_CASE("account requests are checked before any CA is asked", "[api][acme]") {
    ApiFixture f;
    const auto r =
        f.http->post("/api/accounts", QJsonObject{{"certificateAuthorityId", "letsencrypt"},
                                                  {"email", "not-an-address"},
                                                  {"agreeToTerms", false},
                                                  {"keyAlgorithm", "dsa1024"}});
    CHECK(r.status == 422);
    QStringList fields;
    for (const auto& e : r.json().value("errors").toArray())
        fields << e.toObject().value("field").toString();
    CHECK(fields == QStringList{"email", "agreeToTerms", "keyAlgorithm"});

    const auto wrongType = f.http->post("/api/accounts", QJsonObject{{"email", 42}});
    CHECK(wrongType.status == 400);
    const auto unknownCa =
        f.http->post("/api/accounts", QJsonObject{{"certificateAuthorityId", "nope"},
                                                  {"email", "a@example.com"},
                                                  {"agreeToTerms", true}});
    CHECK(unknownCa.status == 422);
    CHECK(unknownCa.field() == "certificateAuthorityId");
    const auto needsEab =
        f.http->post("/api/accounts", QJsonObject{{"certificateAuthorityId", "zerossl"},
                                                  {"email", "a@example.com"},
                                                  {"agreeToTerms", true}});
    CHECK(needsEab.status == 422);
    CHECK(needsEab.field() == "eabKeyId");
    CHECK(f.http->get("/api/accounts").json().value("items").toArray().isEmpty());
}

TEST_CASE("stored credentials: sealed at rest, never returned, refused while in use",
          "[api][credentials]") {
    ApiFixture f;
    const QString secret = QStringLiteral("c2VjcmV0LXRzaWcta2V5LWZvci10ZXN0cw==");
    SECTION("bad input names each field and stores nothing") {
        const auto unknownType =
            f.http->post("/api/credentials",
                         QJsonObject{{"type", "ftp"}, {"title", "x"}, {"values", QJsonObject{}}});
        CHECK(unknownType.status == 422);
        CHECK(unknownType.body.find("rfc2136") != std::string::npos); // names the known types
        const auto missing = f.http->post("/api/credentials",
                                          QJsonObject{{"type", "rfc2136"},
                                                      {"title", "ns1"},
                                                      {"values", QJsonObject{{"server", "ns1"}}}});
        CHECK(missing.status == 422);
        CHECK(missing.body.find("values.keyName") != std::string::npos);
        CHECK(missing.body.find("values.secret") != std::string::npos);
        const auto notText =
            f.http->post("/api/credentials",
                         QJsonObject{{"type", "pfx-password"}, {"title", "pfx"}, {"values", 5}});
        CHECK(notText.status == 400);
        CHECK(f.http->get("/api/credentials").json().value("items").toArray().isEmpty());
    }
    SECTION("the secret is sealed in the file and absent from every answer") {
        const auto created = f.http->post(
            "/api/credentials", QJsonObject{{"type", "rfc2136"},
                                            {"title", "ns1 update key"},
                                            {"values", QJsonObject{{"server", "192.0.2.1"},
                                                                   {"keyName", "update-key."},
                                                                   {"secret", secret}}}});
        REQUIRE(created.status == 201);
        CHECK(created.body.find(secret.toStdString()) == std::string::npos);
        CHECK(created.json().value("secretFields").toArray() == QJsonArray{"secret"});
        CHECK(created.json().value("fields").toObject().value("algorithm") == "hmac-sha256");
        const QString file = QDir(f.service.dataDir()).filePath(QStringLiteral("credentials.json"));
        CHECK_FALSE(readFile(file).contains(secret.toUtf8()));
        CHECK((QFile::permissions(file) & (QFile::ReadGroup | QFile::ReadOther)) == 0);
        const QString key = QDir(f.service.dataDir()).filePath(QStringLiteral("machine.key"));
        CHECK(QFileInfo(key).size() == 32);
        CHECK((QFile::permissions(key) & (QFile::ReadGroup | QFile::ReadOther)) == 0);
        CHECK(f.http->get("/api/credentials").body.find(secret.toStdString()) == std::string::npos);

        const QString id = created.json().value("id").toString();
        const auto item = f.http->post(
            "/api/managedcertificates",
            QJsonObject{
                {"name", "uses it"},
                {"requestConfig",
                 QJsonObject{{"subjectAlternativeNames", QJsonArray{"a.example.com"}},
                             {"challenges", QJsonArray{QJsonObject{{"type", "dns-01"},
                                                                   {"provider", "rfc2136"},
                                                                   {"credentialId", id}}}}}}});
        REQUIRE(item.status == 201);
        const auto refused = f.http->del("/api/credentials/" + id.toStdString());
        CHECK(refused.status == 409);
        CHECK(refused.detail().contains(QStringLiteral("uses it")));
        REQUIRE(f.http
                    ->del("/api/managedcertificates/" +
                          item.json().value("id").toString().toStdString())
                    .status == 204);
        CHECK(f.http->del("/api/credentials/" + id.toStdString()).status == 204);
        CHECK(f.http->del("/api/credentials/" + id.toStdString()).status == 404);
    }
}

TEST_CASE("testing a stored credential says what was checked, or where it is checked instead",
          "[api][credentials]") {
    ApiFixture f;
    const QString secret = QStringLiteral("bm90LWZvci1hbnlvbmUtdG8tc2Vl");
    const auto create = [&](const char* type, const QJsonObject& values) {
        const auto created = f.http->post(
            "/api/credentials", QJsonObject{{"type", type}, {"title", type}, {"values", values}});
        REQUIRE(created.status == 201);
        return created.json().value("id").toString().toStdString();
    };
    const auto test = [&](const std::string& id) {
        return f.http->post("/api/credentials/" + id + "/test", QJsonObject{});
    };

    SECTION("passwords and EAB keys cannot be checked alone: the answer says where they are") {
        const std::pair<const char*, const char*> expected[] = {
            {"smtp-password", "Send test email"},
            {"pfx-password", "exported"},
        };
        for (const auto& [type, where] : expected) {
            const auto answer = test(create(type, QJsonObject{{"password", secret}}));
            CHECK(answer.status == 200);
            CHECK(answer.json().value("ok").isNull());
            CHECK(answer.json().value("message").toString().contains(QLatin1String(where)));
            CHECK(answer.body.find(secret.toStdString()) == std::string::npos);
        }
        const auto eab = test(create("eab", QJsonObject{{"keyId", "kid-1"}, {"hmacKey", secret}}));
        CHECK(eab.status == 200);
        CHECK(eab.json().value("ok").isNull());
        CHECK(eab.json().value("message").toString().contains(QLatin1String("registered")));
        CHECK(eab.body.find(secret.toStdString()) == std::string::npos);
    }
    SECTION("a DNS key without a zone is refused at the zone field, nothing is sent") {
        const std::string id = create(
            "rfc2136",
            QJsonObject{{"server", "192.0.2.1"}, {"keyName", "update-key."}, {"secret", secret}});
        const auto answer = test(id);
        CHECK(answer.status == 400);
        CHECK(answer.field() == QStringLiteral("zone"));
        CHECK(answer.detail().startsWith(QLatin1String("Give the zone in this credential")));
        CHECK(answer.body.find(secret.toStdString()) == std::string::npos);
    }
    SECTION("an unknown id is named") {
        const auto answer = test("no-such-credential");
        CHECK(answer.status == 404);
        CHECK(answer.detail().contains(QLatin1String("no-such-credential")));
    }
}

TEST_CASE("an item naming the retired BuyPass is kept and told what to choose instead",
          "[api][acme]") {
    ApiFixture f;
    const auto created = f.http->post(
        "/api/managedcertificates",
        QJsonObject{{"name", "old-buypass"},
                    {"certificateAuthorityId", "buypass"},
                    {"requestConfig",
                     QJsonObject{{"subjectAlternativeNames", QJsonArray{"old.example.com"}}}}});
    INFO(created.body);
    REQUIRE(created.status == 201); // kept: not refused, not changed
    const QString id = created.json().value("id").toString();
    CHECK(created.json().value("certificateAuthorityId").toString() == "buypass");

    // A request says what happened and what to choose, instead of "not configured".
    REQUIRE(f.http->post("/api/managedcertificates/" + id.toStdString() + "/request", {}).status ==
            202);
    QJsonObject item;
    for (int i = 0; i < 200; ++i) {
        item = f.http->get("/api/managedcertificates/" + id.toStdString()).json();
        if (item.value("lastRenewalStatus").toString() == "Error")
            break;
        QThread::msleep(50);
    }
    const QString failure = item.value("renewalFailureMessage").toString();
    INFO(failure.toStdString());
    CHECK(failure.contains("ended its ACME service in 2025"));
    CHECK(failure.contains("Let's Encrypt (letsencrypt)"));

    // At the next start, the notices (diagnostics, the app) name the item.
    REQUIRE(f.service.stop());
    REQUIRE(f.service.start());
    f.http = std::make_unique<RawHttp>(f.service.port(), f.service.token().toStdString());
    const QJsonArray notices =
        f.http->get("/api/system/diagnostics").json().value("notices").toArray();
    bool told = false;
    for (const auto& notice : notices)
        told = told ||
               (notice.toString().contains("BuyPass") && notice.toString().contains("old-buypass"));
    INFO(QJsonDocument(notices).toJson().toStdString());
    CHECK(told);
    CHECK(f.http->get("/api/managedcertificates/" + id.toStdString()).status == 200);
}
