// POST /api/system/export and /api/system/import between two services with their own data
// directories: preview, skip or replace, wrong passphrase and damaged packages refused before
// anything is written, and the edition's limit.

#include "ApiFixture.h"
#include "DevLicense.h"
#include "crypto/SelfSigned.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>

using namespace ck::test;

namespace {
const QString kPassphrase = QStringLiteral("a long enough passphrase");
const QString kSecret = QStringLiteral("c2VjcmV0LXRzaWcta2V5LWZvci10ZXN0cw==");

// Three items, an RFC 2136 credential with a secret, a custom CA with a trusted root file.
void populate(const ApiFixture& f, const QTemporaryDir& scratch) {
    for (int i = 0; i < 3; ++i)
        REQUIRE(
            f.createItem(QString("Site %1").arg(i), {QString("s%1.example.com").arg(i)}).status ==
            201);
    REQUIRE(f.http
                ->post("/api/credentials",
                       QJsonObject{{"type", "rfc2136"},
                                   {"title", "ns1 update key"},
                                   {"values", QJsonObject{{"server", "192.0.2.1"},
                                                          {"keyName", "update-key."},
                                                          {"secret", kSecret}}}})
                .status == 201);
    QFile root(scratch.filePath("root.pem"));
    REQUIRE(root.open(QIODevice::WriteOnly));
    root.write(ck::crypto::createSelfSigned({"root.internal.example"}, 30).certPem);
    root.close();
    REQUIRE(f.http
                ->post("/api/certificateauthorities",
                       QJsonObject{{"id", "internal"},
                                   {"title", "Internal CA"},
                                   {"directoryUrl", "https://ca.internal.example/dir"},
                                   {"trustedRootFile", root.fileName()}})
                .status == 201);
}

QByteArray exportFrom(const ApiFixture& f) {
    const auto exported =
        f.http->post("/api/system/export", QJsonObject{{"passphrase", kPassphrase}});
    REQUIRE(exported.status == 200);
    CHECK(exported.json().value("warnings").toArray().isEmpty());
    return exported.json().value("package").toString().toLatin1();
}

RawResponse importInto(const ApiFixture& f, const QByteArray& package, bool preview,
                       const QString& existing = QStringLiteral("skip"),
                       const QString& passphrase = kPassphrase) {
    return f.http->post("/api/system/import", QJsonObject{{"package", QString::fromLatin1(package)},
                                                          {"passphrase", passphrase},
                                                          {"existing", existing},
                                                          {"preview", preview}});
}

int itemCount(const ApiFixture& f) {
    return f.http->get("/api/managedcertificates").json().value("total").toInt();
}

QStringList actions(const RawResponse& r) {
    QStringList out;
    for (const auto& v : r.json().value("entries").toArray())
        out << v.toObject()["kind"].toString() + ":" + v.toObject()["action"].toString();
    out.sort();
    return out;
}
} // namespace

TEST_CASE("a package moves items, credentials and custom CAs to another install", "[api][backup]") {
    QTemporaryDir scratch;
    ApiFixture a;
    populate(a, scratch);
    CHECK(a.http->post("/api/system/export", QJsonObject{{"passphrase", "short"}}).status == 422);
    const QByteArray package = exportFrom(a);
    CHECK(package.startsWith("CERTKEEPER-BACKUP 1\n"));
    CHECK_FALSE(package.contains(kSecret.toLatin1()));
    CHECK_FALSE(package.contains("Site 1"));

    ApiFixture b;
    const auto preview = importInto(b, package, true);
    REQUIRE(preview.status == 200);
    CHECK(actions(preview) == QStringList{"certificateAuthority:add", "credential:add", "item:add",
                                          "item:add", "item:add"});
    CHECK(itemCount(b) == 0); // a preview writes nothing
    CHECK(b.http->get("/api/credentials").json()["items"].toArray().isEmpty());

    REQUIRE(importInto(b, package, false).status == 200);
    const auto itemsA = a.http->get("/api/managedcertificates").json()["items"].toArray();
    const auto itemsB = b.http->get("/api/managedcertificates").json()["items"].toArray();
    REQUIRE(itemsB.size() == 3);
    QStringList idsA, idsB;
    for (const auto& v : itemsA)
        idsA << v.toObject()["id"].toString() + v.toObject()["name"].toString();
    for (const auto& v : itemsB)
        idsB << v.toObject()["id"].toString() + v.toObject()["name"].toString();
    idsA.sort();
    idsB.sort();
    CHECK(idsA == idsB);
    const auto credential = b.http->get("/api/credentials").json()["items"][0].toObject();
    CHECK(credential["title"].toString() == "ns1 update key");
    CHECK(credential["secretFields"].toArray() == QJsonArray{"secret"});
    const QString sealedFile = QDir(b.service.dataDir()).filePath("credentials.json");
    QFile sealed(sealedFile);
    REQUIRE(sealed.open(QIODevice::ReadOnly));
    CHECK_FALSE(sealed.readAll().contains(kSecret.toLatin1()));
    // The secret opens under B's own machine key: B can export it again without a warning.
    exportFrom(b);
    bool internal = false;
    for (const auto& v : b.http->get("/api/certificateauthorities").json()["items"].toArray())
        if (v.toObject()["id"].toString() == "internal") {
            internal = true;
            CHECK(v.toObject()["trustedRootFile"].toString().startsWith(b.service.dataDir()));
        }
    CHECK(internal);

    // Again: everything exists now, so it is skipped, or replaced when asked.
    CHECK(actions(importInto(b, package, false)) == QStringList{"certificateAuthority:skip",
                                                                "credential:skip", "item:skip",
                                                                "item:skip", "item:skip"});
    const auto replaced = importInto(b, package, false, QStringLiteral("replace"));
    CHECK(actions(replaced).count("item:replace") == 3);
    CHECK(itemCount(b) == 3);
    CHECK(b.http->get("/api/managedcertificates/" + itemsB[0]["id"].toString().toStdString())
              .json()
              .value("version")
              .toInt() == 2);
}

TEST_CASE("a wrong passphrase or a damaged package is refused before anything is written",
          "[api][backup]") {
    QTemporaryDir scratch;
    ApiFixture a;
    populate(a, scratch);
    const QByteArray package = exportFrom(a);
    ApiFixture b;

    const auto wrong =
        importInto(b, package, false, QStringLiteral("skip"), QStringLiteral("not the one"));
    CHECK(wrong.status == 422);
    CHECK(wrong.field() == "passphrase");
    CHECK(wrong.detail().contains("passphrase does not open"));

    const auto truncated = importInto(b, package.left(package.size() * 2 / 3), false);
    CHECK(truncated.status == 422);
    CHECK(truncated.field() == "package");
    CHECK(truncated.detail().contains("damaged"));

    QByteArray flipped = package;
    flipped[package.size() / 2] = char(flipped[package.size() / 2] ^ 0x10);
    const auto bitFlip = importInto(b, flipped, false);
    CHECK(bitFlip.status == 422);
    CHECK(bitFlip.detail().contains("damaged"));

    CHECK(importInto(b, "name,domains\nA,a.example.com\n", false)
              .detail()
              .contains("not a Certkeeper backup package"));
    CHECK(itemCount(b) == 0);
    CHECK(b.http->get("/api/credentials").json()["items"].toArray().isEmpty());
    CHECK_FALSE(QFile::exists(QDir(b.service.dataDir()).filePath("trustedroots")));
}

TEST_CASE("an import past the edition's limit is refused whole", "[api][backup][license]") {
    QTemporaryDir scratch;
    ApiFixture a;
    populate(a, scratch);
    const QByteArray package = exportFrom(a);
    ApiFixture b;
    for (int i = 0; i < 3; ++i)
        REQUIRE(
            b.createItem(QString("Local %1").arg(i), {QString("l%1.example.com").arg(i)}).status ==
            201);
    const auto preview = importInto(b, package, true);
    REQUIRE(preview.status == 200);
    CHECK(preview.json().value("limitProblem").toString().contains("3 more certificates"));
    const auto refused = importInto(b, package, false);
    CHECK(refused.status == 402);
    CHECK(itemCount(b) == 3);
    CHECK(b.http->get("/api/credentials").json()["items"].toArray().isEmpty());

    REQUIRE(activateDevLicense(b.service));
    REQUIRE(importInto(b, package, false).status == 200);
    CHECK(itemCount(b) == 6);
}
