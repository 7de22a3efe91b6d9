#include "process/Spawn.h"

#include <QFile>

#include <vector>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <unistd.h>

namespace ck::process {

namespace {
std::vector<std::string> toLocal8Bit(const QStringList& list) {
    std::vector<std::string> out;
    out.reserve(size_t(list.size()));
    for (const QString& s : list)
        out.push_back(s.toLocal8Bit().toStdString());
    return out;
}

// posix_spawn wants NULL-terminated arrays of C strings.
std::vector<char*> pointers(std::vector<std::string>& strings) {
    std::vector<char*> out;
    for (auto& s : strings)
        out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}
} // namespace

int spawnInOwnGroup(const SpawnRequest& request, pid_t& pid) {
    std::vector<std::string> args = toLocal8Bit(request.argv);
    std::vector<std::string> env = toLocal8Bit(request.environment);
    std::vector<char*> argv = pointers(args);
    std::vector<char*> envp = pointers(env);
    const QByteArray dir = QFile::encodeName(request.workingDirectory);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (request.stdinFd >= 0)
        posix_spawn_file_actions_adddup2(&actions, request.stdinFd, STDIN_FILENO);
    else
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, request.stdoutFd, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, request.stderrFd, STDERR_FILENO);
    posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    if (!dir.isEmpty())
        posix_spawn_file_actions_addchdir_np(&actions, dir.constData());

    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t signals;
    sigemptyset(&signals);
    posix_spawnattr_setsigmask(&attr, &signals);
    sigfillset(&signals);
    posix_spawnattr_setsigdefault(&attr, &signals);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                        POSIX_SPAWN_SETSIGDEF);

    const QByteArray file = QFile::encodeName(request.path);
    const int rc = posix_spawn(&pid, file.constData(), &actions, &attr, argv.data(), envp.data());
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&actions);
    return rc;
}

} // namespace ck::process
