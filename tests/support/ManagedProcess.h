#pragma once
// The process plumbing under the tests' peers (the service, Pebble, BIND9, tools such as openssl).
//
// Children are started with posix_spawn, not QProcess: Qt 6.4's QProcess forks with
// clone(CLONE_VM | CLONE_VFORK), and its child then runs code through the sanitizers'
// interceptors on the parent's memory, which ThreadSanitizer takes for races in the parent.
//
// Starts: a long-running child (ManagedProcess) or a short tool run to completion (runTool),
// each as the leader of its own process group, with its output in a log file (long-running:
// a pipe nobody drains would fill up and block the child) or captured (tools).
//
// Cleans up, in this order of preference:
//   - ManagedProcess::stop() / the destructor: SIGTERM to the whole group, SIGKILL after a
//     grace period, then the child is reaped;
//   - runTool(): SIGKILL to the group when the time limit passes;
//   - abnormal exits of the test process: every live group is registered, and SIGKILLed from
//     an atexit() handler and from handlers for SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGABRT,
//     SIGSEGV, SIGBUS, SIGFPE and SIGILL (installed before main(); they chain to the previous
//     handler, so Catch2's fatal-signal reporting still runs);
//   - SIGKILL of the test process itself (a ctest TIMEOUT): each child is started through
//     `setpriv --pdeathsig KILL` (util-linux), so the kernel kills it when the thread that
//     started it dies.
//     That covers the direct child only: the peers used here (pebble, named -g) do not fork.

#include <QByteArray>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <vector>

#include <sys/types.h>

namespace ck::test {

// `count` distinct loopback ports that nobody listens on right now (TCP, and UDP too when
// `udpToo`). They are released before returning, so another process can still take one:
// the peers retry start-up on "address already in use".
std::vector<int> freeLoopbackPorts(int count, bool udpToo = false);

// An installed program: `name` looked up in PATH, /usr/sbin and /sbin, else `fallback`.
QString findProgram(const QString& name, const QString& fallback = {});

// Whether a process with this pid exists (a zombie counts as gone).
bool processExists(qint64 pid);

// Whether process `pid` itself holds a listening TCP socket (`udp`: a bound UDP socket) on
// `port`, from /proc. A peer that answers is not proof enough that it got its port: when the
// port was taken after freeLoopbackPorts() chose it, the answer may come from the other holder.
bool holdsPort(qint64 pid, int port, bool udp = false);

struct ToolResult {
    int exitCode = -1;     // -1 when it crashed, timed out or could not start
    bool timedOut = false; // killed after the time limit
    QByteArray stdOut;
    QByteArray stdErr;
    QString error; // why it could not start, if it did not

    bool ok() const { return exitCode == 0; }
    QString describe() const; // exit code, stdout and stderr, for test failure messages
};

// Runs a program to completion in its own process group. `stdIn` is written and closed first.
// An empty `environment` means the test process's own.
ToolResult runTool(const QString& program, const QStringList& args, const QByteArray& stdIn = {},
                   int timeoutMs = 30000, const QProcessEnvironment& environment = {},
                   const QString& workingDir = {});

// One long-running child process in its own process group.
class ManagedProcess {
public:
    ManagedProcess();
    ~ManagedProcess(); // stop()
    ManagedProcess(const ManagedProcess&) = delete;
    ManagedProcess& operator=(const ManagedProcess&) = delete;

    // Starts `program`; stdout and stderr both go to `logFile` (appended). False if it could
    // not be started (errorString() says why).
    bool start(const QString& program, const QStringList& args, const QString& logFile,
               const QProcessEnvironment& environment = {}, const QString& workingDir = {});
    // SIGTERM to the group, SIGKILL after `graceMs`; waits for the child. Idempotent.
    void stop(int graceMs = 5000);
    // Whether start() writes "=== program args" into the log first (the default: it shows
    // which run a failure message's lines come from).
    void setMarksStarts(bool marks) { m_marksStarts = marks; }
    // `signal` to the child alone (not its group), as a user's `kill` would.
    void sendSignal(int signal);
    bool isRunning() const;
    // Waits up to `ms` for the child to exit on its own; true if it has.
    bool waitForExit(int ms);
    qint64 pid() const { return m_pid; } // of the last start(), kept after it exits
    int exitCode() const;                // -1 while running, and after a crash or a signal
    QString errorString() const { return m_error; }
    QString output() const; // contents of the log file
    QString logFile() const { return m_logFile; }

private:
    bool reap(int waitMs) const; // true once the child has exited (and was reaped)

    qint64 m_pid = 0;
    mutable bool m_running = false;
    mutable int m_status = 0; // waitpid's status, once reaped
    bool m_marksStarts = true;
    QString m_logFile;
    QString m_error;
};

} // namespace ck::test
