#include "ManagedProcess.h"

#include "process/Spawn.h"

#include <QElapsedTimer>
#include <QFile>
#include <QStandardPaths>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

namespace ck::test {
namespace {

// util-linux, on every Debian system: it sets the parent-death signal, then execs the program
// (same pid), which posix_spawn alone cannot do.
constexpr const char* kSetpriv = "/usr/bin/setpriv";

// Live process groups, read from signal handlers: lock-free atomics only, no allocation.
std::array<std::atomic<pid_t>, 128> g_groups{};
// The pid that installed the handlers: a forked child that has not exec'd yet runs them too
// and must not kill its siblings.
pid_t g_ownerPid = 0;

void registerGroup(pid_t pgid) {
    for (auto& slot : g_groups) {
        pid_t expected = 0;
        if (slot.compare_exchange_strong(expected, pgid))
            return;
    }
    // Full: the child still dies with its parent (--pdeathsig), just not from handlers.
}

void unregisterGroup(pid_t pgid) {
    for (auto& slot : g_groups) {
        pid_t expected = pgid;
        if (slot.compare_exchange_strong(expected, 0))
            return;
    }
}

void killAllGroups() {
    if (getpid() != g_ownerPid)
        return;
    for (auto& slot : g_groups) {
        const pid_t pgid = slot.exchange(0);
        if (pgid > 0)
            ::kill(-pgid, SIGKILL);
    }
}

constexpr std::array kFatalSignals{SIGINT,  SIGTERM, SIGHUP, SIGQUIT, SIGABRT,
                                   SIGSEGV, SIGBUS,  SIGFPE, SIGILL};
std::array<struct sigaction, NSIG> g_previous{};

void onFatalSignal(int sig, siginfo_t* info, void* context) {
    killAllGroups();
    const struct sigaction& previous = g_previous[static_cast<size_t>(sig)];
    if ((previous.sa_flags & SA_SIGINFO) != 0) {
        if (previous.sa_sigaction != nullptr)
            previous.sa_sigaction(sig, info, context);
        return;
    }
    if (previous.sa_handler == SIG_IGN)
        return;
    if (previous.sa_handler != SIG_DFL) {
        previous.sa_handler(sig);
        return;
    }
    // Default action: restore it and re-raise (delivered when this handler returns), so the
    // process still dies of this signal, with its exit status and core dump.
    sigaction(sig, &previous, nullptr);
    raise(sig);
}

bool installHandlers() {
    g_ownerPid = getpid();
    std::atexit(killAllGroups);
    for (const int sig : kFatalSignals) {
        struct sigaction action {};
        action.sa_sigaction = onFatalSignal;
        // SA_ONSTACK: on the alternate stack Catch2 sets up, so a stack overflow still runs it.
        action.sa_flags = SA_SIGINFO | SA_ONSTACK;
        sigemptyset(&action.sa_mask);
        struct sigaction& previous = g_previous[static_cast<size_t>(sig)];
        sigaction(sig, nullptr, &previous);
        if (previous.sa_handler == SIG_IGN && (previous.sa_flags & SA_SIGINFO) == 0)
            continue; // ignored on purpose (nohup): keep it that way
        sigaction(sig, &action, nullptr);
    }
    return true;
}

// Before main(): a crash in a test's first lines still takes the children with it.
[[maybe_unused]] const bool g_handlersInstalled = installHandlers();

QString resolveProgram(const QString& program) {
    if (program.contains(u'/'))
        return ::access(QFile::encodeName(program).constData(), X_OK) == 0 ? program : QString();
    return QStandardPaths::findExecutable(program);
}

struct Streams {
    int in = -1; // -1: /dev/null
    int out = -1;
    int err = -1;
};

// Starts `program` as the leader of a new process group, with default signal handling and an
// empty signal mask, no descriptor but the three standard ones, and death with this thread
// (setpriv --pdeathsig). Returns the pid, or -1 with `error` set.
pid_t spawnInGroup(const QString& program, const QStringList& args,
                   const QProcessEnvironment& environment, const QString& workingDir,
                   const Streams& streams, QString& error) {
    const QString path = resolveProgram(program);
    if (path.isEmpty()) {
        error = QStringLiteral("%1: not found or not executable").arg(program);
        return -1;
    }
    const QStringList argv = QStringList{QStringLiteral("setpriv"), QStringLiteral("--pdeathsig"),
                                         QStringLiteral("KILL"), QStringLiteral("--"), path} +
                             args;
    const QStringList env =
        (environment.isEmpty() ? QProcessEnvironment::systemEnvironment() : environment)
            .toStringList();
    pid_t pid = -1;
    const int rc = process::spawnInOwnGroup({QString::fromLatin1(kSetpriv), argv, env, workingDir,
                                             streams.in, streams.out, streams.err},
                                            pid);
    if (rc != 0) {
        error = QStringLiteral("cannot start %1: %2")
                    .arg(program, QString::fromLocal8Bit(strerror(rc)));
        return -1;
    }
    registerGroup(pid);
    return pid;
}

// Waits up to `waitMs` for `pid` to exit; true, with its status, once it has been reaped.
bool waitForChild(pid_t pid, int waitMs, int& status) {
    QElapsedTimer timer;
    timer.start();
    for (;;) {
        const pid_t done = ::waitpid(pid, &status, WNOHANG);
        if (done == pid || (done < 0 && errno == ECHILD)) {
            unregisterGroup(pid); // reaped: the pid may be reused
            return true;
        }
        if (timer.elapsed() >= waitMs)
            return false;
        ::usleep(5000);
    }
}

int exitCodeOf(int status) {
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Reads what is there; false at end of file or on an error.
bool readAvailable(int fd, QByteArray& into) {
    char buffer[16384];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n > 0) {
            into.append(buffer, n);
            continue;
        }
        return n < 0 && (errno == EAGAIN || errno == EINTR);
    }
}

struct Pipe {
    int read = -1;
    int write = -1;
    Pipe() {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) == 0) {
            read = fds[0];
            write = fds[1];
        }
    }
    ~Pipe() {
        closeRead();
        closeWrite();
    }
    Pipe(const Pipe&) = delete;
    Pipe& operator=(const Pipe&) = delete;
    void closeRead() {
        if (read >= 0)
            ::close(std::exchange(read, -1));
    }
    void closeWrite() {
        if (write >= 0)
            ::close(std::exchange(write, -1));
    }
};

} // namespace

QString ToolResult::describe() const {
    QString text = QStringLiteral("exit code %1").arg(exitCode);
    if (timedOut)
        text += QStringLiteral(" (timed out)");
    if (!error.isEmpty())
        text += QStringLiteral(" (%1)").arg(error);
    return text + QStringLiteral("\nstdout:\n%1\nstderr:\n%2")
                      .arg(QString::fromUtf8(stdOut), QString::fromUtf8(stdErr));
}

ToolResult runTool(const QString& program, const QStringList& args, const QByteArray& stdIn,
                   int timeoutMs, const QProcessEnvironment& environment,
                   const QString& workingDir) {
    ToolResult result;
    Pipe in, out, err;
    if (in.read < 0 || out.read < 0 || err.read < 0) {
        result.error = QStringLiteral("cannot make a pipe: %1").arg(strerror(errno));
        return result;
    }
    const pid_t pid = spawnInGroup(program, args, environment, workingDir,
                                   {in.read, out.write, err.write}, result.error);
    in.closeRead();
    out.closeWrite();
    err.closeWrite();
    if (pid < 0)
        return result;
    for (const int fd : {in.write, out.read, err.read})
        ::fcntl(fd, F_SETFL, O_NONBLOCK);
    if (stdIn.isEmpty())
        in.closeWrite();

    // Writes to a child that has stopped reading fail with EPIPE instead of killing the test.
    sigset_t pipeSignal, previousMask;
    sigemptyset(&pipeSignal);
    sigaddset(&pipeSignal, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipeSignal, &previousMask);

    QElapsedTimer timer;
    timer.start();
    qsizetype written = 0;
    int status = 0;
    bool reaped = false;
    while (out.read >= 0 || err.read >= 0) {
        const qint64 left = timeoutMs - timer.elapsed();
        if (left <= 0) {
            result.timedOut = true;
            break;
        }
        pollfd fds[3];
        nfds_t count = 0;
        for (const int fd : {out.read, err.read})
            if (fd >= 0)
                fds[count++] = {fd, POLLIN, 0};
        if (in.write >= 0)
            fds[count++] = {in.write, POLLOUT, 0};
        ::poll(fds, count, int(std::min<qint64>(left, 100)));
        if (out.read >= 0 && !readAvailable(out.read, result.stdOut))
            out.closeRead();
        if (err.read >= 0 && !readAvailable(err.read, result.stdErr))
            err.closeRead();
        if (in.write >= 0) {
            const ssize_t n =
                ::write(in.write, stdIn.constData() + written, size_t(stdIn.size() - written));
            if (n > 0)
                written += n;
            if (written == stdIn.size() || (n < 0 && errno != EAGAIN && errno != EINTR))
                in.closeWrite();
        }
        // A grandchild may keep the pipes open after the tool exits: stop at its exit.
        if (!reaped && waitForChild(pid, 0, status)) {
            reaped = true;
            readAvailable(out.read, result.stdOut);
            readAvailable(err.read, result.stdErr);
            break;
        }
    }
    in.closeWrite();
    timespec zero{};
    while (sigtimedwait(&pipeSignal, nullptr, &zero) == SIGPIPE) {
    }
    pthread_sigmask(SIG_SETMASK, &previousMask, nullptr);

    if (result.timedOut)
        ::kill(-pid, SIGKILL);
    if (!reaped && !waitForChild(pid, 10000, status)) {
        ::kill(-pid, SIGKILL);
        waitForChild(pid, 10000, status);
    }
    if (result.timedOut)
        return result;
    result.exitCode = exitCodeOf(status);
    if (!WIFEXITED(status))
        result.error = QStringLiteral("crashed");
    return result;
}

ManagedProcess::ManagedProcess() = default;

ManagedProcess::~ManagedProcess() {
    stop();
}

bool ManagedProcess::start(const QString& program, const QStringList& args, const QString& logFile,
                           const QProcessEnvironment& environment, const QString& workingDir) {
    stop();
    m_logFile = logFile;
    m_error.clear();
    const int log = ::open(QFile::encodeName(logFile).constData(),
                           O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (log < 0) {
        m_error = QStringLiteral("cannot open %1: %2").arg(logFile, strerror(errno));
        return false;
    }
    if (m_marksStarts) { // each start in the log, for failure messages
        const QByteArray marker =
            QStringLiteral("=== %1 %2\n").arg(program, args.join(u' ')).toUtf8();
        [[maybe_unused]] const auto n = ::write(log, marker.constData(), size_t(marker.size()));
    }
    const pid_t pid = spawnInGroup(program, args, environment, workingDir, {-1, log, log}, m_error);
    ::close(log);
    if (pid < 0)
        return false;
    m_pid = pid;
    m_running = true;
    return true;
}

void ManagedProcess::stop(int graceMs) {
    if (!isRunning())
        return;
    const auto pgid = pid_t(m_pid);
    ::kill(-pgid, SIGTERM);
    if (!reap(graceMs)) {
        ::kill(-pgid, SIGKILL);
        reap(10000);
    }
}

void ManagedProcess::sendSignal(int signal) {
    if (isRunning())
        ::kill(pid_t(m_pid), signal);
}

bool ManagedProcess::reap(int waitMs) const {
    if (!m_running)
        return true;
    if (!waitForChild(pid_t(m_pid), waitMs, m_status))
        return false;
    m_running = false;
    return true;
}

bool ManagedProcess::isRunning() const {
    return !reap(0);
}

bool ManagedProcess::waitForExit(int ms) {
    return reap(ms);
}

int ManagedProcess::exitCode() const {
    if (m_pid == 0 || isRunning())
        return -1;
    return exitCodeOf(m_status);
}

QString ManagedProcess::output() const {
    QFile log(m_logFile);
    return log.open(QIODevice::ReadOnly) ? QString::fromUtf8(log.readAll()) : QString();
}

} // namespace ck::test
