#pragma once
// nginx (Debian's nginx-light) serving one folder on a loopback port, in the foreground with its
// own prefix, pid file and logs in a temporary directory: a real web server for webroot
// challenges and the deployment target whose certificate the tests check over TLS.

#include "ManagedProcess.h"

#include <QString>
#include <QTemporaryDir>

namespace ck::test {

class WebServer {
public:
    WebServer(QString root, int port);
    ~WebServer();
    WebServer(const WebServer&) = delete;
    WebServer& operator=(const WebServer&) = delete;

    // Also serve HTTPS on `port` with this certificate (full chain) and key, read by nginx at
    // start and at each reload. Call before start().
    void enableTls(int port, const QString& certificateFile, const QString& keyFile);
    // The command that makes the running nginx reload its configuration and certificates.
    QString reloadCommandLine() const;
    // A self-signed placeholder (P-256, one day) at these paths, as a fresh server has before its
    // first issuance: nginx needs some certificate to start with TLS. The ToolResult of openssl.
    static ToolResult writePlaceholderCertificate(const QString& certificateFile,
                                                  const QString& keyFile);
    // The SHA-256 thumbprint (uppercase hex, no colons) of the certificate the running nginx
    // presents on its TLS port for `serverName`, read by openssl s_client, a client independent
    // of the service; empty with `*why` set when there was none.
    QString presentedThumbprint(const QString& serverName, QString* why) const;

    // Writes the config, starts nginx and waits until the port answers. False with
    // errorString() set (nginx's own messages) when it does not.
    bool start(int timeoutMs = 15000);
    void stop();
    QString errorString() const { return m_error; }
    // How many requests so far had a path starting with `pathPrefix` (from the access log).
    int requestCount(const QString& pathPrefix) const;

private:
    QString m_root;
    int m_port;
    int m_tlsPort = 0;
    QString m_certificateFile;
    QString m_keyFile;
    QTemporaryDir m_prefix;
    ManagedProcess m_process;
    QString m_error;
};

} // namespace ck::test
