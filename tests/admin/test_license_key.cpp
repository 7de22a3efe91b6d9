// License keys: what the vendor's tool signs is accepted, and each kind of bad key is refused
// with its own explanation.

#include "DevLicense.h"
#include "crypto/Ed25519.h"
#include "licensing/LicenseKey.h"

#include <QFile>

#include <catch2/catch.hpp>

using namespace ck;
using namespace ck::licensing;

namespace {
const QDateTime kNow = QDateTime(QDate(2026, 6, 1), QTime(12, 0), Qt::UTC);

QByteArray devPublicKey() {
    QFile file(test::devPrivateKeyPath());
    REQUIRE(file.open(QIODevice::ReadOnly));
    return crypto::ed25519PublicKey(file.readAll());
}

KeyRefusal refusalOf(const QString& key) {
    const auto checked = checkLicenseKey(key, devPublicKey(), kNow);
    REQUIRE(std::holds_alternative<KeyRefusal>(checked));
    return std::get<KeyRefusal>(checked);
}
} // namespace

TEST_CASE("the development key is the one built in, and it signs keys that are accepted",
          "[license]") {
    CHECK(builtInPublicKey() == devPublicKey());
    CHECK(builtInKeyIsDevelopmentKey());
    const QString key = test::devLicenseKey(50, kNow.addDays(30));
    CHECK(key.startsWith(QLatin1String(kLicenseKeyPrefix)));
    // Pasted from a mail: broken over lines and indented.
    const QString pasted = QStringLiteral("  ") + key.left(20) + QStringLiteral("\n   ") +
                           key.mid(20) + QStringLiteral("\r\n");
    const auto checked = checkLicenseKey(pasted, builtInPublicKey(), kNow);
    REQUIRE(std::holds_alternative<LicensePayload>(checked));
    const auto payload = std::get<LicensePayload>(checked);
    CHECK(payload.licensee == "tests@example.com");
    CHECK(payload.edition == "professional");
    CHECK(payload.itemLimit == 50);
    CHECK(payload.expires == kNow.addDays(30));
}

TEST_CASE("garbled keys say so and how to fix it", "[license]") {
    const QString key = test::devLicenseKey();
    for (const QString& garbled :
         {QString(), QStringLiteral("hello"), key.mid(4), key.left(key.lastIndexOf(u'.')),
          key + QStringLiteral(".extra"), key.left(10) + QStringLiteral("!") + key.mid(11),
          QStringLiteral("CK1.") + QStringLiteral("bm90IGpzb24") + QStringLiteral(".AAAA")}) {
        INFO(garbled.toStdString());
        const auto refusal = refusalOf(garbled);
        CHECK(refusal.problem == KeyProblem::Garbled);
        CHECK(refusal.message.contains("not a complete Certkeeper license key"));
        CHECK(refusal.message.contains("CK1."));
    }
}

TEST_CASE("a key signed with another key, or changed after signing, is refused", "[license]") {
    LicensePayload payload;
    payload.licensee = QStringLiteral("mallory@example.com");
    payload.edition = QStringLiteral("enterprise");
    payload.keyId = QStringLiteral("forged");
    const QString forged = signLicenseKey(payload, crypto::ed25519Generate().privateKeyPem);
    auto refusal = refusalOf(forged);
    CHECK(refusal.problem == KeyProblem::BadSignature);
    CHECK(refusal.message.contains("signature does not match"));

    // The payload of one valid key with the signature of another.
    const QString a = test::devLicenseKey(5);
    const QString b = test::devLicenseKey(0);
    refusal = refusalOf(b.left(b.lastIndexOf(u'.')) + a.mid(a.lastIndexOf(u'.')));
    CHECK(refusal.problem == KeyProblem::BadSignature);
}

TEST_CASE("a key for another product, and an expired key, each say so", "[license]") {
    auto refusal = refusalOf(
        test::devLicenseKey(0, {}, QStringLiteral("professional"), QStringLiteral("otherproduct")));
    CHECK(refusal.problem == KeyProblem::OtherProduct);
    CHECK(refusal.message.contains("“otherproduct”, not for Certkeeper"));

    refusal = refusalOf(test::devLicenseKey(0, kNow.addSecs(-1)));
    CHECK(refusal.problem == KeyProblem::Expired);
    CHECK(refusal.message.contains("expired on 2026-06-01"));
    CHECK(refusal.message.contains("renewed key"));
}

// Keys a user pastes from anywhere: huge, with NULs, control and bidirectional characters, or
// payloads that are JSON of another shape. Each is refused with a short message that does not
// repeat what was pasted.
TEST_CASE("hostile keys are refused in a few words, never echoed back", "[license][hostile]") {
    const QString key = test::devLicenseKey();
    const QString payload = key.section(u'.', 1, 1);
    const QString signature = key.section(u'.', 2, 2);
    const auto b64 = [](const QByteArray& json) {
        return QString::fromLatin1(
            json.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    };
    const QStringList hostile = {
        QStringLiteral("CK1.") + QString(1 << 20, u'A') + u'.' + signature,
        key.left(12) + QChar(u'\0') + key.mid(12),
        key.left(12) + QChar(0x202E) + key.mid(12), // right-to-left override
        key + QStringLiteral("\x1b[31m"),
        QStringLiteral("CK1.") + b64("[1, 2, 3]") + u'.' + signature,
        QStringLiteral("CK1.") + b64(R"({"licensee": 7, "itemLimit": "many"})") + u'.' + signature,
        QStringLiteral("CK1.") + payload + u'.' + QString(100000, u'A'),
        QStringLiteral("CK1..."),
    };
    for (const QString& bad : hostile) {
        INFO(bad.left(80).toStdString());
        const auto refusal = refusalOf(bad);
        CHECK_FALSE(refusal.message.isEmpty());
        CHECK(refusal.message.size() < 400);
        CHECK_FALSE(refusal.message.contains(payload));
    }
}

// Found by fuzzing (tests/fuzz/corpus/license_key/crash-other-product-controls.json): the
// product is read, and quoted, before the signature is checked, so anyone can put any text
// there. A name that is long or holds control or direction characters is not repeated.
TEST_CASE("a key for another product quotes its name only when it is short, plain text",
          "[license][hostile]") {
    const QStringList hostile = {
        QStringLiteral("certkeep") + QString(40, QChar(0x07)) + QStringLiteral("er-plus"),
        QStringLiteral("certkeeper\u202Eplus"),
        QStringLiteral("a\nLicense accepted: enterprise"),
        QString(5000, u'x'),
    };
    for (const QString& product : hostile) {
        const auto refusal =
            refusalOf(test::devLicenseKey(0, {}, QStringLiteral("professional"), product));
        CHECK(refusal.problem == KeyProblem::OtherProduct);
        CHECK(refusal.message.startsWith(
            QStringLiteral("This license key is for another product, not for Certkeeper.")));
        CHECK(refusal.message.size() < 200);
    }
}
