// certkeeper-cli's administration commands against the real service: license activation and
// the edition's limit, CSV import (good, bad and hostile lines, 10,000 lines, --dry-run),
// backup export and import between two services, credentials, accounts, diag and --server.

#include "CliRunner.h"
#include "DevLicense.h"
#include "ServiceAccess.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>

using namespace ck::test;

namespace {
const QByteArray kPassphrase = "correct horse battery staple";

QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& data) {
    QFile f(dir.filePath(name));
    if (!f.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(f.fileName()));
    f.write(data);
    return f.fileName();
}

// A value, so that ["a"]["b"] reads without creating anything.
QJsonValue jsonOf(const CliRun& run) {
    return QJsonDocument::fromJson(run.out.toUtf8()).object();
}

int itemCount(const ServiceProcess& service) {
    return rawHttpFor(service)
        .get("/api/managedcertificates?limit=1")
        .json()
        .value("total")
        .toInt();
}
} // namespace

class CliAdminTest : public QObject {
    Q_OBJECT
    std::unique_ptr<ServiceProcess> m_service;
    QTemporaryDir m_scratch;

    CliRun cli(const QStringList& args, const QByteArray& input = {},
               const QProcessEnvironment& env = {}) {
        return runCli(m_service->dataDir(), args, input, env);
    }

private Q_SLOTS:
    void init() { QVERIFY((m_service = startedService())); }
    void cleanup() { m_service.reset(); }

    void activationLiftsTheLimitAndDeactivationKeepsTheItems() {
        for (int i = 0; i < 5; ++i) {
            const auto added = cli({"add", "--name", QStringLiteral("Site %1").arg(i),
                                    QStringLiteral("s%1.example.com").arg(i)});
            QVERIFY2(added.exitCode == 0, describe(added));
        }
        const auto sixth = cli({"add", "--name", "Sixth", "six.example.com"});
        QVERIFY2(sixth.exitCode == 9, describe(sixth));
        QVERIFY(sixth.err.contains("at most 5"));
        QVERIFY(sixth.err.contains("certkeeper-cli activate KEY"));

        const auto garbled = cli({"activate", "CK1.nonsense"});
        QVERIFY2(garbled.exitCode == 5, describe(garbled));
        QVERIFY(garbled.err.contains("not a complete Certkeeper license key"));

        // From standard input, as a script would pass it without putting it in argv.
        const auto activated = cli({"activate", "-"}, devLicenseKey().toLatin1() + '\n');
        QVERIFY2(activated.exitCode == 0, describe(activated));
        QVERIFY(activated.out.contains("Activated the Professional edition for tests@example.com"));
        QVERIFY(activated.out.contains("5 certificates, no limit"));
        QCOMPARE(cli({"add", "--name", "Sixth", "six.example.com"}).exitCode, 0);

        const auto diag = cli({"diag"});
        QVERIFY2(diag.exitCode == 0, describe(diag));
        QVERIFY(diag.out.contains("Edition:              Professional"));
        QVERIFY(diag.out.contains("Settings ("));
        QVERIFY(diag.out.contains("maxConcurrentRequests"));
        QCOMPARE(jsonOf(cli({"diag", "--json"}))["license"]["itemsUsed"].toInt(), 6);

        const auto deactivated = cli({"deactivate", "--json"});
        QVERIFY2(deactivated.exitCode == 0, describe(deactivated));
        QCOMPARE(jsonOf(deactivated)["edition"].toString(), QStringLiteral("community"));
        QCOMPARE(jsonOf(deactivated)["itemsUsed"].toInt(), 6);
        QCOMPARE(cli({"deactivate"}).exitCode, 4);
        QCOMPARE(cli({"add", "--name", "Seventh", "seven.example.com"}).exitCode, 9);
    }

    void csvImportReportsEveryLine() {
        const QString long_(70000, QLatin1Char('x'));
        const QString file = writeFile(
            m_scratch, "mixed.csv",
            QStringLiteral("name,domains,includeInAutoRenew,comments\n"
                           "Shop,shop.example.com;www.shop.example.com,yes,\"a, b and \"\"c\"\"\"\n"
                           "Broken quote,bro\"ken.example.com,yes,\n"
                           "Bad domain,bad_name.example.com,yes,\n"
                           "Too long,long.example.com,yes,%1\n"
                           // A quoted field may span lines (names refuse line breaks,
                           // comments keep them).
                           "Blog,blog.example.com,no,\"with a\nline break\"\n"
                           "Not a flag,flag.example.com,sometimes,\n")
                .arg(long_)
                .toUtf8());
        const auto dry = cli({"import-csv", "--dry-run", file});
        QVERIFY2(dry.exitCode == 5, describe(dry));
        QVERIFY(dry.out.contains("line 2: would import “Shop”"));
        QVERIFY(dry.out.contains("line 3: refused: field 2 has a quote inside it"));
        QVERIFY(dry.out.contains("line 4: refused: requestConfig.subjectAlternativeNames[0]"));
        QVERIFY(dry.out.contains("line 5: refused: field 4 is longer than 65536"));
        QVERIFY(dry.out.contains("line 6: would import"));
        QVERIFY(dry.out.contains("line 8: refused: includeInAutoRenew is \"sometimes\""));
        QVERIFY(dry.out.contains("2 lines would be imported, 4 refused; nothing was imported"));
        QCOMPARE(itemCount(*m_service), 0);

        const auto real = cli({"import-csv", "--json", file});
        QCOMPARE(real.exitCode, 5);
        const QJsonValue report = jsonOf(real);
        QCOMPARE(report["accepted"].toInt(), 2);
        QCOMPARE(report["refused"].toInt(), 4);
        QCOMPARE(report["lines"][0]["line"].toInt(), 2);
        QCOMPARE(report["lines"][0]["status"].toString(), QStringLiteral("imported"));
        const QString shopId = report["lines"][0]["id"].toString();
        const auto shop = jsonOf(cli({"show", "--json", shopId}));
        QCOMPARE(shop["comments"].toString(), QStringLiteral("a, b and \"c\""));
        QCOMPARE(shop["requestConfig"]["subjectAlternativeNames"].toArray().size(), 2);
        QCOMPARE(itemCount(*m_service), 2);
    }

    void csvImportStopsAtTheEditionLimit() {
        QByteArray csv;
        for (int i = 0; i < 7; ++i)
            csv += QStringLiteral("Site %1,s%1.example.com\n").arg(i).toUtf8();
        const auto run = cli({"import-csv", "-"}, csv); // no header: the default order
        QVERIFY2(run.exitCode == 9, describe(run));
        QVERIFY(run.out.contains("line 5: imported “Site 4”"));
        QVERIFY(run.out.contains("line 6: refused: The Community edition manages at most 5"));
        QVERIFY(run.out.contains("5 lines imported, 2 refused"));
        QCOMPARE(itemCount(*m_service), 5);
    }

    void csvImportOfTenThousandLines() {
        QVERIFY(activateDevLicense(*m_service));
        QByteArray csv = "Name,Domains,Primary Domain,Challenge Type,Include in auto renew\n";
        for (int i = 0; i < 10000; ++i)
            csv += QStringLiteral("\"Site %1, quoted\",s%1.example.com;w%1.example.com,"
                                  "w%1.example.com,http-01,true\n")
                       .arg(i)
                       .toUtf8();
        const QString file = writeFile(m_scratch, "big.csv", csv);
        const auto run = cli({"import-csv", file});
        QVERIFY2(run.exitCode == 0, describe(run));
        QVERIFY(run.out.contains("10000 lines imported, 0 refused"));
        QVERIFY(run.out.contains("line 10001: imported “Site 9999, quoted”"));
        QCOMPARE(itemCount(*m_service), 10000);
    }

    void backupRoundTripBetweenTwoServices() {
        QVERIFY(!createRaw(*m_service, "Shop", {"shop.example.com"}).isEmpty());
        QVERIFY(!createRaw(*m_service, "Blog", {"blog.example.com"}).isEmpty());
        const QString secretFile = writeFile(m_scratch, "tsig.secret", "c2VjcmV0LXRzaWc=\n");
        const auto credential = cli({"credential", "add", "--type", "rfc2136", "--title", "ns1",
                                     "--set", "server=192.0.2.1", "--set", "keyName=update.",
                                     "--secret-file", "secret=" + secretFile});
        QVERIFY2(credential.exitCode == 0, describe(credential));
        const QString passphraseFile = writeFile(m_scratch, "passphrase", kPassphrase + '\n');
        const QString package = m_scratch.filePath("backup.ckbackup");
        const auto exported =
            cli({"backup", "export", "--passphrase-file", passphraseFile, package});
        QVERIFY2(exported.exitCode == 0, describe(exported));
        QVERIFY(exported.out.contains("2 certificates, 1 credentials"));
        QCOMPARE(QFile::permissions(package) & (QFile::ReadGroup | QFile::ReadOther),
                 QFileDevice::Permissions());
        QCOMPARE(cli({"backup", "export", "--passphrase-file", passphraseFile, package}).exitCode,
                 2); // will not overwrite without --force

        ServiceProcess other;
        QVERIFY2(other.start(), qPrintable(other.output()));
        QProcessEnvironment env;
        env.insert("CERTKEEPER_BACKUP_PASSPHRASE", QString::fromLatin1(kPassphrase));
        const auto preview =
            runCli(other.dataDir(), {"backup", "import", "--preview", package}, {}, env);
        QVERIFY2(preview.exitCode == 0, describe(preview));
        QVERIFY(preview.out.contains("would add"));
        QVERIFY(preview.out.contains("Preview: 3 to add, 0 to replace, 0 to skip; nothing was "
                                     "imported."));
        QCOMPARE(itemCount(other), 0);

        // The wrong passphrase on standard input (not a terminal), a damaged copy: nothing.
        const auto wrong =
            runCli(other.dataDir(), {"backup", "import", package}, "wrong passphrase\n");
        QVERIFY2(wrong.exitCode == 5, describe(wrong));
        QVERIFY(wrong.err.contains("passphrase does not open"));
        QFile full(package);
        QVERIFY(full.open(QIODevice::ReadOnly));
        const QString cut = writeFile(m_scratch, "cut.ckbackup", full.read(full.size() / 2));
        const auto damaged = runCli(other.dataDir(), {"backup", "import", cut}, {}, env);
        QVERIFY2(damaged.exitCode == 5, describe(damaged));
        QVERIFY(damaged.err.contains("damaged"));
        QCOMPARE(itemCount(other), 0);

        const auto imported = runCli(other.dataDir(), {"backup", "import", package}, {}, env);
        QVERIFY2(imported.exitCode == 0, describe(imported));
        QVERIFY(imported.out.contains("Imported: 3 added, 0 replaced, 0 skipped."));
        QCOMPARE(itemCount(other), 2);
        const auto credentials = runCli(other.dataDir(), {"credential", "list"});
        QVERIFY(credentials.out.contains("ns1"));
        QVERIFY(credentials.out.contains("secret"));
        QVERIFY(!credentials.out.contains("c2VjcmV0LXRzaWc="));
    }

    void credentialsAndAccounts() {
        const QString secretFile = writeFile(m_scratch, "pfx.secret", "pfx-password-123\n");
        const auto onArgv = cli({"credential", "add", "--type", "pfx-password", "--title", "PFX",
                                 "--set", "password=pfx-password-123"});
        QVERIFY2(onArgv.exitCode == 2, describe(onArgv));
        QVERIFY(onArgv.err.contains("not on the command line"));
        const auto added = cli({"credential", "add", "--json", "--type", "pfx-password", "--title",
                                "PFX", "--secret-file", "password=" + secretFile});
        QVERIFY2(added.exitCode == 0, describe(added));
        const QString id = jsonOf(added)["id"].toString();
        const auto listed = cli({"credential", "list"});
        QVERIFY(listed.out.contains(id));
        QVERIFY(listed.out.contains("pfx-password"));
        QVERIFY(!listed.out.contains("pfx-password-123"));
        QCOMPARE(cli({"credential", "remove", id}).exitCode, 0);
        QCOMPARE(cli({"credential", "remove", id}).exitCode, 4);

        // A DNS provider's credential, described by the provider catalogue.
        const QString keyFile = writeFile(m_scratch, "pdns.key", "pdns-api-key-123\n");
        const auto noUrl = cli({"credential", "add", "--type", "powerdns", "--title", "pdns",
                                "--secret-file", "apiKey=" + keyFile});
        QVERIFY2(noUrl.exitCode != 0, describe(noUrl));
        QVERIFY2(noUrl.err.contains("apiUrl"), describe(noUrl));
        const auto pdns =
            cli({"credential", "add", "--json", "--type", "powerdns", "--title", "pdns", "--set",
                 "apiUrl=http://127.0.0.1:8081", "--secret-file", "apiKey=" + keyFile});
        QVERIFY2(pdns.exitCode == 0, describe(pdns));
        const auto withPdns = cli({"credential", "list"});
        QVERIFY(withPdns.out.contains("powerdns"));
        QVERIFY(withPdns.out.contains("apiKey"));
        QVERIFY(!withPdns.out.contains("pdns-api-key-123"));
        // Nothing listens there: the test says so, and exits with 10.
        const auto tested = cli({"credential", "test", jsonOf(pdns)["id"].toString()});
        QVERIFY2(tested.exitCode == 10, describe(tested));
        QVERIFY2(tested.out.contains("could not list the zones"), describe(tested));
        QVERIFY(!tested.out.contains("pdns-api-key-123"));
        QCOMPARE(cli({"credential", "frobnicate"}).exitCode, 2);

        // A lexicon provider's credential, as the service describes it (lexicon is installed).
        const auto types = cli({"credential", "types"});
        QVERIFY2(types.exitCode == 0, describe(types));
        QVERIFY(types.out.contains("lexicon:gandi"));
        QVERIFY(!types.out.contains("lexicon:powerdns")); // the native one is offered instead
        QVERIFY(cli({"credential", "types", "--all"}).out.contains("lexicon:powerdns"));
        const auto gandi = cli({"credential", "types", "lexicon:gandi"});
        QVERIFY2(gandi.exitCode == 0, describe(gandi));
        QVERIFY(gandi.out.contains("--secret-file auth_token=FILE"));
        QVERIFY(gandi.out.contains("--set zone=VALUE"));
        QVERIFY(gandi.out.contains("LEXICON_GANDI_AUTH_TOKEN"));
        QCOMPARE(cli({"credential", "types", "lexicon:nosuch"}).exitCode, 2);
        const auto badType = cli({"credential", "add", "--type", "nosuch", "--title", "x"});
        QVERIFY2(badType.exitCode == 2, describe(badType));
        QVERIFY(badType.err.contains("lexicon:gandi"));
        const auto tokenOnArgv = cli({"credential", "add", "--type", "lexicon:gandi", "--title",
                                      "gandi", "--set", "auth_token=gandi-token-123"});
        QVERIFY2(tokenOnArgv.exitCode == 2, describe(tokenOnArgv));
        QVERIFY(tokenOnArgv.err.contains("not on the command line"));
        const QString tokenFile = writeFile(m_scratch, "gandi.token", "gandi-token-123\n");
        const auto lexicon =
            cli({"credential", "add", "--json", "--type", "lexicon:gandi", "--title", "gandi",
                 "--set", "zone=example.com", "--secret-file", "auth_token=" + tokenFile});
        QVERIFY2(lexicon.exitCode == 0, describe(lexicon));
        QCOMPARE(jsonOf(lexicon)["secretFields"].toArray(), QJsonArray{"auth_token"});
        QVERIFY(!cli({"credential", "list"}).out.contains("gandi-token-123"));

        QVERIFY(cli({"account", "list"}).out.contains("No ACME accounts"));
        QCOMPARE(cli({"account", "remove", "no-such-account"}).exitCode, 4);
        QCOMPARE(cli({"account", "rollover", "no-such-account"}).exitCode, 4);
    }

    void serverPicksAnEntryOfServersJson() {
        QTemporaryDir dir;
        ck::ServersConfig config;
        ck::ServerEntry stale = entryFor(*m_service);
        stale.id = QStringLiteral("stale");
        stale.port = freeLoopbackPort();
        stale.isDefault = true;
        ck::ServerEntry live = entryFor(*m_service);
        live.id = QStringLiteral("live");
        live.isDefault = false;
        config.servers = {stale, live};
        QString error;
        QVERIFY(config.save(dir.filePath("servers.json"), &error));
        QCOMPARE(runCli(dir.path(), {"list"}).exitCode, 3);
        const auto run = runCli(dir.path(), {"--server", "live", "list"});
        QVERIFY2(run.exitCode == 0, describe(run));
    }

    void helpDocumentsCommandsSecretsAndExitCodes() {
        const auto help = cli({"--help"});
        QCOMPARE(help.exitCode, 0);
        for (const char* text :
             {"import-csv", "backup import [--preview]", "activate KEY", "credential add",
              "account rollover", "diag", "never taken from the command line",
              "CERTKEEPER_BACKUP_PASSPHRASE", "primaryDomain", "  9  the edition's limit"})
            QVERIFY2(help.out.contains(QLatin1String(text)), text);
    }
};

QTEST_GUILESS_MAIN(CliAdminTest)
#include "test_cli_admin.moc"
