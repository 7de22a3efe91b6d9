#pragma once
// Running external programs (DNS hook scripts now, deployment "run script" tasks later) without
// a shell: the program and its arguments go to posix_spawn as they are, so nothing in a domain
// name or a path is ever interpreted by /bin/sh.
//
// Each child leads its own process group, so a timeout stops the scripts it started too
// (SIGTERM to the group, SIGKILL 2 s later). It gets stdin from /dev/null unless input is given,
// default signal dispositions, an empty signal mask and no descriptor of ours but 0, 1 and 2.
//
// The wait for a child blocks a thread, so it happens on ProcessRunner's own small pool and the
// caller's coroutine resumes on its own executor, like StoreWorker::run.

#include "base/Offload.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <chrono>

namespace ck::process {

struct ProcessSpec {
    QString program; // a path (relative: to workingDirectory), or a name looked up in PATH
    QStringList arguments;
    // Added to (or replacing the same names in) the service's own environment.
    QList<QPair<QString, QString>> environment;
    QByteArray input;         // written to stdin, then stdin is closed; empty: /dev/null
    QString workingDirectory; // empty: the service's own
    std::chrono::milliseconds timeout{std::chrono::minutes(5)};
};

struct ProcessResult {
    static constexpr qsizetype outputCap = 64 * 1024;

    int exitCode = -1;      // -1 unless the program exited by itself
    int signal = 0;         // the signal that ended it, if one did
    bool timedOut = false;  // stopped because the timeout passed
    bool cancelled = false; // stopped because the service is shutting down
    QByteArray output;      // stdout and stderr interleaved; only the last outputCap bytes
    bool outputTruncated = false;
    QString startError; // why the program could not be started, if it could not

    bool ok() const { return startError.isEmpty() && exitCode == 0; }
    // The last `lines` lines of the output (decoded as UTF-8), without trailing blank lines.
    QString tail(int lines) const;
    // "exited with code 3", "was killed by signal 9", "timed out after 30 s", the start error...
    QString summary(std::chrono::milliseconds timeout) const;
};

// The file `spec` would execute: PATH searched for a bare name, a relative path taken from the
// working directory; empty with `error` saying why ("cannot start X: not found in PATH") when
// there is none that may be executed. Preview and Test use it to check scripts without running
// them.
QString findExecutable(const ProcessSpec& spec, QString& error);

// Runs the program to completion on the calling thread. `cancel` (optional) becomes true to
// stop it early, as the timeout would.
ProcessResult runProcessBlocking(const ProcessSpec& spec,
                                 const std::atomic<bool>* cancel = nullptr);

class ProcessRunner {
public:
    explicit ProcessRunner(int threads = 3) : m_pool(static_cast<std::size_t>(threads)) {}
    // Running children get SIGTERM at their next poll (within 100 ms) and SIGKILL 2 s later;
    // then the threads are joined. Destroy the runner before the io_contexts it resumes on.
    ~ProcessRunner() {
        m_stopping = true;
        m_pool.join();
    }
    ProcessRunner(const ProcessRunner&) = delete;
    ProcessRunner& operator=(const ProcessRunner&) = delete;

    // For a service that is stopping: children running now are stopped as at destruction, and
    // none is started any more (their results say so).
    void stopChildren() { m_stopping = true; }
    // True once stopChildren was called or the runner is going away: other work on its threads
    // (a transfer) watches it to give up early too.
    const std::atomic<bool>& stopping() const { return m_stopping; }

    // Runs other blocking work (ldns lookups) on the same threads; see offloadTo.
    template <typename F> auto offload(F&& work) {
        return offloadTo(m_pool, std::forward<F>(work));
    }

    // Runs the program on the runner's threads; the caller resumes on its own executor.
    // Not a coroutine: the spec is copied before the first suspension, so it may be a local.
    awaitable<ProcessResult> run(const ProcessSpec& spec) {
        const std::atomic<bool>* cancel = &m_stopping;
        auto work = [spec, cancel] { return runProcessBlocking(spec, cancel); };
        return offload(std::move(work));
    }

private:
    std::atomic<bool> m_stopping{false};
    asio::thread_pool m_pool;
};

} // namespace ck::process
