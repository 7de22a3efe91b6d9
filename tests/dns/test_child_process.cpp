// ProcessRunner / runProcessBlocking: the child-process plumbing under the script DNS provider
// (and, later, deployment scripts).
#include "DnsTestSupport.h"
#include "ManagedProcess.h"
#include "process/ChildProcess.h"

#include <catch2/catch.hpp>

#include <QFile>
#include <QTemporaryDir>

#include <fcntl.h>
#include <unistd.h>

using namespace ck;
using namespace ck::process;
using namespace std::chrono_literals;

namespace {
ProcessSpec shell(const QString& script, QByteArray input = {}) {
    ProcessSpec spec;
    spec.program = QStringLiteral("/bin/sh");
    spec.arguments = {QStringLiteral("-c"), script};
    spec.input = std::move(input);
    spec.timeout = 20s;
    return spec;
}
} // namespace

TEST_CASE("A child gets its stdin and its output is captured with the exit code") {
    ProcessResult r =
        runProcessBlocking(shell(QStringLiteral("cat; echo oops >&2; exit 3"), "hello\n"));
    INFO(r.output.toStdString());
    CHECK(r.startError.isEmpty());
    CHECK(r.exitCode == 3);
    CHECK_FALSE(r.ok());
    CHECK(r.output == "hello\noops\n");
    CHECK(r.summary(20s) == QStringLiteral("exited with code 3"));
}

TEST_CASE("Large input is written while the output is read") {
    QByteArray big(1 << 20, 'x'); // far more than a pipe buffer holds
    ProcessResult r = runProcessBlocking(shell(QStringLiteral("wc -c"), big));
    CHECK(r.exitCode == 0);
    CHECK(r.output.trimmed() == "1048576");
}

TEST_CASE("Without input, stdin is /dev/null") {
    ProcessResult r = runProcessBlocking(shell(QStringLiteral("cat; echo done")));
    CHECK(r.ok());
    CHECK(r.output == "done\n");
}

TEST_CASE("A missing program is a start error") {
    ProcessSpec spec;
    spec.program = QStringLiteral("/nonexistent/certkeeper-no-such-program");
    ProcessResult r = runProcessBlocking(spec);
    CHECK_FALSE(r.ok());
    CHECK(r.exitCode == -1);
    CHECK(r.startError.contains(spec.program));
    CHECK(r.startError.contains(QStringLiteral("No such file")));

    spec.program = QStringLiteral("certkeeper-no-such-program-in-path");
    r = runProcessBlocking(spec);
    CHECK(r.startError.contains(spec.program));
}

TEST_CASE("Extra environment variables are added to the service's own") {
    ProcessSpec spec = shell(QStringLiteral("echo \"$CK_EXTRA|$HOME_IS_SET\"; test -n \"$PATH\""));
    spec.environment = {{QStringLiteral("CK_EXTRA"), QStringLiteral("a b;$(c)")},
                        {QStringLiteral("HOME_IS_SET"), QStringLiteral("yes")}};
    ProcessResult r = runProcessBlocking(spec);
    CHECK(r.ok());
    CHECK(r.output == "a b;$(c)|yes\n");
}

TEST_CASE("The child does not inherit the service's other descriptors") {
    int leaked = ::open("/dev/null", O_RDONLY); // deliberately without O_CLOEXEC
    REQUIRE(leaked > 2);
    ProcessResult r = runProcessBlocking(
        shell(QStringLiteral("test -e /proc/self/fd/%1 && echo open || echo closed").arg(leaked)));
    ::close(leaked);
    CHECK(r.output == "closed\n");
}

TEST_CASE("A child past its timeout is stopped with its whole process group") {
    QTemporaryDir dir;
    const QString pidFile = dir.filePath(QStringLiteral("grandchild.pid"));
    ProcessSpec spec =
        shell(QStringLiteral("sleep 60 & echo $! > '%1'; echo started; wait").arg(pidFile));
    spec.timeout = 500ms;
    const auto start = std::chrono::steady_clock::now();
    ProcessResult r = runProcessBlocking(spec);
    CHECK(test::secondsSince(start) < 3.0);
    CHECK(r.timedOut);
    CHECK(r.exitCode == -1);
    CHECK(r.output == "started\n");
    CHECK(r.summary(spec.timeout).contains(QStringLiteral("did not finish within 0.5 s")));
    QFile f(pidFile);
    REQUIRE(f.open(QIODevice::ReadOnly));
    const qint64 grandchild = f.readAll().trimmed().toLongLong();
    REQUIRE(grandchild > 0);
    for (int i = 0; i < 50 && test::processExists(grandchild); ++i)
        ::usleep(20000);
    CHECK_FALSE(test::processExists(grandchild));
}

TEST_CASE("A child that ignores SIGTERM is killed 2 s later") {
    ProcessSpec spec = shell(QStringLiteral("trap '' TERM; echo ready; sleep 60; sleep 60"));
    spec.timeout = 300ms;
    const auto start = std::chrono::steady_clock::now();
    ProcessResult r = runProcessBlocking(spec);
    const double took = test::secondsSince(start);
    CHECK(r.timedOut);
    CHECK(took >= 2.0);
    CHECK(took < 5.0);
}

TEST_CASE("Output is capped, keeping the tail") {
    ProcessResult r = runProcessBlocking(
        shell(QStringLiteral("head -c 300000 /dev/zero | tr '\\0' 'a'; echo; echo second-last; "
                             "echo last")));
    CHECK(r.ok());
    CHECK(r.outputTruncated);
    CHECK(r.output.size() == ProcessResult::outputCap);
    CHECK(r.tail(2) == QStringLiteral("second-last\nlast"));
}

TEST_CASE("tail() gives the last lines without trailing blank ones") {
    ProcessResult r;
    r.output = "one\r\ntwo\nthree\n\n  \n";
    CHECK(r.tail(2) == QStringLiteral("two\nthree"));
    CHECK(r.tail(10) == QStringLiteral("one\ntwo\nthree"));
    CHECK(r.tail(0).isEmpty());
}

TEST_CASE("ProcessRunner::run resumes the caller on its own thread") {
    ProcessRunner runner(2);
    const auto caller = std::this_thread::get_id();
    auto body = [&]() -> awaitable<QByteArray> {
        ProcessSpec spec = shell(QStringLiteral("echo from-child"));
        ProcessResult r = co_await runner.run(spec);
        CHECK(std::this_thread::get_id() == caller);
        co_return r.output;
    };
    CHECK(test::runSync(body()) == "from-child\n");
}

TEST_CASE("Destroying the runner stops a running child") {
    const auto start = std::chrono::steady_clock::now();
    std::thread t;
    {
        auto runner = std::make_unique<ProcessRunner>(1);
        // The coroutine's thread uses the runner itself, never the pointer that reset() below
        // writes (ThreadSanitizer saw that race).
        ProcessRunner& running = *runner;
        ProcessSpec spec = shell(QStringLiteral("sleep 60"));
        std::atomic<bool> finished{false};
        asio::io_context ioc;
        auto body = [&]() -> awaitable<void> {
            ProcessResult r = co_await running.run(spec);
            CHECK(r.cancelled);
            finished = true;
        };
        asio::co_spawn(ioc, body(), asio::detached);
        t = std::thread([&ioc] { ioc.run(); });
        ::usleep(300000);
        runner.reset(); // joins the pool once the child has been stopped
        t.join();
        CHECK(finished);
    }
    CHECK(test::secondsSince(start) < 4.0);
}
