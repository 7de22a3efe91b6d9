// What a user sees when a request cannot succeed: the CA cannot be reached or its TLS is not
// trusted, a challenge fails, the account key is damaged, the CA refuses a name. Each ends with
// an error on the item that names the step and what to do, nothing half-written in assets/, and
// the service still serving.

#include "IssuanceFixture.h"

#include <catch2/catch.hpp>

#include <QDir>
#include <QFile>
#include <QJsonArray>

using namespace ck::test;

TEST_CASE("a CA that cannot be reached", "[e2e][acme][failure]") {
    IssuanceFixture f;
    const QString id = f.createItem({QStringLiteral("down.example.test")});
    f.pebble->stop();
    requireCleanFailure(f, f.requestAndWait(id),
                        {QStringLiteral("directory"), QStringLiteral("connect")});
}

TEST_CASE("a CA whose TLS certificate is not trusted", "[e2e][acme][failure]") {
    IssuanceFixture f;
    const auto untrusted = f.http->post("/api/certificateauthorities",
                                        QJsonObject{{"id", "pebble-untrusted"},
                                                    {"title", "Pebble without its root"},
                                                    {"directoryUrl", f.pebble->directoryUrl()}});
    REQUIRE(untrusted.status == 201);
    const auto account =
        f.http->post("/api/accounts", QJsonObject{{"certificateAuthorityId", "pebble-untrusted"},
                                                  {"email", "admin@example.test"},
                                                  {"agreeToTerms", true}});
    CHECK(account.status == 502);
    CHECK(account.detail().contains(QStringLiteral("certificate verify failed")));
    CHECK(f.http->get("/api/accounts").json().value("items").toArray().size() == 1);
}

TEST_CASE("no account with the item's CA", "[e2e][acme][failure]") {
    IssuanceFixture f(IssuanceOptions::withoutAccount());
    const QString id = f.createItem({QStringLiteral("noaccount.example.test")});
    requireCleanFailure(f, f.requestAndWait(id),
                        {QStringLiteral("no ACME account"), QStringLiteral("Pebble")});
}

TEST_CASE("a challenge that fails validation", "[e2e][acme][failure]") {
    IssuanceFixture f;
    QTemporaryDir webroot; // nothing serves it: the CA's connection is refused
    const QString id =
        f.createItem({QStringLiteral("unserved.example.test")},
                     {{"challenges", QJsonArray{QJsonObject{{"type", "http-01"},
                                                            {"provider", "webroot"},
                                                            {"webrootPath", webroot.path()}}}}});
    requireCleanFailure(f, f.requestAndWait(id),
                        {QStringLiteral("validate"), QStringLiteral("unserved.example.test")});
    CHECK_FALSE(QDir(webroot.filePath(QStringLiteral(".well-known"))).exists());
    // A second attempt counts a second failure and stays clean.
    const QJsonObject again = f.requestAndWait(id);
    CHECK(again.value("renewalFailureCount").toInt() == 2);
}

TEST_CASE("a webroot that does not exist is reported before the CA is bothered",
          "[e2e][acme][failure]") {
    IssuanceFixture f;
    const QString id = f.createItem(
        {QStringLiteral("nowebroot.example.test")},
        {{"challenges", QJsonArray{QJsonObject{{"type", "http-01"},
                                               {"provider", "webroot"},
                                               {"webrootPath", "/nonexistent/www"}}}}});
    requireCleanFailure(f, f.requestAndWait(id),
                        {QStringLiteral("/nonexistent/www"), QStringLiteral("does not exist")});
}

TEST_CASE("a damaged account key", "[e2e][acme][failure]") {
    IssuanceFixture f;
    const QDir accounts(f.dataDir.filePath(QStringLiteral("accounts")));
    const QStringList keys = accounts.entryList({QStringLiteral("*.key")});
    REQUIRE(keys.size() == 1);
    QFile key(accounts.filePath(keys.first()));
    REQUIRE(key.open(QIODevice::WriteOnly | QIODevice::Truncate));
    key.write("-----BEGIN PRIVATE KEY-----\ngarbage\n-----END PRIVATE KEY-----\n");
    key.close();
    const QString id = f.createItem({QStringLiteral("badkey.example.test")});
    requireCleanFailure(f, f.requestAndWait(id),
                        {QStringLiteral("account"), QStringLiteral("key")});
}
