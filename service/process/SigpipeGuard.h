#pragma once
// Writing to a pipe or socket whose reader has gone raises SIGPIPE, which would end the whole
// service: block it on this thread while the guard lives (a child's stdin, a TLS probe), and
// swallow one that became pending.

#include <csignal>

#include <pthread.h>

namespace ck::process {

class SigpipeGuard {
public:
    SigpipeGuard() {
        sigemptyset(&m_pipe);
        sigaddset(&m_pipe, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &m_pipe, &m_old);
    }
    ~SigpipeGuard() {
        timespec zero{};
        while (sigtimedwait(&m_pipe, nullptr, &zero) == SIGPIPE) {
        }
        pthread_sigmask(SIG_SETMASK, &m_old, nullptr);
    }
    SigpipeGuard(const SigpipeGuard&) = delete;
    SigpipeGuard& operator=(const SigpipeGuard&) = delete;

private:
    sigset_t m_pipe;
    sigset_t m_old;
};

} // namespace ck::process
