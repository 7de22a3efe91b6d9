#include "ManagedProcess.h"

#include <QFile>
#include <QProcess>

#include <array>
#include <atomic>
#include <csignal>
#include <cstdlib>

#include <sys/prctl.h>
#include <sys/types.h>
#include <unistd.h>

namespace ck::test {
namespace {

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
    // Full: the child still dies with its parent (PR_SET_PDEATHSIG), just not from handlers.
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

// Own process group (one kill reaches any grandchildren) and death with the parent thread.
void configure(QProcess& process, const QProcessEnvironment& environment,
               const QString& workingDir) {
    const pid_t parent = getpid();
    process.setChildProcessModifier([parent] {
        setpgid(0, 0);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) // the parent died before prctl() took effect
            _exit(127);
    });
    process.setProcessEnvironment(environment.isEmpty() ? QProcessEnvironment::systemEnvironment()
                                                        : environment);
    if (!workingDir.isEmpty())
        process.setWorkingDirectory(workingDir);
}

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
    QProcess process;
    configure(process, environment, workingDir);
    process.start(program, args);
    if (!process.waitForStarted(timeoutMs)) {
        result.error = process.errorString();
        return result;
    }
    const auto pgid = pid_t(process.processId());
    registerGroup(pgid);
    process.write(stdIn);
    process.closeWriteChannel();
    if (!process.waitForFinished(timeoutMs) && process.state() != QProcess::NotRunning) {
        result.timedOut = true;
        ::kill(-pgid, SIGKILL);
        process.waitForFinished(10000);
    }
    unregisterGroup(pgid);
    result.stdOut = process.readAllStandardOutput();
    result.stdErr = process.readAllStandardError();
    if (!result.timedOut && process.exitStatus() == QProcess::NormalExit)
        result.exitCode = process.exitCode();
    else if (!result.timedOut)
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
    QFile log(logFile);
    if (log.open(QIODevice::Append)) // marks each start in the log, for failure messages
        log.write(QStringLiteral("=== %1 %2\n").arg(program, args.join(u' ')).toUtf8());
    log.close();

    m_process = std::make_unique<QProcess>();
    configure(*m_process, environment, workingDir);
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->setStandardOutputFile(logFile, QIODevice::Append);
    m_process->setStandardInputFile(QProcess::nullDevice());
    m_process->start(program, args);
    if (!m_process->waitForStarted(10000)) {
        m_error = m_process->errorString();
        m_process.reset();
        return false;
    }
    m_pid = m_process->processId();
    registerGroup(pid_t(m_pid));
    return true;
}

void ManagedProcess::stop(int graceMs) {
    if (!m_process)
        return;
    const auto pgid = pid_t(m_pid);
    if (m_process->state() != QProcess::NotRunning) {
        ::kill(-pgid, SIGTERM);
        if (!m_process->waitForFinished(graceMs) && m_process->state() != QProcess::NotRunning) {
            ::kill(-pgid, SIGKILL);
            m_process->waitForFinished(10000);
        }
    }
    unregisterGroup(pgid);
}

bool ManagedProcess::isRunning() const {
    if (!m_process || m_process->state() == QProcess::NotRunning)
        return false;
    // Without an event loop QProcess only notices the exit when asked: poll without waiting.
    if (m_process->waitForFinished(0) || m_process->state() == QProcess::NotRunning) {
        unregisterGroup(pid_t(m_pid)); // reaped: the pid may be reused
        return false;
    }
    return true;
}

bool ManagedProcess::waitForExit(int ms) {
    if (!isRunning())
        return true;
    m_process->waitForFinished(ms);
    return !isRunning();
}

int ManagedProcess::exitCode() const {
    if (isRunning() || !m_process || m_process->exitStatus() != QProcess::NormalExit)
        return -1;
    return m_process->exitCode();
}

QString ManagedProcess::output() const {
    QFile log(m_logFile);
    return log.open(QIODevice::ReadOnly) ? QString::fromUtf8(log.readAll()) : QString();
}

} // namespace ck::test
