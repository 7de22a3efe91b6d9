#pragma once
// Named steps of long work (a request, a deployment) where a test build of the service can stop
// the process, to prove that a restart from each of them ends well: one order at the CA, no file
// half-written, no challenge response left behind. The product never installs a hook, so a
// fault point costs one test of a null pointer; the hook that kills is compiled only into the
// test build (tests/faults).

namespace ck {

using FaultPointHook = void (*)(const char* step);
extern FaultPointHook faultPointHook;

inline void faultPoint(const char* step) {
    if (faultPointHook)
        faultPointHook(step);
}

} // namespace ck
