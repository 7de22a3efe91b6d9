// The revocation watch against Pebble: Pebble names an OCSP responder in what it issues, and the
// test runs that responder (`openssl ocsp`, answering from Pebble's own revocation state with
// the key of Pebble's intermediate). A certificate revoked behind Certkeeper's back (by certbot,
// with the certificate's key) is found, marked, notified in its log and renewed at once; a
// responder that is down or signs with another key changes nothing.

#include "IssuanceFixture.h"
#include "OcspResponder.h"

#include <catch2/catch.hpp>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QThread>
#include <QTimeZone>

using namespace ck::test;

namespace {

std::string str(const QString& s) {
    return s.toStdString();
}

IssuanceOptions withResponder(int port) {
    IssuanceOptions options;
    options.pebble.ocspResponderUrl = QStringLiteral("http://127.0.0.1:%1/").arg(port);
    // certbot revokes here, and Debian's certbot on Python 3.11 gives up on a second bad nonce
    // in a row (a quarter of its revocations at the fixture's usual 50%); the service's own
    // retrying of bad nonces is tested elsewhere.
    options.pebble.nonceRejectPercent = 0;
    return options;
}

// Pebble's revocation time ("2026-11-22 19:47:25.617881746 +0000 UTC") to a QDateTime.
QDateTime pebbleTime(const QString& text) {
    QDateTime at = QDateTime::fromString(text.left(19), QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    at.setTimeZone(QTimeZone::utc());
    return at;
}

struct Watched {
    IssuanceFixture& f;
    OcspResponder& responder;
    QString id;
    QJsonObject issued;

    std::string checkRoute() const {
        return "/api/managedcertificates/" + str(id) + "/revocationcheck";
    }
    QJsonObject checkNow() const {
        const auto answer = f.http->post(checkRoute(), QJsonObject{});
        INFO(answer.body);
        REQUIRE(answer.status == 200);
        return answer.json();
    }
    // The responder answers as Pebble's revocation state says now.
    void answerAsPebbleSays() const {
        const QString serial = issued.value("certificateSerial").toString();
        const QJsonObject status = f.pebble->certStatusBySerial(serial);
        REQUIRE_FALSE(status.isEmpty());
        const bool revoked = status.value("Status").toString() == QLatin1String("Revoked");
        const QStringList reasons{QStringLiteral("unspecified"), QStringLiteral("keyCompromise")};
        REQUIRE(responder.setStatus(
            serial, revoked ? pebbleTime(status.value("RevokedAt").toString()) : QDateTime(),
            revoked ? reasons.value(status.value("Reason").toInt(), QString()) : QString()));
    }
};

} // namespace

TEST_CASE("a certificate revoked behind Certkeeper's back is found, marked and renewed at once",
          "[e2e][revocation]") {
    const int port = freeLoopbackPort();
    IssuanceFixture f(withResponder(port));
    OcspResponder responder(port);
    const QByteArray intermediate = f.pebble->intermediatePem();
    responder.setIssuer(intermediate);
    responder.setSigner(intermediate, f.pebble->intermediateKeyPem());

    const QString id = f.createItem({QStringLiteral("watched.example.test")});
    const QJsonObject issued = requireIssued(f, f.requestAndWait(id));
    Watched w{f, responder, id, issued};
    w.answerAsPebbleSays();

    // Good: said once in the log, recorded on the item.
    const QJsonObject good = w.checkNow();
    INFO(str(f.itemLog(id)));
    CHECK(good.value("revocationStatus").toString() == "good");
    CHECK(good.value("revocationMessage").toString().contains(responder.url()));
    CHECK_FALSE(good.value("dateRevocationChecked").toString().isEmpty());
    CHECK_FALSE(good.value("certificateRevoked").toBool());
    CHECK(f.itemLog(id).count(QStringLiteral("Revocation check: Not revoked")) == 1);
    (void)w.checkNow();
    CHECK(f.itemLog(id).count(QStringLiteral("Revocation check: Not revoked")) == 1);

    // Revoked at Pebble by another tool holding the certificate's key.
    QTemporaryDir certbotDir;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("REQUESTS_CA_BUNDLE"), f.pebble->tlsRootFile());
    const ToolResult revoked =
        runTool(findProgram(QStringLiteral("certbot"), QStringLiteral("/usr/bin/certbot")),
                {QStringLiteral("revoke"), QStringLiteral("--non-interactive"),
                 QStringLiteral("--no-delete-after-revoke"), QStringLiteral("--server"),
                 f.pebble->directoryUrl(), QStringLiteral("--cert-path"),
                 issued.value("certificatePath").toString(), QStringLiteral("--key-path"),
                 issued.value("certificateKeyPath").toString(), QStringLiteral("--reason"),
                 QStringLiteral("keycompromise"), QStringLiteral("--config-dir"),
                 certbotDir.filePath(QStringLiteral("config")), QStringLiteral("--work-dir"),
                 certbotDir.filePath(QStringLiteral("work")), QStringLiteral("--logs-dir"),
                 certbotDir.filePath(QStringLiteral("logs"))},
                {}, 60000, environment);
    // certbot's own log says what the CA answered (its console hides ACME errors on Python 3.11).
    QFile certbotLog(certbotDir.filePath(QStringLiteral("logs/letsencrypt.log")));
    const QByteArray certbotLogText =
        certbotLog.open(QIODevice::ReadOnly) ? certbotLog.readAll().right(6000) : QByteArray();
    INFO(revoked.stdOut.toStdString()
         << revoked.stdErr.toStdString() << certbotLogText.toStdString());
    REQUIRE(revoked.exitCode == 0);
    w.answerAsPebbleSays();

    const QJsonObject found = w.checkNow();
    CHECK(found.value("revocationStatus").toString() == "revoked");
    CHECK(found.value("certificateRevoked").toBool());
    CHECK(found.value("revocationMessage").toString().contains("keyCompromise"));
    const QString log = f.itemLog(id);
    CHECK(log.contains(QStringLiteral("[ERR]")));
    CHECK(log.contains(QStringLiteral("Revoked on")));
    CHECK(log.contains(QStringLiteral("Renewing it now")));

    // Renewed at once: a new certificate, not revoked, whose check starts again.
    const QString oldThumbprint = issued.value("certificateThumbprint").toString();
    QJsonObject renewed;
    for (int waited = 0; waited < 60000; waited += 200) {
        renewed = f.item(id);
        if (renewed.value("certificateThumbprint").toString() != oldThumbprint &&
            renewed.value("lastRenewalStatus").toString() == "Success")
            break;
        QThread::msleep(200);
    }
    INFO(str(f.itemLog(id)));
    REQUIRE(renewed.value("certificateThumbprint").toString() != oldThumbprint);
    CHECK_FALSE(renewed.value("certificateRevoked").toBool());
    CHECK(renewed.value("revocationStatus").toString().isEmpty());
    CHECK(f.itemLog(id).contains(QStringLiteral("Renewal requested")));
}

TEST_CASE("a responder that is down, or answers with another key's signature, changes nothing",
          "[e2e][revocation]") {
    const int port = freeLoopbackPort();
    IssuanceFixture f(withResponder(port));
    OcspResponder responder(port);
    const QString id = f.createItem({QStringLiteral("doubted.example.test")});
    const QJsonObject issued = requireIssued(f, f.requestAndWait(id));
    Watched w{f, responder, id, issued};

    SECTION("down") {
        const QJsonObject item = w.checkNow();
        CHECK(item.value("revocationStatus").toString() == "error");
        CHECK(item.value("revocationMessage").toString().contains(responder.url()));
        CHECK_FALSE(item.value("certificateRevoked").toBool());
        CHECK(f.itemLog(id).contains(QStringLiteral("[WRN]")));
    }
    SECTION("a forged \"revoked\", signed by a key that is not the issuer's") {
        // The certificate's own key signs: a responder anyone holding that key could run.
        responder.setIssuer(f.pebble->intermediatePem());
        responder.setSigner(
            IssuanceFixture::fileContents(issued.value("certificatePath").toString()),
            IssuanceFixture::fileContents(issued.value("certificateKeyPath").toString()));
        REQUIRE(responder.setStatus(issued.value("certificateSerial").toString(),
                                    QDateTime::currentDateTimeUtc().addSecs(-60),
                                    QStringLiteral("keyCompromise")));
        const QJsonObject item = w.checkNow();
        CHECK(item.value("revocationStatus").toString() == "error");
        CHECK(item.value("revocationMessage")
                  .toString()
                  .contains("not signed by the certificate's "
                            "issuer"));
        CHECK_FALSE(item.value("certificateRevoked").toBool());
        CHECK(f.item(id).value("certificateThumbprint") == issued.value("certificateThumbprint"));
    }
    // An item with nothing to check yet says so.
    const QString fresh = f.createItem({QStringLiteral("fresh.example.test")});
    const auto refused =
        f.http->post("/api/managedcertificates/" + str(fresh) + "/revocationcheck", QJsonObject{});
    CHECK(refused.status == 422);
    CHECK(refused.body.find("no certificate to check") != std::string::npos);
}
