#include "IssuanceFixture.h"

#include "ManagedProcess.h"
#include "model/PlainText.h"

#include <catch2/catch.hpp>

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QThread>

namespace ck::test {

namespace {
void writeFile(const QString& path, const QByteArray& content) {
    QFile f(path);
    REQUIRE(f.open(QIODevice::WriteOnly));
    f.write(content);
}
} // namespace

IssuanceFixture::IssuanceFixture(IssuanceOptions options) : service(dataDir.path()) {
    QString dnsServer;
    if (options.powerDns) {
        powerDns.emplace();
        if (!powerDns->start())
            FAIL("PowerDNS did not start: " << powerDns->errorString().toStdString());
        dnsServer = powerDns->dnsServer();
    } else if (options.bind9) {
        bind9.emplace(options.bind9Options);
        if (!bind9->start())
            FAIL("BIND9 did not start: " << bind9->errorString().toStdString());
        dnsServer = bind9->dnsServer();
    } else {
        challtestsrv.emplace();
        if (!challtestsrv->start())
            FAIL("challtestsrv did not start: " << challtestsrv->errorString().toStdString());
        dnsServer = challtestsrv->dnsAddress();
    }
    PebbleProcess::Options po = options.pebble;
    po.dnsServer = dnsServer;
    const auto ports = freeLoopbackPorts(2);
    if (po.httpPort == 0)
        po.httpPort = ports[0];
    if (po.tlsPort == 0)
        po.tlsPort = ports[1];
    pebble = std::make_unique<PebbleProcess>(po);
    if (!pebble->start())
        FAIL("Pebble did not start: " << pebble->errorString().toStdString());
    pebbleRootFile = dataDir.filePath(QStringLiteral("pebble-root.pem"));
    writeFile(pebbleRootFile, pebble->rootCertificatePem());

    // The service's challenge listeners on the ports Pebble connects to. The test DNS answers
    // 127.0.0.1 and ::1, and Pebble prefers ::1: listen on both. No local mail server: failure
    // mail to root never reaches a mail server of the machine running the tests (the notices'
    // tests give their own).
    QJsonObject config{{"httpChallengeServerHost", "::"},
                       {"httpChallengeServerPort", pebble->httpPort()},
                       {"tlsAlpnChallengeServerPort", pebble->tlsPort()},
                       {"dnsResolver", dnsServer},
                       {"localMailServer", ""}};
    for (auto it = options.serviceConfig.begin(); it != options.serviceConfig.end(); ++it)
        config.insert(it.key(), it.value());
    writeFile(dataDir.filePath(QStringLiteral("serviceconfig.json")),
              QJsonDocument(config).toJson());
    if (!options.automaticRenewal && !service.pauseAutomaticRenewal())
        FAIL("could not write settings.json in " << dataDir.path().toStdString());
    if (!options.serviceBinary.isEmpty() || !options.serviceEnvironment.isEmpty())
        service.useBinary(options.serviceBinary, options.serviceEnvironment);
    if (!service.start())
        FAIL("service did not start:\n" << service.output().toStdString());
    http = std::make_unique<RawHttp>(service.port(), service.token().toStdString());

    addCa(QStringLiteral("pebble"), QStringLiteral("Pebble"), pebble->directoryUrl());
    if (options.registerAccount)
        registerAccount();
}

void IssuanceFixture::addCa(const QString& id, const QString& title, const QString& directoryUrl) {
    const auto ca = http->post("/api/certificateauthorities",
                               QJsonObject{{"id", id},
                                           {"title", title},
                                           {"directoryUrl", directoryUrl},
                                           {"trustedRootFile", pebble->tlsRootFile()}});
    INFO(ca.body);
    REQUIRE(ca.status == 201);
}

QJsonObject IssuanceFixture::registerAccount(const QJsonObject& extra) {
    QJsonObject body{{"certificateAuthorityId", "pebble"},
                     {"email", "admin@example.test"},
                     {"agreeToTerms", true}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        body.insert(it.key(), it.value());
    const auto account = http->post("/api/accounts", body);
    INFO(account.body);
    REQUIRE(account.status == 201);
    return account.json();
}

QString IssuanceFixture::createItem(const QStringList& domains, const QJsonObject& requestConfig,
                                    const QJsonObject& itemFields) {
    QJsonObject rc{{"subjectAlternativeNames", QJsonArray::fromStringList(domains)}};
    for (auto it = requestConfig.begin(); it != requestConfig.end(); ++it)
        rc.insert(it.key(), it.value());
    QJsonObject body{
        {"name", domains.first()}, {"certificateAuthorityId", "pebble"}, {"requestConfig", rc}};
    for (auto it = itemFields.begin(); it != itemFields.end(); ++it)
        body.insert(it.key(), it.value());
    const auto created = http->post("/api/managedcertificates", body);
    INFO(created.body);
    REQUIRE(created.status == 201);
    return created.json().value("id").toString();
}

QJsonObject IssuanceFixture::item(const QString& id) const {
    return http->get("/api/managedcertificates/" + id.toStdString()).json();
}

void IssuanceFixture::startRequest(const QString& id) {
    const auto started =
        http->post("/api/managedcertificates/" + id.toStdString() + "/request", QJsonObject{});
    INFO(started.body);
    REQUIRE(started.status == 202);
}

QJsonObject IssuanceFixture::waitUntilDone(const QString& id, int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        const QJsonObject current = item(id);
        const QString status = current.value("lastRenewalStatus").toString();
        if (status != QLatin1String("Queued") && status != QLatin1String("Running"))
            return current;
        if (deadline.hasExpired())
            FAIL("the request did not finish in " << timeoutMs << " ms; log:\n"
                                                  << itemLog(id).toStdString());
        QThread::msleep(50);
    }
}

QString IssuanceFixture::itemLog(const QString& id) const {
    QFile f(dataDir.filePath(QStringLiteral("logs/log_%1.txt").arg(id)));
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

QByteArray IssuanceFixture::fileContents(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QString IssuanceFixture::createCredential(const QString& type, const QJsonObject& values) {
    const auto created = http->post(
        "/api/credentials", QJsonObject{{"type", type}, {"title", type}, {"values", values}});
    INFO(created.body);
    REQUIRE(created.status == 201);
    return created.json().value("id").toString();
}

QString IssuanceFixture::opensslVerify(const QString& rootFile, const QString& fullChainFile) {
    // The leaf is the first block of the full chain; the rest are untrusted intermediates.
    const auto result = runTool(findProgram(QStringLiteral("openssl")),
                                {QStringLiteral("verify"), QStringLiteral("-CAfile"), rootFile,
                                 QStringLiteral("-untrusted"), fullChainFile, fullChainFile});
    return QString::fromUtf8(result.stdOut + result.stdErr).trimmed();
}

QJsonObject dnsRule(const QString& provider, const QString& credentialId,
                    const QJsonObject& parameters, const QString& domainMatch) {
    return {{"type", "dns-01"},
            {"provider", provider},
            {"credentialId", credentialId},
            {"domainMatch", domainMatch},
            {"parameters", parameters}};
}

QJsonObject challenges(const QJsonArray& rules) {
    return {{"challenges", rules}};
}

QJsonObject requireIssued(const IssuanceFixture& f, const QJsonObject& item) {
    INFO(f.itemLog(item.value("id").toString()).toStdString());
    REQUIRE(item.value("lastRenewalStatus").toString() == "Success");
    REQUIRE(item.value("renewalFailureMessage").toString().isEmpty());
    return item;
}

void requireCertificateFor(const IssuanceFixture& f, const QJsonObject& item,
                           const QSet<QString>& names) {
    requireIssued(f, item);
    QSet<QString> domains;
    for (const auto& v : item.value("certificateDomains").toArray())
        domains.insert(v.toString());
    CHECK(domains == names);
    CHECK(IssuanceFixture::opensslVerify(f.pebbleRootFile,
                                         item.value("certificateFullChainPath").toString())
              .endsWith(": OK"));
}

void requireCleanFailure(const IssuanceFixture& f, const QJsonObject& item,
                         const QStringList& words) {
    const QString id = item.value("id").toString();
    const QString message = item.value("renewalFailureMessage").toString();
    INFO("message: " << message.toStdString() << "\nlog:\n" << f.itemLog(id).toStdString());
    REQUIRE(item.value("lastRenewalStatus").toString() == "Error");
    CHECK(item.value("renewalFailureCount").toInt() == 1);
    for (const auto& word : words) {
        INFO("expected: " << word.toStdString());
        CHECK(message.contains(word, Qt::CaseInsensitive));
    }
    CHECK(item.value("certificatePath").toString().isEmpty());
    const QDir assets(f.dataDir.filePath(QStringLiteral("assets/") + id));
    CHECK(assets.entryList(QDir::NoDotAndDotDot | QDir::AllEntries).isEmpty());
    // The log holds it on one line: a message's line breaks are written as "\n".
    CHECK(f.itemLog(id).contains(escapeForLine(message)));
    CHECK(f.http->get("/api/system/appversion").status == 200);
}

} // namespace ck::test
