#include "PeerStart.h"

#include <QElapsedTimer>
#include <QFile>
#include <QThread>

#include <algorithm>

namespace ck::test {

namespace {
bool saysPortTaken(const QString& output, const QStringList& signs) {
    return std::any_of(signs.begin(), signs.end(),
                       [&](const QString& sign) { return output.contains(sign); });
}
} // namespace

bool startOnFreePorts(ManagedProcess& process, const PeerLaunch& launch, int timeoutMs,
                      QString& error) {
    for (int attempt = 1; attempt <= 5; ++attempt) {
        const std::vector<int> ports = freeLoopbackPorts(launch.portCount, launch.udpToo);
        if (int(ports.size()) < launch.portCount) {
            error = QStringLiteral("no free loopback ports");
            return false;
        }
        const std::optional<QStringList> args = launch.configure(ports, error);
        if (!args)
            return false;
        QFile::remove(launch.logFile); // one try per log: a failure shows the last one
        if (!process.start(launch.program, *args, launch.logFile, launch.environment,
                           launch.workDir)) {
            error = QStringLiteral("cannot start %1: %2").arg(launch.name, process.errorString());
            return false;
        }
        QElapsedTimer timer;
        timer.start();
        // Some servers keep running after a failed bind: the log is the only sign of it.
        while (process.isRunning() && timer.elapsed() < timeoutMs &&
               !saysPortTaken(process.output(), launch.portTakenSigns)) {
            if (launch.ready())
                return true;
            QThread::msleep(50);
        }
        const QString output = process.output();
        process.stop();
        if (!saysPortTaken(output, launch.portTakenSigns)) {
            error = QStringLiteral("%1 exited or did not %2 within %3 ms; its log:\n%4")
                        .arg(launch.name, launch.awaited)
                        .arg(timeoutMs)
                        .arg(output);
            return false;
        }
    }
    error = QStringLiteral("%1: ports kept being taken; last log:\n%2")
                .arg(launch.name, process.output());
    return false;
}

} // namespace ck::test
