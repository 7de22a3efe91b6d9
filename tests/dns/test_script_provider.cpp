// ScriptDnsProvider: the user's commands get the record in environment variables, failures
// come back with the command's output, slow commands are stopped.
#include "DnsTestSupport.h"
#include "challenges/ScriptDnsProvider.h"
#include "process/ChildProcess.h"

#include <catch2/catch.hpp>

#include <QFile>
#include <QTemporaryDir>

using namespace ck;
using namespace ck::challenges;
using namespace std::chrono_literals;

namespace {

QStringList readLines(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(f.readAll()).split(u'\n', Qt::SkipEmptyParts);
}

const DnsTxtRecord wildcard{QStringLiteral("_acme-challenge.example.test."),
                            QStringLiteral("txt-value_1"), QStringLiteral("*.example.test")};

} // namespace

TEST_CASE("present and cleanup run their commands with the record in the environment") {
    QTemporaryDir dir;
    process::ProcessRunner runner(2);
    const QString log = dir.filePath(QStringLiteral("calls.log"));
    const QString script = test::writeScript(
        dir, QStringLiteral("hook.sh"),
        QStringLiteral("echo \"$1|$CERTKEEPER_ACTION|$CERTKEEPER_RECORD_NAME|"
                       "$CERTKEEPER_RECORD_VALUE|$CERTKEEPER_DOMAIN\" >> \"$2\"\n"));
    ScriptDnsSettings settings;
    settings.presentCommand = {script, {QStringLiteral("add"), log}};
    settings.cleanupCommand = {script, {QStringLiteral("del"), log}};
    ScriptDnsProvider provider(runner, settings);
    CHECK(provider.title() == QStringLiteral("DNS script ") + script);

    test::runSync(provider.present(wildcard));
    test::runSync(provider.waitForPropagation(wildcard, 5s)); // nothing configured: returns
    test::runSync(provider.cleanup(wildcard));
    CHECK(readLines(log) ==
          QStringList{QStringLiteral("add|present|_acme-challenge.example.test.|txt-value_1|"
                                     "*.example.test"),
                      QStringLiteral("del|cleanup|_acme-challenge.example.test.|txt-value_1|"
                                     "*.example.test")});
}

TEST_CASE("Without a cleanup command, cleanup does nothing") {
    process::ProcessRunner runner(1);
    ScriptDnsSettings settings;
    settings.presentCommand = {QStringLiteral("/bin/true"), {}};
    ScriptDnsProvider provider(runner, settings);
    test::runSync(provider.cleanup(wildcard));
    settings.presentCommand = {};
    CHECK_THROWS_AS(ScriptDnsProvider(runner, settings), InvalidInputError);
}

TEST_CASE("A failing command is an error with the end of its output") {
    QTemporaryDir dir;
    process::ProcessRunner runner(1);
    QString body;
    for (int i = 1; i <= 30; ++i)
        body += QStringLiteral("echo line-%1\n").arg(i);
    body += QStringLiteral("echo 'API says: zone not found' >&2\nexit 7\n");
    ScriptDnsSettings settings;
    settings.presentCommand = {test::writeScript(dir, QStringLiteral("fail.sh"), body), {}};
    ScriptDnsProvider provider(runner, settings);
    UpstreamError e = test::errorOf<UpstreamError>(provider.present(wildcard));
    INFO(e.message().toStdString());
    CHECK(e.message().contains(QStringLiteral("(present)")));
    CHECK(e.message().contains(wildcard.name));
    CHECK(e.message().contains(QStringLiteral("exited with code 7")));
    CHECK(e.message().endsWith(QStringLiteral("line-30\nAPI says: zone not found")));
    CHECK_FALSE(e.message().contains(QStringLiteral("line-20\n")));
}

TEST_CASE("A command past its timeout is stopped and reported") {
    QTemporaryDir dir;
    process::ProcessRunner runner(1);
    ScriptDnsSettings settings;
    settings.presentCommand = {test::writeScript(dir, QStringLiteral("slow.sh"),
                                                 QStringLiteral("echo waiting\nsleep 60\n")),
                               {}};
    settings.timeout = 1s;
    ScriptDnsProvider provider(runner, settings);
    const auto start = std::chrono::steady_clock::now();
    DomainError e = test::errorOf<DomainError>(provider.present(wildcard));
    INFO(e.message().toStdString());
    CHECK(test::secondsSince(start) < 4.0);
    CHECK(e.message().contains(QStringLiteral("did not finish within 1 s and was stopped")));
    CHECK(e.message().contains(QStringLiteral("waiting")));
}

TEST_CASE("A missing command is reported with the reason") {
    process::ProcessRunner runner(1);
    ScriptDnsSettings settings;
    settings.presentCommand = {QStringLiteral("/nonexistent/dns-hook"), {}};
    ScriptDnsProvider provider(runner, settings);
    DomainError e = test::errorOf<DomainError>(provider.present(wildcard));
    CHECK(e.message().contains(QStringLiteral("cannot start /nonexistent/dns-hook")));
}

TEST_CASE("waitForPropagation waits the delay, then asks the check server") {
    test::Bind9Process bind;
    REQUIRE(bind.start());
    process::ProcessRunner runner(2);
    ScriptDnsSettings settings;
    settings.presentCommand = {QStringLiteral("/bin/true"), {}};
    settings.propagationDelaySeconds = 1;
    settings.checkServer = bind.address();
    settings.checkPort = bind.port();
    ScriptDnsProvider provider(runner, settings);

    auto start = std::chrono::steady_clock::now();
    DomainError e = test::errorOf<DomainError>(provider.waitForPropagation(wildcard, 1s));
    INFO(e.message().toStdString());
    CHECK(test::secondsSince(start) >= 1.0);
    CHECK(e.message().contains(
        QStringLiteral("127.0.0.1:%1 has no TXT record there").arg(bind.port())));

    // Once the record is there (created here through RFC 2136), the check passes.
    Rfc2136Provider rfc2136(runner, test::settingsFor(bind));
    test::runSync(rfc2136.present(wildcard));
    start = std::chrono::steady_clock::now();
    test::runSync(provider.waitForPropagation(wildcard, 5s));
    CHECK(test::secondsSince(start) >= 1.0);
    CHECK(test::secondsSince(start) < 3.0);
}
