#pragma once
// Starting a program with posix_spawn (vfork and exec, never a fork of this process's threads):
// the child leads a process group of its own, so the whole group can be stopped later; it gets
// default signal handling, an empty signal mask and no descriptor but its three standard ones
// (descriptors another thread opened without O_CLOEXEC stay in this process). Used by the
// service's ChildProcess and by the tests' ManagedProcess.

#include <QStringList>

#include <string>

#include <sys/types.h>

namespace ck::process {

struct SpawnRequest {
    QString path;             // the executable, found already
    QStringList argv;         // argv[0] (the name the program is called by) first
    QStringList environment;  // "NAME=value", the whole environment
    QString workingDirectory; // empty: this process's
    int stdinFd = -1;         // -1: /dev/null
    int stdoutFd = -1;
    int stderrFd = -1;
};

// 0 with `pid` set, or the errno posix_spawn reports.
int spawnInOwnGroup(const SpawnRequest& request, pid_t& pid);

} // namespace ck::process
