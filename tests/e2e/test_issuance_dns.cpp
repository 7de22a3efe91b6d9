// Issuance end to end with dns-01: RFC 2136 updates signed with TSIG against a real BIND9 (a
// wildcard and its base name on one certificate), a user's script talking to challtestsrv, and
// the ways a DNS setup goes wrong: each fails with a message a user can act on, leaves no record
// and no files behind, and never shows the TSIG secret.

#include "DnsWire.h"
#include "IssuanceFixture.h"

#include <catch2/catch.hpp>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QSet>

using namespace ck::test;

namespace {
std::string str(const QString& s) {
    return s.toStdString();
}

// BIND9 as Pebble's DNS. (Not `IssuanceOptions{.bind9 = true}`: GCC's -Wextra warns about the
// members a designated initializer leaves out.)
IssuanceOptions withBind9() {
    IssuanceOptions options;
    options.bind9 = true;
    return options;
}

// A stored RFC 2136 credential for the fixture's BIND9; `secret` empty: the right one.
QString tsigCredential(IssuanceFixture& f, const QString& secret = {}, bool withZone = true) {
    QJsonObject values{{"server", f.bind9->address()},
                       {"port", QString::number(f.bind9->port())},
                       {"keyName", f.bind9->keyName()},
                       {"algorithm", f.bind9->algorithm()},
                       {"secret", secret.isEmpty() ? f.bind9->keySecretBase64() : secret}};
    if (withZone)
        values.insert("zone", f.bind9->zone());
    return f.createCredential(QStringLiteral("rfc2136"), values);
}

// Another valid base64 secret of the same length: BIND knows the key name, not this secret.
QString wrongSecret(const IssuanceFixture& f) {
    QByteArray bytes = QByteArray::fromBase64(f.bind9->keySecretBase64().toLatin1());
    for (auto& b : bytes)
        b = char(~b);
    return QString::fromLatin1(bytes.toBase64());
}

QString writeScript(const QTemporaryDir& dir, const QString& name, const QString& body) {
    const QString path = dir.filePath(name);
    QFile f(path);
    REQUIRE(f.open(QIODevice::WriteOnly));
    f.write(("#!/bin/sh\n" + body).toUtf8());
    f.close();
    REQUIRE(f.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
    return path;
}

QString readFile(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

QSet<QString> domainsOf(const QJsonObject& item) {
    QSet<QString> names;
    for (const auto& v : item.value("certificateDomains").toArray())
        names.insert(v.toString());
    return names;
}

// BIND9 answers for `name` and has no TXT there (an empty txtRecords() alone could also mean
// that named did not answer).
bool noTxtInBind(const IssuanceFixture& f, const QString& name) {
    const auto answer = dns::query(f.bind9->address(), f.bind9->port(), name, dns::TXT);
    return answer && answer->authoritative() && f.bind9->txtRecords(name).isEmpty();
}

// Requests the item: it fails cleanly (see requireCleanFailure) and no TXT record is left at
// any of `records` in BIND.
void requestFailsCleanly(IssuanceFixture& f, const QString& id, const QStringList& words,
                         const QStringList& records) {
    requireCleanFailure(f, f.requestAndWait(id), words);
    for (const auto& record : records) {
        INFO(str(record));
        CHECK(noTxtInBind(f, record));
    }
}
} // namespace

TEST_CASE("dns-01 by RFC 2136 against BIND9: a wildcard and its base name on one certificate",
          "[e2e][acme][dns01]") {
    IssuanceFixture f(withBind9());
    const QString apexRecord = QStringLiteral("_acme-challenge.example.test.");
    const QString credential = tsigCredential(f);
    const QString id =
        f.createItem({QStringLiteral("*.example.test"), QStringLiteral("example.test")},
                     challenges({dnsRule(QStringLiteral("rfc2136"), credential)}));
    const QJsonObject item = f.requestAndWait(id);
    requireCertificateFor(f, item, {"*.example.test", "example.test"});
    const QString log = f.itemLog(id);
    INFO(str(log));
    CHECK(log.count(QStringLiteral("Created the TXT record ") + apexRecord) == 2);
    CHECK(log.contains(QStringLiteral("for *.example.test with RFC 2136")));
    CHECK(log.contains(QStringLiteral("for example.test with RFC 2136")));
    CHECK(log.count(QStringLiteral("Removed the TXT record ") + apexRecord) == 2);
    CHECK(log.contains(QStringLiteral("*.example.test validated")));
    CHECK(noTxtInBind(f, apexRecord));

    SECTION("one name, with the zone found from the server's SOA") {
        const QString noZone = tsigCredential(f, {}, false);
        const QString single =
            f.createItem({QStringLiteral("single.example.test")},
                         challenges({dnsRule(QStringLiteral("rfc2136"), noZone)}));
        const QJsonObject issued = f.requestAndWait(single);
        requireIssued(f, issued);
        CHECK(domainsOf(issued) == QSet<QString>{"single.example.test"});
        CHECK(f.itemLog(single).contains(
            QStringLiteral("Removed the TXT record _acme-challenge.single.example.test.")));
        CHECK(noTxtInBind(f, QStringLiteral("_acme-challenge.single.example.test.")));
    }
}

TEST_CASE("dns-01 by the user's script: a wildcard through challtestsrv's API",
          "[e2e][acme][dns01][script]") {
    IssuanceFixture f;
    QTemporaryDir scripts;
    const QString calls = scripts.filePath(QStringLiteral("calls.txt"));
    const QString api = f.challtestsrv->managementUrl();
    const QString script = writeScript(
        scripts, QStringLiteral("dns-hook.sh"),
        QStringLiteral(
            "echo \"$CERTKEEPER_ACTION $CERTKEEPER_DOMAIN\" >> '%1'\n"
            "if [ \"$CERTKEEPER_ACTION\" = present ]; then\n"
            "  exec curl -sf -X POST -d \"{\\\"host\\\":\\\"$CERTKEEPER_RECORD_NAME\\\","
            "\\\"value\\\":\\\"$CERTKEEPER_RECORD_VALUE\\\"}\" %2/set-txt\n"
            "fi\n"
            "exec curl -sf -X POST -d \"{\\\"host\\\":\\\"$CERTKEEPER_RECORD_NAME\\\"}\" "
            "%2/clear-txt\n")
            .arg(calls, api));
    const QJsonObject parameters{{"presentCommand", QJsonArray{script}},
                                 {"cleanupCommand", QJsonArray{script}},
                                 {"timeoutSeconds", 30},
                                 {"checkServer", "127.0.0.1"},
                                 {"checkPort", f.challtestsrv->dnsPort()}};
    const QString id =
        f.createItem({QStringLiteral("*.script.example.test")},
                     challenges({dnsRule(QStringLiteral("script"), {}, parameters)}));
    const QJsonObject item = f.requestAndWait(id);
    requireIssued(f, item);
    CHECK(domainsOf(item) == QSet<QString>{"*.script.example.test"});
    CHECK(readFile(calls) == "present *.script.example.test\ncleanup *.script.example.test\n");
    CHECK(f.itemLog(id).contains(QStringLiteral("is visible")));
    const auto left = dns::query(QStringLiteral("127.0.0.1"), f.challtestsrv->dnsPort(),
                                 QStringLiteral("_acme-challenge.script.example.test."), dns::TXT);
    REQUIRE(left);
    CHECK(left->answers.isEmpty());
}

TEST_CASE("dns-01 set up wrong: an error that says what to fix, and nothing left behind",
          "[e2e][acme][dns01]") {
    IssuanceFixture f(withBind9());

    SECTION("a TSIG secret BIND9 does not know; a record placed for another name is removed") {
        // good.example.test with the right key, bad.example.test with the wrong one. Pebble lists
        // the authorizations in a different order from run to run: when good comes first, its
        // record is placed and must be gone after the failure.
        const QString good = tsigCredential(f);
        const QString bad = tsigCredential(f, wrongSecret(f));
        const QString id =
            f.createItem({QStringLiteral("good.example.test"), QStringLiteral("bad.example.test")},
                         challenges({dnsRule(QStringLiteral("rfc2136"), good, {},
                                             QStringLiteral("good.example.test")),
                                     dnsRule(QStringLiteral("rfc2136"), bad)}));
        requestFailsCleanly(f, id,
                            {f.bind9->keyName(), QStringLiteral("refused"),
                             QStringLiteral("_acme-challenge.bad.example.test"),
                             QStringLiteral("secret")},
                            {QStringLiteral("_acme-challenge.bad.example.test"),
                             QStringLiteral("_acme-challenge.good.example.test")});
    }
    SECTION("a script that fails: its exit code and its last output") {
        QTemporaryDir scripts;
        const QString script =
            writeScript(scripts, QStringLiteral("failing-hook.sh"),
                        QStringLiteral("echo \"updating $CERTKEEPER_RECORD_NAME\"\n"
                                       "echo 'example.test: no such zone' >&2\nexit 3\n"));
        const QString id =
            f.createItem({QStringLiteral("script.example.test")},
                         challenges({dnsRule(QStringLiteral("script"), {},
                                             {{"presentCommand", QJsonArray{script}},
                                              {"cleanupCommand", QJsonArray{script}}})}));
        requestFailsCleanly(f, id,
                            {script, QStringLiteral("code 3"), QStringLiteral("no such zone"),
                             QStringLiteral("_acme-challenge.script.example.test")},
                            {QStringLiteral("_acme-challenge.script.example.test")});
    }
    SECTION("dns-01 without a provider") {
        const QString id =
            f.createItem({QStringLiteral("none.example.test")}, challenges({dnsRule(QString())}));
        requestFailsCleanly(f, id, {QStringLiteral("DNS provider"), QStringLiteral("rfc2136")},
                            {QStringLiteral("_acme-challenge.none.example.test")});
    }
    SECTION("a credential that does not exist") {
        const QString id = f.createItem(
            {QStringLiteral("gone.example.test")},
            challenges({dnsRule(QStringLiteral("rfc2136"), QStringLiteral("no-such"))}));
        requestFailsCleanly(f, id, {QStringLiteral("TSIG credential"), QStringLiteral("Stored")},
                            {QStringLiteral("_acme-challenge.gone.example.test")});
    }
    SECTION("a wildcard with http-01") {
        const QString id = f.createItem({QStringLiteral("*.wild.example.test")},
                                        challenges({QJsonObject{{"type", "http-01"}}}));
        requestFailsCleanly(
            f, id,
            {QStringLiteral("*.wild.example.test"), QStringLiteral("only dns-01 can validate it")},
            {QStringLiteral("_acme-challenge.wild.example.test")});
    }
}

TEST_CASE("the TSIG secret and the private key are never shown: not in logs, not by the API",
          "[e2e][acme][dns01]") {
    IssuanceFixture f(withBind9());
    const QString secret = f.bind9->keySecretBase64();
    const QString wrong = wrongSecret(f);
    const QString ok =
        f.createItem({QStringLiteral("kept.example.test")},
                     challenges({dnsRule(QStringLiteral("rfc2136"), tsigCredential(f))}));
    const QJsonObject issued = f.requestAndWait(ok);
    requireIssued(f, issued);

    // The private key's PEM body: no line of it may appear in any log file.
    const QStringList keyLines =
        readFile(issued.value("certificateKeyPath").toString()).split(QLatin1Char('\n'));
    REQUIRE(keyLines.size() > 3);
    QString everyLog;
    const QDir logs(f.dataDir.filePath(QStringLiteral("logs")));
    for (const QString& name : logs.entryList(QDir::Files))
        everyLog += readFile(logs.filePath(name));
    CHECK(everyLog.contains(QStringLiteral("kept.example.test")));
    for (const QString& line : keyLines)
        if (line.size() > 20 && !line.startsWith(QLatin1String("-----")))
            CHECK(everyLog.indexOf(line) < 0);
    const QString refused =
        f.createItem({QStringLiteral("refused.example.test")},
                     challenges({dnsRule(QStringLiteral("rfc2136"), tsigCredential(f, wrong))}));
    CHECK(f.requestAndWait(refused).value("lastRenewalStatus").toString() == "Error");

    const QString serviceLog = readFile(f.dataDir.filePath(QStringLiteral("logs/service.log")));
    CHECK_FALSE(serviceLog.isEmpty());
    const std::string credentials = f.http->get("/api/credentials").body;
    CHECK(credentials.find(str(f.bind9->keyName())) != std::string::npos);
    for (const QString& s : {secret, wrong}) {
        INFO(str(s));
        CHECK(f.itemLog(ok).indexOf(s) < 0);
        CHECK(f.itemLog(refused).indexOf(s) < 0);
        CHECK(serviceLog.indexOf(s) < 0);
        CHECK(credentials.find(str(s)) == std::string::npos);
        CHECK(f.http->get("/api/managedcertificates/" + str(refused)).body.find(str(s)) ==
              std::string::npos);
    }
}
