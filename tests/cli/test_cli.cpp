// certkeeper-cli as a user's script runs it: a real service, the real binary, and the exit codes
// scripts branch on (see certkeeper-cli --help).

#include "CliRunner.h"
#include "ServiceAccess.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTemporaryDir>

using namespace ck::test;

class CliTest : public QObject {
    Q_OBJECT
    std::unique_ptr<ServiceProcess> m_service;

    CliRun cli(const QStringList& args) { return runCli(m_service->dataDir(), args); }

private Q_SLOTS:
    void initTestCase() { QVERIFY((m_service = startedService())); }

    void cleanupTestCase() { m_service.reset(); }

    void addListShowRemove() {
        const auto added =
            cli({"add", "--name", "Shop", "shop.example.com", "www.shop.example.com"});
        QVERIFY2(added.exitCode == 0, describe(added));
        QVERIFY(added.out.contains("Shop"));

        const auto listed = cli({"list", "--json"});
        QVERIFY2(listed.exitCode == 0, describe(listed));
        const auto page = QJsonDocument::fromJson(listed.out.toUtf8()).object();
        QCOMPARE(page.value("total").toInt(), 1);
        const auto item = page.value("items").toArray().first().toObject();
        const QString id = item.value("id").toString();
        QCOMPARE(item.value("name").toString(), QStringLiteral("Shop"));
        QVERIFY(added.out.contains(id));

        const auto table = cli({"list", "--search", "www.shop"});
        QVERIFY2(table.exitCode == 0, describe(table));
        QVERIFY(table.out.startsWith("ID"));
        QVERIFY(table.out.contains(id));
        QVERIFY(table.out.contains("NotYetIssued"));
        QVERIFY(table.out.contains("not issued"));
        QVERIFY(table.out.contains("shop.example.com, www.shop.example.com"));
        QVERIFY(cli({"list", "--status", "OK"}).out.contains("No managed certificates match"));

        const auto shown = cli({"show", id});
        QVERIFY2(shown.exitCode == 0, describe(shown));
        QVERIFY(shown.out.contains("www.shop.example.com"));
        const auto shownJson = cli({"--json", "show", id});
        QCOMPARE(QJsonDocument::fromJson(shownJson.out.toUtf8()).object().value("id").toString(),
                 id);

        const auto removed = cli({"remove", id});
        QVERIFY2(removed.exitCode == 0, describe(removed));
        const auto gone = cli({"show", id});
        QVERIFY2(gone.exitCode == 4, describe(gone));
        QVERIFY(!gone.err.isEmpty());
        QVERIFY(gone.out.isEmpty());
        QCOMPARE(cli({"remove", id}).exitCode, 4);
    }

    void invalidInputPrintsEachFieldErrorAndExits5() {
        const auto run =
            cli({"add", "--name", "", "good.example.com", "bad..example.com", "x-.example.com"});
        QVERIFY2(run.exitCode == 5, describe(run));
        const QStringList lines = run.err.split('\n', Qt::SkipEmptyParts);
        auto hasLine = [&](const QString& start) {
            return std::any_of(lines.begin(), lines.end(),
                               [&](const QString& l) { return l.trimmed().startsWith(start); });
        };
        QVERIFY2(hasLine("name:"), qPrintable(run.err));
        QVERIFY2(hasLine("domain 2: 'bad..example.com'"), qPrintable(run.err));
        QVERIFY2(hasLine("domain 3:"), qPrintable(run.err));
    }

    // The DNS providers as the service describes them, and a dns-01 rule built from them: each
    // parameter in the type its provider declares, a delegation, and a clear usage error for a
    // parameter the provider does not take.
    void dnsProvidersAndADnsRuleFromTheCommandLine() {
        const auto listed = cli({"dns-providers"});
        QVERIFY2(listed.exitCode == 0, describe(listed));
        QVERIFY(listed.out.contains(QRegularExpression("powerdns +PowerDNS Authoritative")));
        QVERIFY(listed.out.contains("zone, propagationDelaySeconds"));

        const auto added =
            cli({"add", "--name", "Wild", "*.wild.example.com", "--dns-provider", "script",
                 "--dns-param", "presentCommand=/usr/local/bin/dns-hook add 'two words'",
                 "--dns-param", "propagationDelaySeconds=30", "--delegated-to",
                 "_acme-challenge.wild.auth.example.net", "--json"});
        QVERIFY2(added.exitCode == 0, describe(added));
        const QJsonObject item = QJsonDocument::fromJson(added.out.toUtf8()).object();
        const QJsonObject rule = item["requestConfig"]["challenges"][0].toObject();
        QCOMPARE(rule["type"].toString(), QStringLiteral("dns-01"));
        QCOMPARE(rule["provider"].toString(), QStringLiteral("script"));
        QCOMPARE(rule["parameters"]["presentCommand"].toArray(),
                 (QJsonArray{"/usr/local/bin/dns-hook", "add", "two words"}));
        QCOMPARE(rule["parameters"]["propagationDelaySeconds"].toInt(), 30);
        QCOMPARE(rule["delegatedTo"].toString(),
                 QStringLiteral("_acme-challenge.wild.auth.example.net"));

        const auto unknown = cli({"add", "--name", "X", "x.example.com", "--dns-provider",
                                  "powerdns", "--dns-param", "colour=blue"});
        QVERIFY2(unknown.exitCode == 2, describe(unknown));
        QVERIFY(unknown.err.contains("a parameter of PowerDNS Authoritative (HTTP API): zone, "
                                     "propagationDelaySeconds"));
        const auto notANumber = cli({"add", "--name", "X", "x.example.com", "--dns-provider",
                                     "powerdns", "--dns-param", "propagationDelaySeconds=soon"});
        QVERIFY2(notANumber.exitCode == 2, describe(notANumber));
        QVERIFY(notANumber.err.contains("propagationDelaySeconds takes a whole number"));
        const auto mixed = cli({"add", "--name", "X", "x.example.com", "--challenge", "http-01",
                                "--dns-provider", "powerdns"});
        QVERIFY2(mixed.exitCode == 2, describe(mixed));
        const auto badTarget = cli({"add", "--name", "X", "x.example.com", "--dns-provider",
                                    "rfc2136", "--delegated-to", "not a name"});
        QVERIFY2(badTarget.exitCode == 5, describe(badTarget));
        QVERIFY(badTarget.err.contains("is not a DNS name"));
    }

    void statusSummarisesTheService() {
        const auto run = cli({"status"});
        QVERIFY2(run.exitCode == 0, describe(run));
        QVERIFY(run.out.contains(serviceUrl(*m_service)));
        QVERIFY(run.out.contains("0.1.0"));
        QVERIFY(run.out.contains("Database:"));
        QVERIFY(run.out.contains("Recovery:"));
        const auto json = QJsonDocument::fromJson(cli({"status", "--json"}).out.toUtf8()).object();
        QCOMPARE(json["diagnostics"]["database"]["integrity"].toString(), QStringLiteral("ok"));
        QCOMPARE(json["appVersion"]["product"].toString(), QStringLiteral("Certkeeper"));
    }

    void usageErrorsExit2() {
        QCOMPARE(cli({}).exitCode, 2);
        QCOMPARE(cli({"frobnicate"}).exitCode, 2);
        QCOMPARE(cli({"add", "example.com"}).exitCode, 2); // no --name
        QCOMPARE(cli({"list", "--status", "Splendid"}).exitCode, 2);
        QCOMPARE(cli({"show"}).exitCode, 2);
        QCOMPARE(cli({"--server", "nowhere", "status"}).exitCode, 2);
        const auto help = cli({"--help"});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains("Exit codes:"));
    }

    void eachCommandHasItsOwnHelp() {
        const auto help = cli({"help", "add"});
        QVERIFY2(help.exitCode == 0, describe(help));
        QVERIFY(help.out.contains("--name NAME"));
        QVERIFY(help.out.contains("DOMAIN..."));
        QVERIFY(!help.out.contains("Exit codes:"));
        QCOMPARE(cli({"add", "--help"}).out, help.out);
        const auto group = cli({"account", "--help"});
        QVERIFY2(group.exitCode == 0, describe(group));
        for (const char* command : {"account list", "account add", "account rollover"})
            QVERIFY2(group.out.contains(QLatin1String(command)), command);
        QCOMPARE(cli({"help", "frobnicate"}).exitCode, 2);
        const auto noSub = cli({"account"});
        QCOMPARE(noSub.exitCode, 2);
        QVERIFY2(noSub.err.contains("account needs one of: list, add, rollover, remove"),
                 describe(noSub));
    }

    // The manual page and --help are generated from one table; this holds them to each other:
    // the page documents the global options --help lists, has a section for every command of
    // --help (and no other) documenting the options of that command's own help, and lists every
    // exit code.
    void manualPageAgreesWithHelp() {
        const auto page = cli({"--manpage"});
        QVERIFY2(page.exitCode == 0, describe(page));
        QString man = page.out;
        man.replace(QLatin1String("\\-"), QLatin1String("-"));
        static const QRegularExpression fonts(QStringLiteral(R"(\\f[BIRP])"));
        man.remove(fonts);
        QVERIFY(man.startsWith(".TH CERTKEEPER-CLI 1"));

        // Options as they are documented: a term line in --help, a .TP entry in the page.
        static const QRegularExpression helpTerm(QStringLiteral(R"(^  (?:-\w, )?(--[a-z][a-z-]*))"),
                                                 QRegularExpression::MultilineOption);
        static const QRegularExpression manTerm(
            QStringLiteral(R"(\.TP\n(?:-\w, )?(--[a-z][a-z-]*))"));
        auto documented = [](const QRegularExpression& term, const QString& text) {
            QStringList found;
            for (const auto& m : term.globalMatch(text))
                found << m.captured(1);
            return found;
        };
        const QString help = cli({"--help"}).out;
        const QString manOptions =
            man.section(QLatin1String(".SH OPTIONS"), 1).section(QLatin1String(".SH "), 0, 0);
        const QStringList globals =
            documented(helpTerm, help.section(QLatin1String("\nCommands"), 0, 0));
        QVERIFY(globals.contains("--data-dir"));
        QCOMPARE(documented(manTerm, manOptions), globals);

        static const QRegularExpression commandLine(
            // A group's command may hold a dot: "adopt acme.sh".
            QStringLiteral(R"(^  ([a-z][a-z-]*(?: [a-z][a-z.]*)?)(?: |$))"),
            QRegularExpression::MultilineOption);
        QStringList commands;
        for (const auto& m : commandLine.globalMatch(
                 help.section(QLatin1String("\nCommands"), 1).section(QLatin1String("\n\n"), 0, 0)))
            commands << m.captured(1);
        QVERIFY2(commands.size() >= 20, qPrintable(commands.join(", ")));
        QStringList manCommands;
        for (const QString& chunk : man.split(QLatin1String("\n.SS ")).mid(1)) {
            const QString section = chunk.section(QLatin1String("\n.SH "), 0, 0);
            const QString heading = section.section(u'\n', 0, 0);
            const QString twoWords = heading.section(u' ', 0, 1);
            const QString command =
                commands.contains(twoWords) ? twoWords : heading.section(u' ', 0, 0);
            manCommands << command;
            const auto own = cli(QStringList{"help"} + command.split(u' '));
            QVERIFY2(own.exitCode == 0, describe(own));
            QCOMPARE(documented(manTerm, section), documented(helpTerm, own.out));
        }
        QCOMPARE(manCommands, commands);

        const QString exitCodes = help.section(QLatin1String("\nExit codes:\n"), 1);
        int codes = 0;
        for (const QString& line : exitCodes.split(u'\n', Qt::SkipEmptyParts)) {
            if (line.size() < 4 || !line[2].isDigit())
                continue;
            ++codes;
            QVERIFY2(man.contains(QStringLiteral(".TP\n.B %1\n").arg(line.left(3).trimmed())),
                     qPrintable(line));
        }
        QCOMPARE(codes, 11);
    }

    void aTokenTheServiceRefusesExits7() {
        QTemporaryDir dir;
        ck::ServersConfig config;
        config.servers = {entryWithForeignToken(*m_service, dir)};
        QString error;
        QVERIFY(config.save(dir.filePath("servers.json"), &error));
        const auto run = runCli(dir.path(), {"list"});
        QVERIFY2(run.exitCode == 7, describe(run));
        QVERIFY(run.err.contains("does not match"));
    }

    // Last: it stops the service.
    void aStoppedServiceExits3AndSaysSo() {
        QVERIFY(m_service->stop());
        const auto run = cli({"status"});
        QVERIFY2(run.exitCode == 3, describe(run));
        QVERIFY2(run.err.contains("not running"), describe(run));
        QVERIFY(run.err.contains(QString::number(servicePort(*m_service))));
    }
};

QTEST_GUILESS_MAIN(CliTest)
#include "test_cli.moc"
