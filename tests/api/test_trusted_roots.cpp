// A custom CA's trusted root file: only PEM certificates are accepted (a key, a password file or
// an empty file is refused when the CA is saved, naming the field and what the file holds), the
// certificates are kept in the CA's record from then on, and a backup package carries those
// certificates, not whatever the file holds later. Records that name only a file are read once
// at start and keep their certificates.

#include "ApiFixture.h"
#include "crypto/SelfSigned.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>

using namespace ck::test;

namespace {
const QString kPassphrase = QStringLiteral("correct horse battery staple");

QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& bytes) {
    const QString path = dir.filePath(name);
    QFile f(path);
    REQUIRE(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    REQUIRE(f.write(bytes) == bytes.size());
    return path;
}

RawResponse saveCa(const ApiFixture& f, const QString& rootFile) {
    return f.http->post("/api/certificateauthorities",
                        QJsonObject{{"id", "internal"},
                                    {"title", "Internal CA"},
                                    {"directoryUrl", "https://ca.internal.example/dir"},
                                    {"trustedRootFile", rootFile}});
}

QString trustedRootDetail(const RawResponse& r) {
    for (const QJsonValue e : r.json()["errors"].toArray())
        if (e["field"].toString() == QStringLiteral("trustedRootFile"))
            return e["detail"].toString();
    return {};
}

QJsonObject customCa(const ApiFixture& f, const QString& id) {
    for (const QJsonValue v : f.http->get("/api/certificateauthorities").json()["items"].toArray())
        if (v["id"].toString() == id)
            return v.toObject();
    return {};
}
} // namespace

TEST_CASE("A trusted root file must hold PEM certificates only", "[api][acme][roots]") {
    ApiFixture f;
    QTemporaryDir dir;
    const auto pair = ck::crypto::createSelfSigned({"root.internal.example"}, 30);
    const QList<std::pair<QString, QString>> refusals = {
        {writeFile(dir, "key.pem", pair.key.toPem()), "holds a private key"},
        {writeFile(dir, "bundle.pem", pair.certPem + pair.key.toPem()), "holds a private key"},
        {writeFile(dir, "shadow", "root:$6$salt$hash:19000:0:99999:7:::\ndaemon:*:19000::::::\n"),
         "is not a PEM certificate"},
        {writeFile(dir, "empty.pem", {}), "is not a PEM certificate"},
        {writeFile(dir, "broken.pem",
                   "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"),
         "does not parse"},
        {dir.filePath("missing.pem"), "cannot be read"},
    };
    for (const auto& [path, reason] : refusals) {
        INFO(path.toStdString());
        const auto refused = saveCa(f, path);
        CHECK(refused.status == 422);
        CHECK(trustedRootDetail(refused).contains(path));
        CHECK(trustedRootDetail(refused).contains(reason));
    }
    CHECK(customCa(f, "internal").isEmpty());

    const auto saved =
        saveCa(f, writeFile(dir, "root.pem", "# Internal root, 2026\n" + pair.certPem));
    REQUIRE(saved.status == 201);
    CHECK(saved.json()["trustedRootCertificates"].toString().toLatin1() == pair.certPem);
}

TEST_CASE("The certificates kept at save travel in a backup, not the file's later content",
          "[api][acme][roots][backup]") {
    QTemporaryDir dir;
    const auto pair = ck::crypto::createSelfSigned({"root.internal.example"}, 30);
    const QString rootFile = writeFile(dir, "root.pem", pair.certPem);
    ApiFixture a;
    REQUIRE(saveCa(a, rootFile).status == 201);
    // The file now holds a key: the CA keeps the certificate it was saved with.
    writeFile(dir, "root.pem", pair.key.toPem());

    const auto exported =
        a.http->post("/api/system/export", QJsonObject{{"passphrase", kPassphrase}});
    REQUIRE(exported.status == 200);
    ApiFixture b;
    const auto imported = b.http->post(
        "/api/system/import", QJsonObject{{"package", exported.json()["package"].toString()},
                                          {"passphrase", kPassphrase},
                                          {"preview", false}});
    REQUIRE(imported.status == 200);
    const QJsonObject ca = customCa(b, "internal");
    CHECK(ca["trustedRootCertificates"].toString().toLatin1() == pair.certPem);
    QFile restored(ca["trustedRootFile"].toString());
    REQUIRE(restored.open(QIODevice::ReadOnly));
    const QByteArray content = restored.readAll();
    CHECK(content == pair.certPem);
    CHECK_FALSE(content.contains("PRIVATE KEY"));
}

TEST_CASE("A CA saved before certificates were kept is read once at start", "[api][acme][roots]") {
    QTemporaryDir dir;
    const auto pair = ck::crypto::createSelfSigned({"root.internal.example"}, 30);
    const QString good = writeFile(dir, "root.pem", pair.certPem);
    const QString key = writeFile(dir, "key.pem", pair.key.toPem());
    ServiceProcess service;
    {
        const QJsonArray records{QJsonObject{{"id", "good"},
                                             {"title", "Good CA"},
                                             {"directoryUrl", "https://good.example/dir"},
                                             {"trustedRootFile", good}},
                                 QJsonObject{{"id", "keyed"},
                                             {"title", "Keyed CA"},
                                             {"directoryUrl", "https://keyed.example/dir"},
                                             {"trustedRootFile", key}}};
        QFile file(service.dataDir() + "/certificateauthorities.json");
        REQUIRE(file.open(QIODevice::WriteOnly));
        file.write(QJsonDocument(records).toJson());
    }
    REQUIRE(service.start());
    RawHttp http(service.port(), service.token().toStdString());
    QJsonObject goodCa, keyedCa;
    for (const QJsonValue v : http.get("/api/certificateauthorities").json()["items"].toArray()) {
        if (v["id"] == "good")
            goodCa = v.toObject();
        if (v["id"] == "keyed")
            keyedCa = v.toObject();
    }
    CHECK(goodCa["trustedRootCertificates"].toString().toLatin1() == pair.certPem);
    CHECK(keyedCa["trustedRootCertificates"].toString().isEmpty());
    QFile log(service.dataDir() + "/logs/service.exceptions.log");
    REQUIRE(log.open(QIODevice::ReadOnly));
    const QString warnings = QString::fromUtf8(log.readAll());
    CHECK(warnings.contains(QStringLiteral("The custom CA 'keyed' cannot be used: The file %1 "
                                           "holds a private key")
                                .arg(key)));
    // The migration was written: the next start does not need the file.
    QFile stored(service.dataDir() + "/certificateauthorities.json");
    REQUIRE(stored.open(QIODevice::ReadOnly));
    CHECK(stored.readAll().contains("BEGIN CERTIFICATE"));
}
