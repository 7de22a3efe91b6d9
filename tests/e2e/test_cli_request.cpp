// certkeeper-cli request as a user runs it against the real service and Pebble: it waits, shows
// each step as it happens, and its exit code says how the request ended.

#include "CliRun.h"

#include <catch2/catch.hpp>

#include <QJsonArray>

using namespace ck::test;

TEST_CASE("certkeeper-cli request shows the steps and the files, and exits 0",
          "[e2e][cli][http01]") {
    IssuanceFixture f;
    const QString id = f.createItem({QStringLiteral("cli.example.test")});
    const ToolResult run = runCli(f, {QStringLiteral("request"), id});
    INFO(run.describe().toStdString());
    REQUIRE(run.exitCode == 0);
    const QString out = QString::fromUtf8(run.stdOut);
    // In the order they happened.
    const qsizetype ordered = out.indexOf(QStringLiteral("Order created"));
    const qsizetype validated = out.indexOf(QStringLiteral("cli.example.test validated"));
    const qsizetype issued = out.indexOf(QStringLiteral("Issued: "));
    CHECK(ordered >= 0);
    CHECK(validated > ordered);
    CHECK(issued > validated);
    CHECK(out.contains(f.item(id).value("certificateFullChainPath").toString()));

    // A second request shows only its own steps, not the first one's again.
    const ToolResult again = runCli(f, {QStringLiteral("request"), id});
    REQUIRE(again.exitCode == 0);
    CHECK(QString::fromUtf8(again.stdOut).count(QStringLiteral("Order created")) == 1);

    const ToolResult log =
        runCli(f, {QStringLiteral("log"), id, QStringLiteral("--limit"), QStringLiteral("1000")});
    CHECK(QString::fromUtf8(log.stdOut).count(QStringLiteral("Order created")) == 2);
}

TEST_CASE("certkeeper-cli request of a failing certificate exits 8 with the reason",
          "[e2e][cli][failure]") {
    IssuanceFixture f;
    const QString id = f.createItem(
        {QStringLiteral("nowhere.example.test")},
        {{"challenges", QJsonArray{QJsonObject{{"type", "http-01"},
                                               {"provider", "webroot"},
                                               {"webrootPath", "/nonexistent/www"}}}}});
    const ToolResult run = runCli(f, {QStringLiteral("request"), id});
    INFO(run.describe().toStdString());
    CHECK(run.exitCode == 8);
    CHECK(run.stdErr.contains("the request failed"));
    CHECK(run.stdErr.contains("/nonexistent/www"));
}

TEST_CASE("certkeeper-cli account add and list", "[e2e][cli][account]") {
    IssuanceFixture f(IssuanceOptions::withoutAccount());
    const ToolResult refused = runCli(
        f, {QStringLiteral("account"), QStringLiteral("add"), QStringLiteral("--ca"),
            QStringLiteral("pebble"), QStringLiteral("--email"), QStringLiteral("a@example.test")});
    CHECK(refused.exitCode == 5); // the terms were not accepted
    CHECK(refused.stdErr.contains("terms of service"));
    const ToolResult added =
        runCli(f, {QStringLiteral("account"), QStringLiteral("add"), QStringLiteral("--ca"),
                   QStringLiteral("pebble"), QStringLiteral("--email"),
                   QStringLiteral("a@example.test"), QStringLiteral("--agree-tos")});
    INFO(added.describe().toStdString());
    CHECK(added.exitCode == 0);
    const ToolResult listed = runCli(f, {QStringLiteral("account"), QStringLiteral("list")});
    CHECK(listed.stdOut.contains("a@example.test"));
    CHECK(listed.stdOut.contains("pebble"));
}
