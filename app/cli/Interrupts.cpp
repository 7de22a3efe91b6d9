#include "cli/Interrupts.h"

#include <QSocketNotifier>

#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

namespace ck::cli {

namespace {
int g_pipe[2] = {-1, -1}; // [0] read by the notifier, [1] written by the handler
struct sigaction g_previousInt;
struct sigaction g_previousTerm;

extern "C" void onSignal(int signal) {
    const unsigned char byte = static_cast<unsigned char>(signal);
    // Nothing to do on failure: a full buffer already holds an unread interrupt.
    [[maybe_unused]] const auto written = ::write(g_pipe[1], &byte, 1);
}
} // namespace

Interrupts::Interrupts(QObject* parent) : QObject(parent) {
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, g_pipe) != 0)
        return; // the default handlers stay: an interrupt ends the process without cleanup
    m_notifier = new QSocketNotifier(g_pipe[0], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &Interrupts::onReadable);
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART; // reads and writes elsewhere are not cut short
    sigaction(SIGINT, &action, &g_previousInt);
    sigaction(SIGTERM, &action, &g_previousTerm);
}

Interrupts::~Interrupts() {
    if (!m_notifier)
        return;
    sigaction(SIGINT, &g_previousInt, nullptr);
    sigaction(SIGTERM, &g_previousTerm, nullptr);
    delete m_notifier;
    ::close(g_pipe[0]);
    ::close(g_pipe[1]);
    g_pipe[0] = g_pipe[1] = -1;
}

void Interrupts::onReadable() {
    unsigned char byte = 0;
    if (::read(g_pipe[0], &byte, 1) == 1)
        Q_EMIT interrupted(byte);
}

} // namespace ck::cli
