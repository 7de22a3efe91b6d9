#include "process/ChildProcess.h"

#include "process/SigpipeGuard.h"
#include "process/Spawn.h"

#include <QDir>
#include <QProcessEnvironment>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <optional>
#include <utility>

#include <fcntl.h>
#include <poll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace ck::process {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto killGrace = std::chrono::seconds(2);

// Closes a descriptor once, however the function is left.
struct Fd {
    int fd = -1;
    Fd() = default;
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() { reset(); }
    void reset() { ::close(std::exchange(fd, -1)); } // close(-1) is a harmless EBADF
};

QString errnoText(int error) {
    return QString::fromLocal8Bit(std::strerror(error));
}

// The service's environment with the spec's names replaced or added.
QStringList buildEnvironment(const ProcessSpec& spec) {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const auto& [name, value] : spec.environment)
        env.insert(name, value);
    return env.toStringList();
}

// Past `limit` bytes, keeps only the last outputCap.
void keepTail(ProcessResult& result, qsizetype limit) {
    if (result.output.size() > limit) {
        result.output.remove(0, result.output.size() - ProcessResult::outputCap);
        result.outputTruncated = true;
    }
}

// Reads what is available; false at end of file or on an error.
bool drain(int fd, ProcessResult& result) {
    char buffer[16384];
    for (;;) {
        ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n > 0) {
            result.output.append(buffer, n);
            keepTail(result, 2 * ProcessResult::outputCap); // amortised O(1) appends
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    }
}

bool makePipe(Fd& readEnd, Fd& writeEnd, ProcessResult& result) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        result.startError = QStringLiteral("cannot create a pipe: %1").arg(errnoText(errno));
        return false;
    }
    readEnd.fd = fds[0];
    writeEnd.fd = fds[1];
    return true;
}

} // namespace

// Checked here, not left to exec: where exec runs in a real fork (valgrind, older C libraries) a
// missing program would only show as exit code 127.
QString findExecutable(const ProcessSpec& spec, QString& error) {
    const QString& program = spec.program;
    QStringList candidates;
    if (program.contains(u'/'))
        candidates = {QDir(spec.workingDirectory).absoluteFilePath(program)};
    else
        for (const auto& dir : qEnvironmentVariable("PATH").split(u':', Qt::SkipEmptyParts))
            candidates.append(dir + u'/' + program);
    for (const QString& candidate : candidates)
        if (::access(candidate.toLocal8Bit().constData(), X_OK) == 0)
            return candidate;
    error = QStringLiteral("cannot start %1: %2")
                .arg(program, program.contains(u'/') ? errnoText(errno)
                                                     : QStringLiteral("not found in PATH"));
    return {};
}

namespace {

int spawn(const ProcessSpec& spec, const QString& path, int stdinFd, int outFd, pid_t& pid) {
    return spawnInOwnGroup({path, QStringList{spec.program} + spec.arguments,
                            buildEnvironment(spec), spec.workingDirectory, stdinFd, outFd, outFd},
                           pid);
}

} // namespace

QString ProcessResult::tail(int lines) const {
    QStringList all = QString::fromUtf8(output).split(u'\n');
    for (auto& line : all)
        if (line.endsWith(u'\r'))
            line.chop(1);
    while (!all.isEmpty() && all.last().trimmed().isEmpty())
        all.removeLast();
    if (all.size() > lines)
        all = all.mid(all.size() - lines);
    return all.join(u'\n');
}

QString ProcessResult::summary(std::chrono::milliseconds timeout) const {
    if (!startError.isEmpty())
        return startError;
    if (timedOut)
        return QStringLiteral("did not finish within %1 s and was stopped")
            .arg(std::chrono::duration<double>(timeout).count());
    if (cancelled)
        return QStringLiteral("was stopped because the service is shutting down");
    if (signal != 0)
        return QStringLiteral("was ended by signal %1 (%2)")
            .arg(signal)
            .arg(QString::fromLocal8Bit(strsignal(signal)));
    return QStringLiteral("exited with code %1").arg(exitCode);
}

ProcessResult runProcessBlocking(const ProcessSpec& spec, const std::atomic<bool>* cancel) {
    ProcessResult result;
    if (cancel && cancel->load()) {
        result.cancelled = true;
        result.startError = QStringLiteral("not started: the service is shutting down");
        return result;
    }
    Fd outRead, outWrite, inRead, inWrite;
    if (!makePipe(outRead, outWrite, result) ||
        (!spec.input.isEmpty() && !makePipe(inRead, inWrite, result)))
        return result;

    const QString path = findExecutable(spec, result.startError);
    if (path.isEmpty())
        return result;
    SigpipeGuard sigpipe;
    pid_t pid = 0;
    if (int rc = spawn(spec, path, inRead.fd, outWrite.fd, pid); rc != 0) {
        result.startError = QStringLiteral("cannot start %1: %2").arg(spec.program, errnoText(rc));
        return result;
    }
    outWrite.reset();
    inRead.reset();
    ::fcntl(outRead.fd, F_SETFL, O_NONBLOCK);
    if (inWrite.fd >= 0)
        ::fcntl(inWrite.fd, F_SETFL, O_NONBLOCK);
    // A pidfd turns "the child exited" into a poll event; without one (Linux < 5.3) poll
    // wakes up every 20 ms to ask waitpid.
    Fd exitFd;
    exitFd.fd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));

    const auto deadline = Clock::now() + spec.timeout;
    std::optional<Clock::time_point> termSent;
    bool killSent = false;
    qsizetype written = 0;
    int status = 0;
    bool reaped = false;
    for (;;) {
        pid_t done = ::waitpid(pid, &status, WNOHANG);
        // ECHILD: someone else reaped it (SIGCHLD ignored); the exit status is then unknown.
        if (done == pid || (done < 0 && errno == ECHILD)) {
            reaped = done == pid;
            // Grandchildren may still hold the pipe: take what is there and stop reading.
            if (outRead.fd >= 0)
                drain(outRead.fd, result);
            break;
        }
        const auto now = Clock::now();
        if (!termSent && (now >= deadline || (cancel && cancel->load()))) {
            (now >= deadline ? result.timedOut : result.cancelled) = true;
            ::kill(-pid, SIGTERM);
            termSent = now;
            inWrite.reset();
        } else if (termSent && !killSent && now >= *termSent + killGrace) {
            ::kill(-pid, SIGKILL);
            killSent = true;
        }

        pollfd pfds[3];
        nfds_t count = 0;
        if (outRead.fd >= 0)
            pfds[count++] = {outRead.fd, POLLIN, 0};
        if (inWrite.fd >= 0)
            pfds[count++] = {inWrite.fd, POLLOUT, 0};
        if (exitFd.fd >= 0)
            pfds[count++] = {exitFd.fd, POLLIN, 0};
        ::poll(pfds, count, exitFd.fd >= 0 ? 100 : 20);
        for (nfds_t i = 0; i < count; ++i) {
            if (pfds[i].revents == 0)
                continue;
            if (pfds[i].fd == outRead.fd && !drain(outRead.fd, result)) {
                outRead.reset();
            } else if (pfds[i].fd == inWrite.fd) {
                ssize_t n = ::write(inWrite.fd, spec.input.constData() + written,
                                    static_cast<size_t>(spec.input.size() - written));
                if (n > 0)
                    written += n;
                // EPIPE: the program does not read its input, which is its own business.
                if ((n < 0 && errno != EAGAIN && errno != EINTR) || written == spec.input.size())
                    inWrite.reset();
            }
        }
    }

    keepTail(result, ProcessResult::outputCap);
    if (!reaped)
        return result;
    if (WIFEXITED(status) && !result.timedOut && !result.cancelled)
        result.exitCode = WEXITSTATUS(status);
    else if (WIFSIGNALED(status))
        result.signal = WTERMSIG(status);
    return result;
}

} // namespace ck::process
