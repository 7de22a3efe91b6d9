// Issuance end to end with dns-01 through the lexicon bridge: lexicon's own powerdns provider
// ("lexicon:powerdns", kept out of menus because the native PowerDNS provider exists, but usable
// by id) against a real PowerDNS that is Pebble's DNS. A wildcard and its base name need two
// values at one name at once; afterwards the zone holds no TXT record of ours. The bad paths
// each end in a clear error on the item and nothing left in the zone: a wrong API key, a server
// that never answers (the time limit stops lexicon; meanwhile the key is in the child's
// environment and not on its command line), a provider id lexicon does not have, and lexicon
// missing from the service's PATH.

#include "IssuanceFixture.h"
#include "SilentServer.h"

#include <catch2/catch.hpp>

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QSet>
#include <QThread>

using namespace ck::test;

namespace {
std::string str(const QString& s) {
    return s.toStdString();
}

IssuanceOptions withPowerDns() {
    IssuanceOptions options;
    options.powerDns = true;
    return options;
}

QJsonObject lexiconRule(const QString& credentialId, const QJsonObject& parameters = {}) {
    return dnsRule(QStringLiteral("lexicon:powerdns"), credentialId, parameters);
}

QString lexiconCredential(IssuanceFixture& f, const QString& key, const QString& server = {},
                          const QString& zone = {}) {
    QJsonObject values{{"auth_token", key},
                       {"pdns_server", server.isEmpty() ? f.powerDns->apiUrl() : server},
                       {"dnsServer", f.powerDns->dnsServer()}};
    if (!zone.isEmpty())
        values.insert("zone", zone);
    return f.createCredential(QStringLiteral("lexicon:powerdns"), values);
}

QJsonObject testCredential(IssuanceFixture& f, const QString& id, const QString& key) {
    const auto answer = f.http->post("/api/credentials/" + str(id) + "/test", QJsonObject{});
    INFO(answer.body);
    REQUIRE(answer.status == 200);
    CHECK(answer.body.find(key.toStdString()) == std::string::npos);
    return answer.json();
}

QStringList leftovers(const IssuanceFixture& f) {
    return f.powerDns->storedTxt(QStringLiteral("_acme-challenge"));
}

QByteArray procFile(qint64 pid, const char* name) {
    QFile file(QStringLiteral("/proc/%1/%2").arg(pid).arg(QLatin1String(name)));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// The parent of a process, from /proc/<pid>/stat (the field after the command's parentheses).
qint64 parentOf(qint64 pid) {
    const QByteArray stat = procFile(pid, "stat");
    const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    return fields.size() > 1 ? fields[1].toLongLong() : 0;
}

// The pid of a running lexicon bridge that creates a record for the service whose data
// directory is `dataDir` (other suites run lexicon at the same time), and its command line; 0 if
// none.
qint64 findBridge(const QString& dataDir, QByteArray* cmdline) {
    const QByteArray pattern = QByteArray("|-|run|powerdns|create|").replace('|', '\0');
    const QStringList pids = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs);
    for (const QString& p : pids) {
        bool number = false;
        const qint64 pid = p.toLongLong(&number);
        if (!number)
            continue;
        const QByteArray args = procFile(pid, "cmdline");
        if (args.contains(pattern) &&
            procFile(parentOf(pid), "cmdline").contains(dataDir.toUtf8())) {
            *cmdline = args;
            return pid;
        }
    }
    return 0;
}

} // namespace

TEST_CASE("dns-01 through lexicon's powerdns provider: a wildcard and its base name",
          "[e2e][acme][dns01][lexicon]") {
    IssuanceFixture f(withPowerDns());
    const QString apexRecord = QStringLiteral("_acme-challenge.example.test.");
    const QString key = f.powerDns->apiKey();

    const QString untestable = lexiconCredential(f, key);
    const QJsonObject noZone = testCredential(f, untestable, key);
    CHECK(noZone["ok"].isNull());
    CHECK(noZone["message"].toString().contains(QStringLiteral("add that zone")));

    const QString credential = lexiconCredential(f, key, {}, QStringLiteral("example.test"));
    const QJsonObject tested = testCredential(f, credential, key);
    INFO(str(tested["message"].toString()));
    CHECK(tested["ok"] == true);
    CHECK(tested["zones"] == QJsonArray{"example.test."});
    CHECK(tested["message"].toString().contains(QStringLiteral("PowerDNS (via lexicon)")));
    CHECK(tested["message"].toString().contains(QStringLiteral("nothing was changed")));

    const QString id =
        f.createItem({QStringLiteral("*.example.test"), QStringLiteral("example.test")},
                     challenges({lexiconRule(credential)}));
    const QJsonObject item = f.requestAndWait(id);
    requireCertificateFor(f, item, {"*.example.test", "example.test"});
    const QString log = f.itemLog(id);
    INFO(str(log));
    CHECK(log.count(QStringLiteral("Created the TXT record ") + apexRecord) == 2);
    CHECK(log.contains(QStringLiteral("for *.example.test with PowerDNS (via lexicon)")));
    CHECK(log.count(QStringLiteral("Removed the TXT record ") + apexRecord) == 2);
    CHECK_FALSE(log.contains(key));
    CHECK(f.powerDns->txtRecords(apexRecord).isEmpty());
    CHECK(leftovers(f).isEmpty());
}

TEST_CASE("dns-01 through lexicon set up wrong: a clear error and nothing left in the zone",
          "[e2e][acme][dns01][lexicon]") {
    IssuanceFixture f(withPowerDns());

    SECTION("a wrong API key: PowerDNS answers 401") {
        const QString wrong = QStringLiteral("not-the-key-5e2b9");
        const QString credential = lexiconCredential(f, wrong, {}, QStringLiteral("example.test"));
        const QJsonObject tested = testCredential(f, credential, wrong);
        CHECK(tested["ok"] == false);
        CHECK(tested["message"].toString().contains(QStringLiteral("401")));
        const QString id = f.createItem({QStringLiteral("www.example.test")},
                                        challenges({lexiconRule(credential)}));
        requireCleanFailure(f, f.requestAndWait(id),
                            {QStringLiteral("PowerDNS (via lexicon)"), QStringLiteral("401"),
                             QStringLiteral("in the zone example.test."),
                             QStringLiteral("check the credential's fields")});
        CHECK_FALSE(f.itemLog(id).contains(wrong));
    }
    SECTION("a server that accepts and never answers: the time limit stops lexicon") {
        SilentServer silent;
        const QString key = QStringLiteral("hanging-key-41c7e");
        const QString credential = lexiconCredential(f, key, silent.url());
        const QString id =
            f.createItem({QStringLiteral("www.example.test")},
                         challenges({lexiconRule(credential, QJsonObject{{"timeoutSeconds", 5}})}));
        f.startRequest(id);
        // While lexicon waits for an answer: the key is in its environment, not its arguments.
        QByteArray cmdline;
        qint64 pid = 0;
        QDeadlineTimer deadline(15000);
        while (pid == 0 && !deadline.hasExpired()) {
            pid = findBridge(f.dataDir.path(), &cmdline);
            QThread::msleep(20);
        }
        REQUIRE(pid != 0);
        INFO(cmdline.replace('\0', ' ').toStdString());
        CHECK_FALSE(cmdline.contains(key.toUtf8()));
        CHECK(cmdline.contains("_acme-challenge.www.example.test"));
        CHECK(procFile(pid, "environ").contains("LEXICON_POWERDNS_AUTH_TOKEN=" + key.toUtf8()));
        requireCleanFailure(f, f.waitUntilDone(id),
                            {QStringLiteral("PowerDNS (via lexicon)"),
                             QStringLiteral("did not finish within 5 s"),
                             QStringLiteral("timeoutSeconds")});
        CHECK_FALSE(f.itemLog(id).contains(key));
    }
    SECTION("a provider lexicon does not have: the certificate is not saved") {
        QJsonObject rc{{"subjectAlternativeNames", QJsonArray{"www.example.test"}}};
        rc.insert("challenges", QJsonArray{dnsRule(QStringLiteral("lexicon:nosuch"), "c")});
        const auto refused = f.http->post("/api/managedcertificates",
                                          QJsonObject{{"name", "nosuch"},
                                                      {"certificateAuthorityId", "pebble"},
                                                      {"requestConfig", rc}});
        INFO(refused.body);
        CHECK(refused.status == 422);
        CHECK(refused.body.find("There is no dns-01 provider 'lexicon:nosuch'") !=
              std::string::npos);
        CHECK(refused.body.find("lexicon:gandi") != std::string::npos);
    }
    CHECK(leftovers(f).isEmpty());
}

TEST_CASE("dns-01 through lexicon when lexicon is missing: no lexicon providers, a clear error",
          "[e2e][acme][dns01][lexicon]") {
    IssuanceFixture f(withPowerDns());
    const QString credential =
        lexiconCredential(f, f.powerDns->apiKey(), {}, QStringLiteral("example.test"));
    const QString id =
        f.createItem({QStringLiteral("www.example.test")}, challenges({lexiconRule(credential)}));
    REQUIRE(f.service.stop());
    // The service starts with a PATH that has no lexicon program.
    const QByteArray path = qgetenv("PATH");
    qputenv("PATH", "/nonexistent-certkeeper-path");
    const bool started = f.service.start();
    qputenv("PATH", path);
    REQUIRE(started);
    f.http = std::make_unique<RawHttp>(f.service.port(), f.service.token().toStdString());

    const auto providers = f.http->get("/api/challengeproviders");
    REQUIRE(providers.status == 200);
    for (const auto& p : providers.json().value("items").toArray())
        CHECK_FALSE(p.toObject().value("id").toString().startsWith(QLatin1String("lexicon:")));
    const QString note = providers.json().value("lexicon").toObject().value("note").toString();
    CHECK(note.contains(QStringLiteral("lexicon is not installed")));

    requireCleanFailure(f, f.requestAndWait(id),
                        {QStringLiteral("lexicon:powerdns"),
                         QStringLiteral("lexicon is not installed"),
                         QStringLiteral("install Debian's lexicon package")});
    CHECK(leftovers(f).isEmpty());
}
