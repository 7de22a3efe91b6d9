#pragma once
// tinyproxy (Debian package `tinyproxy` 1.11), the small HTTP proxy, on a free loopback port with
// its own configuration in a temporary folder, in the foreground: the proxy the service's
// outgoing HTTPS goes through in the proxy tests. Every port may be tunnelled to (no ConnectPort
// line), only loopback clients are served, and with a user set it demands Basic authentication
// (BasicAuth). Its log (LogLevel Info) names each CONNECT, which is what the tests read.

#include "ManagedProcess.h"

#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace ck::test {

struct TinyproxyOptions {
    QString user; // empty: no authentication
    QString password;
};

class TinyproxyProcess {
public:
    explicit TinyproxyProcess(TinyproxyOptions options = {});
    ~TinyproxyProcess();
    TinyproxyProcess(const TinyproxyProcess&) = delete;
    TinyproxyProcess& operator=(const TinyproxyProcess&) = delete;

    // Starts it and waits until it holds its port. False with errorString() (and its log).
    bool start(int timeoutMs = 10000);
    void stop();
    bool isRunning() const { return m_process.isRunning(); }
    QString errorString() const { return m_error; }

    int port() const { return m_port; }
    QString url() const; // http://127.0.0.1:PORT
    // The proxy's own log: "CONNECT 127.0.0.1:14000" lines for each tunnel it opened.
    QString log() const;
    // How many tunnels to host:port the log shows.
    int connectsTo(const QString& hostPort) const;

private:
    TinyproxyOptions m_options;
    QTemporaryDir m_dir;
    int m_port = 0;
    ManagedProcess m_process;
    QString m_error;
};

} // namespace ck::test
