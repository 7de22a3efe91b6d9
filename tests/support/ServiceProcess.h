#pragma once
// The real certkeeper-service binary, started by a test on a free loopback port with its own
// temporary data directory, and stopped (SIGTERM) when the test is done.

#include "ManagedProcess.h"

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QTemporaryFile>

#include <memory>

namespace ck::test {

// A loopback port nobody listens on right now.
int freeLoopbackPort();

class ServiceProcess {
public:
    // An empty dataDir means a new temporary directory, removed with this object.
    explicit ServiceProcess(QString dataDir = {});
    ~ServiceProcess();

    // Starts with --data-dir and --port (a free port unless extraArgs names one) and waits until
    // GET /api/system/appversion answers. False if it exited or did not answer in time.
    bool start(QStringList extraArgs = {}, int timeoutMs = 15000);
    // Starts and waits for the process to exit on its own (for start-up failures).
    int runToExit(QStringList extraArgs = {}, int timeoutMs = 15000);
    bool stop(int timeoutMs = 15000); // SIGTERM; true if it exited with code 0
    void kill();                      // SIGKILL, as a crash or power cut would
    bool isRunning() const;
    // Writes settings.json with automatic renewal paused; call before start(). For tests that
    // request by hand or show a sample fleet: the scheduler would otherwise start renewing due
    // items on its own while they look. False if the file could not be written.
    bool pauseAutomaticRenewal();
    // Writes serviceconfig.json with `json` (settings the defaults do not suit the test, e.g.
    // short timeouts); call before start(). False if the file could not be written.
    bool writeServiceConfig(const QByteArray& json);

    int port() const { return m_port; }
    void setPort(int port) { m_port = port; }
    QString dataDir() const { return m_dataDir; }
    QString token() const; // contents of api.token
    QString baseUrl() const;
    QString output() const; // everything it printed, stdout and stderr
    int exitCode() const;
    // The process's resident memory (VmRSS in /proc/<pid>/status) in KiB; -1 when not running.
    qint64 residentKiB() const;

    static QString binaryPath();
    // Another build of the service for the next start() (the fault-point build), with extra
    // environment; an empty binary means the normal one again.
    void useBinary(const QString& binary, const QProcessEnvironment& extraEnvironment = {});

private:
    QStringList arguments(const QStringList& extraArgs);
    void launch(const QStringList& extraArgs);

    std::unique_ptr<QTemporaryDir> m_tempDir;
    QString m_dataDir;
    int m_port = 0;
    QString m_binary; // empty: binaryPath()
    QProcessEnvironment m_environment;
    std::unique_ptr<ManagedProcess> m_process;
    std::unique_ptr<QTemporaryFile> m_outputFile; // everything it printed, across restarts
};

} // namespace ck::test
