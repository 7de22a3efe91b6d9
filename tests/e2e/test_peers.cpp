// The end-to-end peers themselves: each starts for real, answers, and leaves nothing behind.
#include "Bind9Process.h"
#include "ChallTestSrvProcess.h"
#include "DnsWire.h"
#include "ManagedProcess.h"
#include "PebbleProcess.h"
#include "SyncHttp.h"

#include <catch2/catch.hpp>

#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QTemporaryDir>
#include <QThread>

#include <set>

using namespace ck::test;

namespace {

std::string str(const QString& text) {
    return text.toStdString();
}

// An RFC 2136 UPDATE of one TXT RRset, signed per RFC 8945 (TSIG, hmac-sha256) unless
// `secretBase64` is empty. `add`: add `value`; otherwise delete the whole RRset.
QByteArray buildUpdate(const Bind9Process& bind, const QString& name, const QString& value,
                       bool add, const QString& secretBase64) {
    using namespace ck::test::dns;
    const quint16 id = 0x4242;
    QByteArray msg;
    appendU16(msg, id);
    appendU16(msg, 5 << 11); // opcode UPDATE
    appendU16(msg, 1);       // zone section
    appendU16(msg, 0);       // prerequisites
    appendU16(msg, 1);       // updates
    appendU16(msg, 0);       // additional (the TSIG is counted below)
    msg += encodeName(bind.zone());
    appendU16(msg, SOA);
    appendU16(msg, IN);
    msg += encodeName(name);
    appendU16(msg, TXT);
    const QByteArray text = value.toUtf8();
    appendU16(msg, add ? IN : ANY); // class ANY, TTL 0, no data: delete the RRset
    appendU32(msg, add ? 60 : 0);
    appendU16(msg, add ? quint16(text.size() + 1) : 0);
    if (add)
        msg.append(char(text.size())).append(text);
    if (secretBase64.isEmpty())
        return msg;

    const QByteArray keyName = encodeName(bind.keyName());
    const QByteArray algorithm = encodeName(bind.algorithm());
    const auto now = quint64(QDateTime::currentSecsSinceEpoch());
    QByteArray timeAndFudge;
    appendU16(timeAndFudge, quint16(now >> 32));
    appendU32(timeAndFudge, quint32(now & 0xFFFFFFFF));
    appendU16(timeAndFudge, 300);
    QByteArray variables = keyName; // RFC 8945 4.3.3: what the MAC covers after the message
    appendU16(variables, ANY);
    appendU32(variables, 0);
    variables += algorithm + timeAndFudge;
    appendU16(variables, 0); // error
    appendU16(variables, 0); // other len
    const QByteArray mac = QMessageAuthenticationCode::hash(
        msg + variables, QByteArray::fromBase64(secretBase64.toLatin1()),
        QCryptographicHash::Sha256);

    QByteArray rdata = algorithm + timeAndFudge;
    appendU16(rdata, quint16(mac.size()));
    rdata += mac;
    appendU16(rdata, id);
    appendU16(rdata, 0);
    appendU16(rdata, 0);
    msg[11] = 1; // ARCOUNT = 1
    msg += keyName;
    appendU16(msg, TSIG);
    appendU16(msg, ANY);
    appendU32(msg, 0);
    appendU16(msg, quint16(rdata.size()));
    return msg + rdata;
}

int sendUpdate(const Bind9Process& bind, const QByteArray& update) {
    QString error;
    const QByteArray answer =
        dns::exchange(bind.address(), bind.port(), update, true, 5000, &error);
    const auto message = dns::parse(answer);
    INFO(str(error));
    REQUIRE(message);
    return message->rcode();
}

QStringList aRecords(const QString& host, int port, const QString& name) {
    QStringList addresses;
    if (const auto answer = dns::query(host, port, name, dns::A)) {
        for (const dns::Record& record : answer->answers)
            addresses << dns::ipv4(record.rdata);
    }
    return addresses;
}

} // namespace

TEST_CASE("freeLoopbackPorts returns distinct ports", "[e2e][process]") {
    const std::vector<int> ports = freeLoopbackPorts(5, true);
    REQUIRE(ports.size() == 5);
    REQUIRE(std::set<int>(ports.begin(), ports.end()).size() == 5);
}

TEST_CASE("runTool captures output and kills a tool that overruns", "[e2e][process]") {
    const ToolResult echo = runTool(
        QStringLiteral("sh"), {QStringLiteral("-c"), QStringLiteral("cat; echo err >&2")}, "in");
    CHECK(echo.ok());
    CHECK(echo.stdOut == "in");
    CHECK(echo.stdErr == "err\n");
    const ToolResult slow = runTool(QStringLiteral("sleep"), {QStringLiteral("30")}, {}, 300);
    CHECK(slow.timedOut);
    CHECK_FALSE(slow.ok());
}

TEST_CASE("ManagedProcess::stop kills the whole process group", "[e2e][process]") {
    QTemporaryDir dir;
    const QString pidFile = dir.filePath(QStringLiteral("grandchild.pid"));
    ManagedProcess process;
    // The grandchild ignores SIGTERM: only the group SIGKILL after the grace period gets it.
    REQUIRE(
        process.start(QStringLiteral("sh"),
                      {QStringLiteral("-c"),
                       QStringLiteral("trap '' TERM; sleep 300 & echo $! > %1; wait").arg(pidFile)},
                      dir.filePath(QStringLiteral("log"))));
    QFile file(pidFile);
    for (int i = 0; i < 100 && file.size() == 0; ++i)
        QThread::msleep(20);
    REQUIRE(file.open(QIODevice::ReadOnly));
    const qint64 grandchild = file.readAll().trimmed().toLongLong();
    REQUIRE(processExists(grandchild));
    process.stop(300);
    CHECK_FALSE(process.isRunning());
    CHECK_FALSE(processExists(process.pid()));
    // Only the child is waited for: the SIGKILLed grandchild dies a moment later.
    for (int i = 0; i < 100 && processExists(grandchild); ++i)
        QThread::msleep(10);
    CHECK_FALSE(processExists(grandchild));
}

TEST_CASE("Pebble starts, serves its directory and management API, and stops", "[e2e][pebble]") {
    PebbleProcess pebble;
    INFO(str(pebble.errorString()));
    REQUIRE(pebble.start());
    CHECK(pebble.httpPort() > 0);
    CHECK(pebble.tlsPort() > 0);

    const HttpResponse dir =
        httpRequest("GET", QUrl(pebble.directoryUrl()), {}, pebble.tlsRootFile());
    REQUIRE(dir.status == 200);
    const QJsonObject directory = QJsonDocument::fromJson(dir.body).object();
    for (const char* key : {"newNonce", "newAccount", "newOrder", "revokeCert", "keyChange"})
        CHECK(directory.value(QLatin1String(key))
                  .toString()
                  .startsWith(QStringLiteral("https://127.0.0.1:%1/").arg(pebble.acmePort())));
    CHECK_FALSE(directory.contains(QStringLiteral("renewalInfo"))); // no ARI in 2.4

    CHECK(pebble.rootCertificatePem().startsWith("-----BEGIN CERTIFICATE-----"));
    CHECK(pebble.intermediatePem().startsWith("-----BEGIN CERTIFICATE-----"));
    CHECK(pebble.certStatusBySerial(QStringLiteral("abcdef")).isEmpty()); // unknown: 404

    const qint64 pid = pebble.pid();
    REQUIRE(processExists(pid));
    pebble.stop();
    CHECK_FALSE(pebble.isRunning());
    CHECK_FALSE(processExists(pid));
}

TEST_CASE("Two Pebbles run side by side, each with its own options", "[e2e][pebble]") {
    PebbleProcess first;
    PebbleOptions options;
    options.eabRequired = true;
    options.eabKeys.insert(
        QStringLiteral("kid-1"),
        QStringLiteral("zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W"));
    options.nonceRejectPercent = 50;
    PebbleProcess second(options);
    REQUIRE(first.start());
    INFO(str(second.errorString()));
    REQUIRE(second.start());
    CHECK(first.acmePort() != second.acmePort());
    CHECK(first.managementPort() != second.managementPort());

    const auto externalAccountRequired = [](const PebbleProcess& pebble) {
        const HttpResponse dir =
            httpRequest("GET", QUrl(pebble.directoryUrl()), {}, pebble.tlsRootFile());
        REQUIRE(dir.status == 200);
        return QJsonDocument::fromJson(dir.body)["meta"]["externalAccountRequired"].toBool();
    };
    CHECK_FALSE(externalAccountRequired(first));
    CHECK(externalAccountRequired(second));
    // The environment knobs arrive: Pebble logs them at start.
    CHECK(first.log().contains(QStringLiteral("Configured to reject 0% of good nonces")));
    CHECK(first.log().contains(QStringLiteral("Disabling random VA sleeps")));
    CHECK(second.log().contains(QStringLiteral("Configured to reject 50% of good nonces")));
    // Each generates its own issuing root.
    CHECK(first.rootCertificatePem() != second.rootCertificatePem());
}

TEST_CASE("challtestsrv answers A with 127.0.0.1 and serves TXT records", "[e2e][challtestsrv]") {
    ChallTestSrvProcess chall;
    INFO(str(chall.errorString()));
    REQUIRE(chall.start());
    CHECK(aRecords(QStringLiteral("127.0.0.1"), chall.dnsPort(), QStringLiteral("x.example.")) ==
          QStringList{QStringLiteral("127.0.0.1")});

    const QString host = QStringLiteral("_acme-challenge.x.example.");
    REQUIRE(chall.setTxt(host, QStringLiteral("token-value")));
    const auto answer = dns::query(QStringLiteral("127.0.0.1"), chall.dnsPort(), host, dns::TXT);
    REQUIRE(answer);
    REQUIRE(answer->answers.size() == 1);
    CHECK(dns::txtValue(answer->answers[0].rdata) == QStringLiteral("token-value"));
    REQUIRE(chall.clearTxt(host));
    const auto cleared = dns::query(QStringLiteral("127.0.0.1"), chall.dnsPort(), host, dns::TXT);
    REQUIRE(cleared);
    CHECK(cleared->answers.isEmpty());

    const qint64 pid = chall.pid();
    chall.stop();
    CHECK_FALSE(processExists(pid));
}

TEST_CASE("BIND9 serves the zone and applies TSIG-signed updates", "[e2e][bind9]") {
    Bind9Process bind(
        {QStringLiteral("example.test"), {QStringLiteral(R"(static IN TXT "hello")")}});
    INFO(str(bind.errorString()));
    REQUIRE(bind.start());
    CHECK(bind.zone() == QStringLiteral("example.test."));
    CHECK(bind.txtRecords(QStringLiteral("static.example.test")) ==
          QStringList{QStringLiteral("hello")});
    CHECK(aRecords(bind.address(), bind.port(), QStringLiteral("any.thing.example.test.")) ==
          QStringList{QStringLiteral("127.0.0.1")});

    const QString name = QStringLiteral("_acme-challenge.www.example.test.");
    const QString secret = bind.keySecretBase64();
    CHECK(sendUpdate(bind, buildUpdate(bind, name, QStringLiteral("v1"), true, {})) ==
          dns::Refused); // unsigned
    CHECK(sendUpdate(bind, buildUpdate(bind, name, QStringLiteral("v1"), true, secret)) ==
          dns::NoError);
    CHECK(bind.txtRecords(name) == QStringList{QStringLiteral("v1")});
    CHECK(sendUpdate(bind, buildUpdate(bind, name, {}, false, secret)) == dns::NoError);
    CHECK(bind.txtRecords(name).isEmpty());

    const qint64 pid = bind.pid();
    bind.stop();
    CHECK_FALSE(processExists(pid));
}
