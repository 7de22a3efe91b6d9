// A backup package moves a whole install: certificates issued by Pebble on one service are
// exported with certkeeper-cli, imported into a fresh data directory, and renew there with the
// restored account, CA and files (a reused key stays the same key). The restored account then
// rolls over its key with certkeeper-cli and still renews.

#include "CliRun.h"
#include "IssuanceFixture.h"

#include <catch2/catch.hpp>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QTemporaryDir>

using namespace ck::test;

TEST_CASE("a backup restored into a fresh install renews every item", "[e2e][backup][cli]") {
    IssuanceFixture f;
    const QString plain = f.createItem({QStringLiteral("plain.example.test")});
    const QString reused =
        f.createItem({QStringLiteral("reused.example.test")}, {{"reusePrivateKey", true}});
    const QJsonObject before[] = {requireIssued(f, f.requestAndWait(plain)),
                                  requireIssued(f, f.requestAndWait(reused))};

    QTemporaryDir scratch;
    QFile passphrase(scratch.filePath(QStringLiteral("passphrase")));
    REQUIRE(passphrase.open(QIODevice::WriteOnly));
    passphrase.write("a passphrase for the move\n");
    passphrase.close();
    const QString package = scratch.filePath(QStringLiteral("move.ckbackup"));
    const ToolResult exported = runCliAt(
        f.dataDir.path(), {QStringLiteral("backup"), QStringLiteral("export"),
                           QStringLiteral("--passphrase-file"), passphrase.fileName(), package});
    INFO(exported.describe().toStdString());
    REQUIRE(exported.ok());
    CHECK(QString::fromUtf8(exported.stdOut)
              .contains("2 certificates, 0 credentials, 1 custom CAs, 1 accounts"));

    // The new install takes over the challenge ports Pebble validates against.
    REQUIRE(f.service.stop());
    QTemporaryDir fresh;
    REQUIRE(QFile::copy(f.dataDir.filePath(QStringLiteral("serviceconfig.json")),
                        fresh.filePath(QStringLiteral("serviceconfig.json"))));
    ServiceProcess moved(fresh.path());
    REQUIRE(moved.start());
    const ToolResult imported = runCliAt(
        fresh.path(), {QStringLiteral("backup"), QStringLiteral("import"),
                       QStringLiteral("--passphrase-file"), passphrase.fileName(), package});
    INFO(imported.describe().toStdString());
    REQUIRE(imported.ok());

    RawHttp http(moved.port(), moved.token().toStdString());
    for (const auto& old : before) {
        const std::string path = "/api/managedcertificates/" + old["id"].toString().toStdString();
        const QJsonObject restored = http.get(path).json();
        INFO(old["name"].toString().toStdString());
        CHECK(restored["certificateSerial"] == old["certificateSerial"]);
        for (const char* key : {"certificatePath", "certificateFullChainPath", "certificateKeyPath",
                                "certificatePfxPath"}) {
            const QString file = restored[QLatin1String(key)].toString();
            CHECK(file.startsWith(fresh.filePath(QStringLiteral("assets"))));
            CHECK(IssuanceFixture::fileContents(file) ==
                  IssuanceFixture::fileContents(old[QLatin1String(key)].toString()));
            CHECK((QFileInfo(file).permissions() & (QFile::ReadGroup | QFile::ReadOther)) == 0);
        }
    }

    // Renewal on the new install: the account, the CA and its trusted root came along.
    for (const auto& old : before) {
        const ToolResult renewed =
            runCliAt(fresh.path(), {QStringLiteral("request"), old["id"].toString()});
        INFO(renewed.describe().toStdString());
        CHECK(renewed.ok());
    }
    const QJsonObject plainNow = http.get("/api/managedcertificates/" + plain.toStdString()).json();
    const QJsonObject reusedNow =
        http.get("/api/managedcertificates/" + reused.toStdString()).json();
    CHECK(plainNow["certificateSerial"] != before[0]["certificateSerial"]);
    CHECK(reusedNow["certificateSerial"] != before[1]["certificateSerial"]);
    CHECK(IssuanceFixture::fileContents(reusedNow["certificateKeyPath"].toString()) ==
          IssuanceFixture::fileContents(before[1]["certificateKeyPath"].toString()));
    CHECK(IssuanceFixture::fileContents(plainNow["certificateKeyPath"].toString()) !=
          IssuanceFixture::fileContents(before[0]["certificateKeyPath"].toString()));

    // The restored account gets a new key from the CLI and keeps working.
    const QString accountId = http.get("/api/accounts").json()["items"][0]["id"].toString();
    const ToolResult rolled =
        runCliAt(fresh.path(), {QStringLiteral("account"), QStringLiteral("rollover"), accountId,
                                QStringLiteral("--key"), QStringLiteral("ecdsa-p384")});
    INFO(rolled.describe().toStdString());
    REQUIRE(rolled.ok());
    CHECK(QString::fromUtf8(rolled.stdOut).contains("new ecdsa-p384 key"));
    const ToolResult afterRollover = runCliAt(fresh.path(), {QStringLiteral("request"), plain});
    INFO(afterRollover.describe().toStdString());
    CHECK(afterRollover.ok());
}
