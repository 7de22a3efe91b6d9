// ACME Renewal Information (RFC 9773) and profiles (draft-ietf-acme-profiles) end to end: the real
// service against the real Pebble. Debian's Pebble 2.4 has neither extension, so the service
// talks to Pebble through AcmeExtensionProxy (support/), a small HTTPS proxy in this test suite
// that announces renewalInfo and meta.profiles in the directory, answers renewalInfo itself with
// a window the test chooses and records what the service sent; the orders themselves are still
// validated and issued by Pebble. "Plain Pebble" below is the same proxy announcing nothing, so
// the test can also see that nothing extra was sent.

#include "ManagedProcess.h"
#include "ProxiedCa.h"

#include <catch2/catch.hpp>

using namespace ck::test;

namespace {
std::string str(const QString& s) {
    return s.toStdString();
}

// The Pebble behind `proxy`, known to the service as the CA "ari" with an account there.
struct AriSetup : ProxiedCa {
    explicit AriSetup(AcmeProxyOptions options = {})
        : ProxiedCa(QStringLiteral("ari"), QStringLiteral("Pebble with ARI and profiles"),
                    std::move(options)) {}

    QString createItem(const QString& name, const QJsonObject& requestConfig = {}) {
        return ProxiedCa::createItem({name}, requestConfig);
    }
};

QDateTime dateOf(const QJsonObject& item, const char* key) {
    return QDateTime::fromString(item.value(QLatin1String(key)).toString(), Qt::ISODateWithMs);
}

QString base64Url(const QByteArray& bytes) {
    return QString::fromLatin1(
        bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

// RFC 9773 §4.1 computed from what the openssl tool prints: the AKI key id, and the serial with
// the 0x00 that DER puts before a serial whose top bit is set.
QString opensslAriId(const QString& certPath) {
    const QString openssl = findProgram(QStringLiteral("openssl"));
    const ToolResult aki = runTool(
        openssl, {QStringLiteral("x509"), QStringLiteral("-in"), certPath, QStringLiteral("-noout"),
                  QStringLiteral("-ext"), QStringLiteral("authorityKeyIdentifier")});
    const ToolResult serial =
        runTool(openssl, {QStringLiteral("x509"), QStringLiteral("-in"), certPath,
                          QStringLiteral("-noout"), QStringLiteral("-serial")});
    REQUIRE(aki.ok());
    REQUIRE(serial.ok());
    // "X509v3 Authority Key Identifier: \n    AB:CD:..." (older openssl: "keyid:AB:CD:...").
    QByteArray keyId = aki.stdOut.split('\n').value(1).trimmed();
    keyId = QByteArray::fromHex(keyId.replace("keyid:", "").replace(':', ""));
    QByteArray serialBytes = QByteArray::fromHex(serial.stdOut.trimmed().mid(7)); // "serial="
    REQUIRE_FALSE(keyId.isEmpty());
    REQUIRE_FALSE(serialBytes.isEmpty());
    if (static_cast<unsigned char>(serialBytes.at(0)) & 0x80)
        serialBytes.prepend('\0');
    return base64Url(keyId) + u'.' + base64Url(serialBytes);
}
} // namespace

TEST_CASE("ARI: the service asks for the window of the certificate as openssl names it, and "
          "records it",
          "[e2e][acme][ari]") {
    AriSetup s;
    RenewalInfoAnswer answer;
    answer.start = QDateTime::currentDateTimeUtc().addDays(40);
    answer.end = answer.start.addSecs(36 * 3600);
    answer.explanationUrl = QStringLiteral("https://127.0.0.1/docs/ari-explained");
    s.proxy.setRenewalInfoAnswer(answer);

    const QString id = s.createItem(QStringLiteral("ari.example.test"));
    const QJsonObject item = s.issue(id);
    const QString expected = opensslAriId(item.value("certificatePath").toString());
    CHECK(item.value("ariCertificateId").toString() == expected);
    CHECK(s.proxy.renewalInfoRequests() == QStringList{expected});
    CHECK(dateOf(item, "ariWindowStart") == answer.start);
    CHECK(dateOf(item, "ariWindowEnd") == answer.end);
    CHECK(item.value("ariExplanationUrl").toString() == answer.explanationUrl);
    // A first certificate replaces nothing, and no profile was asked for.
    const auto orders = s.proxy.newOrderPayloads();
    REQUIRE(orders.size() == 1);
    CHECK_FALSE(orders[0].contains("replaces"));
    CHECK_FALSE(orders[0].contains("profile"));
    CHECK(s.f.itemLog(id).contains(QStringLiteral("The CA suggests renewing between")));
}

TEST_CASE("ARI: a renewal names the certificate it replaces", "[e2e][acme][ari]") {
    AriSetup s;
    const QString id = s.createItem(QStringLiteral("renew.example.test"));
    const QString firstId = s.issue(id).value("ariCertificateId").toString();
    REQUIRE_FALSE(firstId.isEmpty());

    const QJsonObject renewed = s.issue(id);
    const QString secondId = renewed.value("ariCertificateId").toString();
    const auto orders = s.proxy.newOrderPayloads();
    REQUIRE(orders.size() == 2);
    CHECK(orders[1].value("replaces").toString() == firstId);
    CHECK(secondId != firstId);
    CHECK(secondId == opensslAriId(renewed.value("certificatePath").toString()));
    CHECK(s.proxy.renewalInfoRequests() == QStringList{firstId, secondId});
    CHECK(
        s.f.itemLog(id).contains(QStringLiteral("The order replaces the certificate ") + firstId));
}

TEST_CASE("ARI: when the CA refuses `replaces`, the order is placed once more without it",
          "[e2e][acme][ari]") {
    AriSetup s;
    s.proxy.setRefuseReplaces(true); // 409 alreadyReplaced to any order naming a certificate
    const QString id = s.createItem(QStringLiteral("refused.example.test"));
    const QString firstId = s.issue(id).value("ariCertificateId").toString();
    s.issue(id);
    const auto orders = s.proxy.newOrderPayloads();
    REQUIRE(orders.size() == 3);
    CHECK(orders[1].value("replaces").toString() == firstId);
    CHECK_FALSE(orders[2].contains("replaces"));
    const QString log = s.f.itemLog(id);
    CHECK(log.contains(QStringLiteral("ordering again without naming it")));
    CHECK(log.contains(QStringLiteral("alreadyReplaced")));
}

TEST_CASE("ARI: renewal information the CA cannot give does not fail the issuance",
          "[e2e][acme][ari]") {
    AriSetup s;
    RenewalInfoAnswer broken;
    broken.status = 500;
    s.proxy.setRenewalInfoAnswer(broken);
    const QString id = s.createItem(QStringLiteral("noari.example.test"));
    const QJsonObject item = s.issue(id);
    CHECK(s.proxy.renewalInfoRequests().size() == 1);
    CHECK_FALSE(item.value("ariCertificateId").toString().isEmpty());
    CHECK(item.value("ariWindowStart").isNull());
    CHECK(item.value("ariWindowEnd").isNull());
    CHECK(s.f.itemLog(id).contains(QStringLiteral("renewal information could not be read")));
}

TEST_CASE("ARI: a busy answer's Retry-After is waited out", "[e2e][acme][ari]") {
    AriSetup s;
    RenewalInfoAnswer busyOnce;
    busyOnce.busyAnswers = 1; // 503 with Retry-After: 1, then the window
    s.proxy.setRenewalInfoAnswer(busyOnce);
    const QString id = s.createItem(QStringLiteral("busy.example.test"));
    const QJsonObject item = s.issue(id);
    const QString certId = item.value("ariCertificateId").toString();
    CHECK(s.proxy.renewalInfoRequests() == QStringList{certId, certId});
    CHECK(dateOf(item, "ariWindowStart") == busyOnce.start);
    CHECK_FALSE(s.f.itemLog(id).contains(QStringLiteral("could not be read")));
}

TEST_CASE("profiles: a profile the directory lists is sent in newOrder", "[e2e][acme][profiles]") {
    AriSetup s;
    const QString id =
        s.createItem(QStringLiteral("profile.example.test"), {{"acmeProfile", "shortlived"}});
    s.issue(id);
    const auto orders = s.proxy.newOrderPayloads();
    REQUIRE(orders.size() == 1);
    CHECK(orders[0].value("profile").toString() == "shortlived");
    CHECK(s.f.itemLog(id).contains(QStringLiteral("'shortlived' profile")));
}

TEST_CASE("profiles: a profile the CA does not offer fails before ordering, naming what it offers",
          "[e2e][acme][profiles]") {
    AriSetup s;
    const QString id =
        s.createItem(QStringLiteral("noprofile.example.test"), {{"acmeProfile", "tlsserver"}});
    QJsonObject item = s.f.requestAndWait(id);
    QString message = item.value("renewalFailureMessage").toString();
    INFO(str(message));
    CHECK(item.value("lastRenewalStatus").toString() == "Error");
    CHECK(message.contains(QStringLiteral("'tlsserver'")));
    CHECK(message.contains(QStringLiteral("classic")));
    CHECK(message.contains(QStringLiteral("shortlived")));
    CHECK(s.proxy.newOrderPayloads().isEmpty());

    // A CA that announces no profiles at all says so.
    s.proxy.setOptions(AcmeProxyOptions{.renewalInfo = true, .profiles = {}});
    item = s.f.requestAndWait(id);
    message = item.value("renewalFailureMessage").toString();
    CHECK(item.value("lastRenewalStatus").toString() == "Error");
    CHECK(message.contains(QStringLiteral("offers no certificate profiles")));
    CHECK(s.proxy.newOrderPayloads().isEmpty());
}

TEST_CASE("ARI and profiles: plain Pebble, which announces neither, issues and renews as before",
          "[e2e][acme][ari][profiles]") {
    AriSetup s(AcmeProxyOptions{.renewalInfo = false, .profiles = {}});
    const QString id = s.createItem(QStringLiteral("plain.example.test"));
    s.issue(id);
    const QJsonObject renewed = s.issue(id);
    const auto orders = s.proxy.newOrderPayloads();
    REQUIRE(orders.size() == 2);
    for (const auto& order : orders) {
        CHECK_FALSE(order.contains("replaces"));
        CHECK_FALSE(order.contains("profile"));
    }
    CHECK(s.proxy.renewalInfoRequests().isEmpty());
    CHECK(renewed.value("ariWindowStart").isNull());
    CHECK_FALSE(s.f.itemLog(id).contains(QStringLiteral("renewal information")));
}
