// The encrypted backup package: what is sealed opens with the passphrase and nothing else; a
// wrong passphrase is told apart from a damaged file; truncated, bit-flipped or edited packages
// are refused whole; hostile key-derivation settings are refused before any work.

#include "backup/BackupContents.h"
#include "backup/BackupPackage.h"

#include "crypto/Digest.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <catch2/catch.hpp>

using namespace ck::backup;

namespace {
// Cheap settings so the test runs quickly; the format carries them, the default is 2^17.
ck::crypto::ScryptParams fast() {
    ck::crypto::ScryptParams p;
    p.n = 1024;
    return p;
}

const QJsonObject kContents{{"format", 1},
                            {"items", QJsonArray{QJsonObject{{"name", "Shop"}}}},
                            {"secret", "tsig-secret-value"}};

OpenProblem problemOf(const QByteArray& package, const QByteArray& passphrase = "correct horse") {
    const auto opened = openPackage(package, passphrase);
    REQUIRE(std::holds_alternative<OpenFailure>(opened));
    return std::get<OpenFailure>(opened).problem;
}

// Recomputes the digest line, as someone editing the file on purpose would.
QByteArray withFreshDigest(QByteArray package) {
    const qsizetype digestAt = package.lastIndexOf("sha256:");
    const QByteArray body = package.left(digestAt);
    return body + "sha256:" + ck::crypto::sha256(body).toHex() + '\n';
}
} // namespace

TEST_CASE("a package opens with its passphrase and keeps no secret in clear", "[backup]") {
    const QByteArray package = sealPackage(kContents, "correct horse", fast());
    CHECK(package.startsWith("CERTKEEPER-BACKUP 1\n"));
    CHECK_FALSE(package.contains("tsig-secret-value"));
    CHECK_FALSE(package.contains("Shop"));
    const auto opened = openPackage(package, "correct horse");
    REQUIRE(std::holds_alternative<QJsonObject>(opened));
    CHECK(std::get<QJsonObject>(opened) == kContents);
    // Random salt and nonce: the same contents never give the same file.
    CHECK(sealPackage(kContents, "correct horse", fast()) != package);
}

TEST_CASE("the default key derivation is scrypt at 2^17", "[backup]") {
    const QByteArray package = sealPackage(kContents, "correct horse");
    const QJsonObject header = QJsonDocument::fromJson(package.split('\n').at(1)).object();
    CHECK(header.value("kdf").toString() == "scrypt");
    CHECK(header.value("n").toInteger() == 131072);
    CHECK(QByteArray::fromBase64(header.value("salt").toString().toLatin1()).size() == 16);
}

TEST_CASE("a wrong passphrase is reported as such", "[backup]") {
    const QByteArray package = sealPackage(kContents, "correct horse", fast());
    const auto opened = openPackage(package, "Correct horse");
    REQUIRE(std::holds_alternative<OpenFailure>(opened));
    const auto failure = std::get<OpenFailure>(opened);
    CHECK(failure.problem == OpenProblem::WrongPassphrase);
    CHECK(failure.message.contains("passphrase does not open"));
}

TEST_CASE("truncated and bit-flipped packages are refused as damaged", "[backup]") {
    const QByteArray package = sealPackage(kContents, "correct horse", fast());
    for (const qsizetype keep :
         {qsizetype(25), package.size() / 2, package.size() - 1, package.size() - 10}) {
        INFO("kept " << keep << " of " << package.size());
        CHECK(problemOf(package.left(keep)) == OpenProblem::Damaged);
    }
    // One bit flipped anywhere after the magic: in the header, the ciphertext or the digest.
    for (qsizetype at = 20; at < package.size() - 1; at += 7) {
        QByteArray flipped = package;
        flipped[at] = char(flipped[at] ^ 0x04);
        INFO("flipped byte " << at);
        CHECK(problemOf(flipped) == OpenProblem::Damaged);
    }
    CHECK(problemOf(package + "more\n") == OpenProblem::Damaged);
}

TEST_CASE("an edit with a recomputed checksum is still refused", "[backup]") {
    const QByteArray package = sealPackage(kContents, "correct horse", fast());
    QList<QByteArray> lines = package.split('\n');
    QByteArray sealed = QByteArray::fromBase64(lines[2]);
    sealed[sealed.size() - 20] = char(sealed[sealed.size() - 20] ^ 0x01);
    lines[2] = sealed.toBase64();
    const auto opened = openPackage(withFreshDigest(lines.join('\n')), "correct horse");
    REQUIRE(std::holds_alternative<OpenFailure>(opened));
    CHECK(std::get<OpenFailure>(opened).problem == OpenProblem::Damaged);
    CHECK(std::get<OpenFailure>(opened).message.contains("encrypted part was changed"));
}

TEST_CASE("hostile headers, other files and newer formats", "[backup]") {
    const QByteArray package = sealPackage(kContents, "correct horse", fast());
    QList<QByteArray> lines = package.split('\n');
    QJsonObject header = QJsonDocument::fromJson(lines[1]).object();
    header.insert("n", qint64(1) << 40); // would take forever and all memory
    lines[1] = QJsonDocument(header).toJson(QJsonDocument::Compact);
    CHECK(problemOf(withFreshDigest(lines.join('\n'))) == OpenProblem::Damaged);

    CHECK(problemOf("PK\x03\x04 a zip file") == OpenProblem::NotAPackage);
    CHECK(problemOf(QByteArray()) == OpenProblem::NotAPackage);
    QByteArray newer = package;
    newer.replace(0, 19, "CERTKEEPER-BACKUP 2");
    const auto opened = openPackage(newer, "correct horse");
    REQUIRE(std::holds_alternative<OpenFailure>(opened));
    CHECK(std::get<OpenFailure>(opened).problem == OpenProblem::NewerVersion);
    CHECK(std::get<OpenFailure>(opened).message.contains("Update Certkeeper"));
}

TEST_CASE("certificate file names as the service writes them are read back; others are refused",
          "[backup]") {
    // The service names a certificate's files with a random base64url prefix, which may begin
    // with '-' or '_' ("-Zq3_cert.pem"): such a package must restore.
    auto packageWithFile = [](const QString& name) {
        ck::ManagedCertificate item;
        item.id = QStringLiteral("0f1e2d3c-0000-4000-8000-000000000001");
        item.name = QStringLiteral("Shop");
        item.requestConfig.primaryDomain = QStringLiteral("shop.example.com");
        item.requestConfig.subjectAlternativeNames = {QStringLiteral("shop.example.com")};
        ck::backup::BackupContents contents;
        contents.items.append({item,
                               {{QStringLiteral("certificatePath"),
                                 ck::backup::PackagedFile{name, QByteArray("PEM")}}}});
        return contents.toJson();
    };
    for (const char* good : {"-Zq3xYw_cert.pem", "_Zq3xYw-cert.pem", "AbC123-key.pem"}) {
        INFO(good);
        QString problem;
        const auto read =
            ck::backup::BackupContents::fromJson(packageWithFile(QLatin1String(good)), &problem);
        CHECK(problem.isEmpty());
        REQUIRE(read.has_value());
        CHECK(read->items.first().files.value("certificatePath").name == QLatin1String(good));
    }
    for (const char* bad : {"../key.pem", "..", ".hidden", "dir/cert.pem", ""}) {
        INFO(bad);
        QString problem;
        CHECK_FALSE(
            ck::backup::BackupContents::fromJson(packageWithFile(QLatin1String(bad)), &problem)
                .has_value());
        CHECK(problem.contains(QStringLiteral("unusable name")));
    }
}
