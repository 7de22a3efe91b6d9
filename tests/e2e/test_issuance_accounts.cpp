// ACME accounts and certificates after issuance, against Pebble: revocation, account key
// rollover, External Account Binding, importing an account by its key, and issuance when the CA
// rejects half of all nonces.

#include "IssuanceFixture.h"

#include <catch2/catch.hpp>

#include <QFile>
#include <QJsonArray>

using namespace ck::test;

namespace {
std::string str(const QString& s) {
    return s.toStdString();
}

QByteArray readFile(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

TEST_CASE("revocation is confirmed by the CA and recorded on the item", "[e2e][acme][revoke]") {
    IssuanceFixture f;
    const QString id = f.createItem({QStringLiteral("revoke.example.test")});
    const QJsonObject issued = f.requestAndWait(id);
    requireIssued(f, issued);
    const QString serial = issued.value("certificateSerial").toString();
    CHECK(f.pebble->certStatusBySerial(serial).value("Status").toString() == "Valid");

    const std::string path = "/api/managedcertificates/" + str(id) + "/revoke";
    SECTION("an unknown reason is refused before the CA is asked") {
        const auto bad = f.http->post(path, QJsonObject{{"reason", 2}});
        CHECK(bad.status == 422);
        CHECK(bad.field() == "reason");
        CHECK(f.pebble->certStatusBySerial(serial).value("Status").toString() == "Valid");
    }
    SECTION("superseded") {
        const auto revoked = f.http->post(path, QJsonObject{{"reason", 4}});
        INFO(revoked.body);
        REQUIRE(revoked.status == 200);
        CHECK(revoked.json().value("certificateRevoked").toBool());
        const QJsonObject status = f.pebble->certStatusBySerial(serial);
        CHECK(status.value("Status").toString() == "Revoked");
        CHECK(status.value("Reason").toInt() == 4);
        CHECK(f.itemLog(id).contains(QStringLiteral("The CA revoked the certificate")));
        const auto again = f.http->post(path, QJsonObject{{"reason", 4}});
        CHECK(again.status == 409);
    }
}

TEST_CASE("revoking an item without a certificate says so", "[e2e][acme][revoke]") {
    IssuanceFixture f;
    const QString id = f.createItem({QStringLiteral("never.example.test")});
    const auto answer =
        f.http->post("/api/managedcertificates/" + str(id) + "/revoke", QJsonObject{});
    CHECK(answer.status == 422);
    CHECK(answer.detail().contains(QStringLiteral("no certificate to revoke")));
}

TEST_CASE("after an account key rollover the account still orders certificates",
          "[e2e][acme][account]") {
    IssuanceFixture f(IssuanceOptions::withoutAccount());
    const QJsonObject account = f.registerAccount();
    const QString accountId = account.value("id").toString();
    const QString keyFile = f.dataDir.filePath(QStringLiteral("accounts/%1.key").arg(accountId));
    const QByteArray oldKey = readFile(keyFile);
    REQUIRE_FALSE(oldKey.isEmpty());

    const auto rolled = f.http->post("/api/accounts/" + str(accountId) + "/rollover",
                                     QJsonObject{{"keyAlgorithm", "rsa2048"}});
    INFO(rolled.body);
    REQUIRE(rolled.status == 200);
    CHECK(rolled.json().value("keyAlgorithm").toString() == "rsa2048");
    CHECK(rolled.json().value("accountUrl") == account.value("accountUrl"));
    CHECK(readFile(keyFile) != oldKey);
    CHECK((QFile::permissions(keyFile) & (QFile::ReadOther | QFile::ReadGroup)) == 0);

    const QString id = f.createItem({QStringLiteral("after-rollover.example.test")});
    requireIssued(f, f.requestAndWait(id));

    // The old key no longer speaks for the account: importing with it is refused by the CA.
    const auto import = f.http->post("/api/accounts/import",
                                     QJsonObject{{"certificateAuthorityId", "pebble"},
                                                 {"accountKey", QString::fromUtf8(oldKey)}});
    CHECK(import.status == 502);
}

TEST_CASE("an account is imported by its key", "[e2e][acme][account]") {
    IssuanceFixture f(IssuanceOptions::withoutAccount());
    const QJsonObject account = f.registerAccount();
    const QString accountId = account.value("id").toString();
    const QByteArray key =
        readFile(f.dataDir.filePath(QStringLiteral("accounts/%1.key").arg(accountId)));
    REQUIRE(f.http->del("/api/accounts/" + str(accountId)).status == 204);

    const auto garbage =
        f.http->post("/api/accounts/import", QJsonObject{{"certificateAuthorityId", "pebble"},
                                                         {"accountKey", "not a key"}});
    CHECK(garbage.status == 422);
    CHECK(garbage.field() == "accountKey");

    const auto imported =
        f.http->post("/api/accounts/import", QJsonObject{{"certificateAuthorityId", "pebble"},
                                                         {"email", "admin@example.test"},
                                                         {"accountKey", QString::fromUtf8(key)}});
    INFO(imported.body);
    REQUIRE(imported.status == 201);
    CHECK(imported.json().value("accountUrl") == account.value("accountUrl"));
    const QString id = f.createItem({QStringLiteral("imported.example.test")});
    requireIssued(f, f.requestAndWait(id));
}

TEST_CASE("External Account Binding: refused without it, registered with it", "[e2e][acme][eab]") {
    IssuanceOptions options;
    options.registerAccount = false;
    options.pebble.eabRequired = true;
    // 32 bytes, base64url, as CAs hand out HMAC keys.
    const QString hmac =
        QStringLiteral("zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W");
    options.pebble.eabKeys.insert(QStringLiteral("kid-1"), hmac);
    IssuanceFixture f(options);

    const auto without =
        f.http->post("/api/accounts", QJsonObject{{"certificateAuthorityId", "pebble"},
                                                  {"email", "admin@example.test"},
                                                  {"agreeToTerms", true}});
    CHECK(without.status == 502);
    CHECK(without.detail().contains(QStringLiteral("externalAccountRequired")));

    const auto halfEab =
        f.http->post("/api/accounts", QJsonObject{{"certificateAuthorityId", "pebble"},
                                                  {"email", "admin@example.test"},
                                                  {"agreeToTerms", true},
                                                  {"eabKeyId", "kid-1"}});
    CHECK(halfEab.status == 422);
    CHECK(halfEab.field() == "eabHmacKey");

    const auto wrongKid =
        f.http->post("/api/accounts", QJsonObject{{"certificateAuthorityId", "pebble"},
                                                  {"email", "admin@example.test"},
                                                  {"agreeToTerms", true},
                                                  {"eabKeyId", "kid-2"},
                                                  {"eabHmacKey", hmac}});
    CHECK(wrongKid.status == 502);

    f.registerAccount({{"eabKeyId", "kid-1"}, {"eabHmacKey", hmac}});
    const QString id = f.createItem({QStringLiteral("eab.example.test")});
    requireIssued(f, f.requestAndWait(id));
}

TEST_CASE("orders running side by side all succeed while the CA rejects half of all nonces",
          "[e2e][acme][badnonce]") {
    IssuanceOptions options;
    options.pebble.nonceRejectPercent = 50;
    IssuanceFixture f(options);
    QStringList ids;
    for (int i = 0; i < 4; ++i)
        ids << f.createItem({QStringLiteral("nonce%1.example.test").arg(i)});
    for (const auto& id : ids) // all at once: their posts interleave at the CA
        f.startRequest(id);
    for (const auto& id : ids)
        requireIssued(f, f.waitUntilDone(id));
}
