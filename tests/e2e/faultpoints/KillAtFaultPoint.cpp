// Linked only into certkeeper-service-faultpoints, the test build of the service: when
// CERTKEEPER_KILL_AT names a fault point (service/base/FaultPoint.h), the process kills itself
// with SIGKILL the first time it reaches that step, as a power cut would at that moment.

#include "base/FaultPoint.h"

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

namespace {

const char* killAt = nullptr;

void killHere(const char* step) {
    if (std::strcmp(step, killAt) != 0)
        return;
    static const char said[] = "fault point reached: SIGKILL\n";
    [[maybe_unused]] const ssize_t written = ::write(STDERR_FILENO, said, sizeof said - 1);
    ::raise(SIGKILL);
}

// Before main(): the hook is in place before the service's first request can reach a step.
const bool installed = [] {
    killAt = std::getenv("CERTKEEPER_KILL_AT");
    if (killAt && *killAt)
        ck::faultPointHook = &killHere;
    return true;
}();

} // namespace
