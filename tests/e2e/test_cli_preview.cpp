// certkeeper-cli preview and test as a user runs them: the steps as an indented tree, each check
// with a mark and advice, and exit codes a script can branch on.

#include "CliRun.h"
#include "PreviewSupport.h"

#include <QRegularExpression>

using namespace ck::test;

TEST_CASE("certkeeper-cli preview prints the steps as a tree; errors make it exit 10",
          "[e2e][cli][preview]") {
    IssuanceFixture f;
    const QString fine = f.createItem({QStringLiteral("www.example.test")});
    const ToolResult run = runCli(f, {QStringLiteral("preview"), fine});
    INFO(run.describe().toStdString());
    CHECK(run.exitCode == 0);
    const QString out = QString::fromUtf8(run.stdOut);
    CHECK(out.startsWith("1. Request a certificate for www.example.test\n"));
    CHECK(out.contains("    - Certificate authority: Pebble")); // Markdown made plain
    // A substep, numbered in the tree as the app numbers it.
    CHECK(out.contains(QRegularExpression(
        "\\n    \\d\\.1\\. www\\.example\\.test: http-01 by the built-in listener")));
    CHECK(out.contains("Nothing was changed."));

    const QString broken = f.createItem(
        {QStringLiteral("static.example.test")},
        {{"challenges", QJsonArray{QJsonObject{{"type", "http-01"},
                                               {"provider", "webroot"},
                                               {"webrootPath", "/nonexistent/www"}}}}});
    const ToolResult failing = runCli(f, {QStringLiteral("preview"), broken});
    INFO(failing.describe().toStdString());
    CHECK(failing.exitCode == 10);
    CHECK(failing.stdOut.contains("      ✗ The webroot folder /nonexistent/www does not exist"));
    CHECK(failing.stdOut.contains("1 error(s) would stop the request"));

    const ToolResult json =
        runCli(f, {QStringLiteral("preview"), broken, QStringLiteral("--json")});
    CHECK(json.exitCode == 10);
    CHECK(QJsonDocument::fromJson(json.stdOut).object().value("steps").toArray().size() == 5);

    const ToolResult unknown = runCli(f, {QStringLiteral("preview"), QStringLiteral("no-such-id")});
    CHECK(unknown.exitCode == 4);
    CHECK(unknown.stdErr.contains("no-such-id"));
}

TEST_CASE("certkeeper-cli test marks each check and exits 10 when one fails", "[e2e][cli][test]") {
    IssuanceFixture f(IssuanceOptions::withoutAccount());
    const QString id = f.createItem({QStringLiteral("www.example.test")});
    const ToolResult run = runCli(f, {QStringLiteral("test"), id});
    INFO(run.describe().toStdString());
    CHECK(run.exitCode == 10);
    const QString out = QString::fromUtf8(run.stdOut);
    CHECK(out.contains("✓ The names are well-formed"));
    CHECK(out.contains("✓ www.example.test: http-01 by the built-in listener"));
    CHECK(out.contains("✗ The ACME account is registered with the CA"));
    CHECK(out.contains("    → Register one in Settings > ACME accounts"));
    CHECK(out.contains("1 of 5 checks failed."));

    f.registerAccount();
    const ToolResult passing = runCli(f, {QStringLiteral("test"), id});
    INFO(passing.describe().toStdString());
    CHECK(passing.exitCode == 0);
    CHECK(passing.stdOut.contains("All 5 checks passed."));
}
