#pragma once
// Real TLS servers as deployment targets: HAProxy (with a stats socket at level admin), Apache
// httpd (mod_ssl, mpm_event), Postfix (smtpd with STARTTLS, a private config and queue
// directory) and Dovecot (IMAP with STARTTLS and IMAPS), each started by the test on free
// loopback ports with its own configuration in a temporary folder and a self-signed placeholder
// certificate, as a fresh server has before its first issuance. presentedThumbprint() asks a
// server with openssl s_client (-starttls smtp/imap where needed), a client independent of the
// service.

#include "ManagedProcess.h"

#include <QString>
#include <QTemporaryDir>

namespace ck::test {

// The SHA-256 thumbprint (uppercase hex, no colons) of the certificate 127.0.0.1:port presents,
// by openssl s_client; `starttls` is "", "smtp" or "imap". Empty with `*why` set when none.
QString presentedThumbprint(int port, const QString& starttls, const QString& serverName,
                            QString* why);

// A self-signed P-256 placeholder (one day) at these paths; the ToolResult of openssl.
ToolResult writeSelfSigned(const QString& certificateFile, const QString& keyFile);

// What every peer has: a folder of its own, a process, the reason it did not start.
class ServerPeer {
public:
    ServerPeer();
    virtual ~ServerPeer() = default;
    ServerPeer(const ServerPeer&) = delete;
    ServerPeer& operator=(const ServerPeer&) = delete;

    QString path(const QString& name) const { return m_dir.filePath(name); }
    QString errorString() const { return m_error; }
    qint64 pid() const { return m_process.pid(); }
    bool isRunning() const { return m_process.isRunning(); }
    virtual void stop() { m_process.stop(); }

protected:
    // Starts `program` and waits until 127.0.0.1:port answers; false with errorString() (the
    // server's own output and `logFile`) when it does not.
    bool startAndWait(const QString& program, const QStringList& args, int port,
                      const QString& logFile);
    bool writeText(const QString& name, const QString& text);

    QTemporaryDir m_dir;
    ManagedProcess m_process;
    QString m_error;
};

class HaproxyPeer : public ServerPeer {
public:
    HaproxyPeer();
    ~HaproxyPeer() override { m_process.stop(); }
    bool start();
    QString pemFile() const { return path(QStringLiteral("certs/site.pem")); }
    QString socketPath() const { return path(QStringLiteral("admin.sock")); }
    // The same runtime API on TCP: "127.0.0.1:port".
    QString statsAddress() const { return QStringLiteral("127.0.0.1:%1").arg(m_statsPort); }
    int tlsPort() const { return m_tlsPort; }

private:
    int m_tlsPort = 0;
    int m_statsPort = 0;
};

class ApachePeer : public ServerPeer {
public:
    ApachePeer();
    ~ApachePeer() override;
    bool start();
    QString certificateFile() const { return path(QStringLiteral("tls/cert.pem")); }
    QString keyFile() const { return path(QStringLiteral("tls/key.pem")); }
    QString reloadCommandLine() const; // apache2 -f <conf> -k graceful
    int tlsPort() const { return m_tlsPort; }

private:
    int m_tlsPort = 0;
};

class PostfixPeer : public ServerPeer {
public:
    // `offerStartTls` false: smtpd_tls_security_level = none, so EHLO does not offer STARTTLS.
    explicit PostfixPeer(bool offerStartTls = true);
    ~PostfixPeer() override;
    bool start();
    void stop() override;
    QString chainFile() const { return path(QStringLiteral("tls/chain.pem")); }
    QString configDir() const { return path(QStringLiteral("conf")); }
    QString reloadCommandLine() const; // postfix -c <conf> reload
    int smtpPort() const { return m_smtpPort; }

private:
    bool m_offerStartTls;
    int m_smtpPort = 0;
};

class DovecotPeer : public ServerPeer {
public:
    // `ssl` false: ssl = no, so STARTTLS is refused and IMAPS not served.
    explicit DovecotPeer(bool ssl = true);
    ~DovecotPeer() override { m_process.stop(); }
    bool start();
    QString certificateFile() const { return path(QStringLiteral("tls/cert.pem")); }
    QString keyFile() const { return path(QStringLiteral("tls/key.pem")); }
    QString reloadCommandLine() const; // doveadm -c <conf> reload
    int imapPort() const { return m_imapPort; }
    int imapsPort() const { return m_imapsPort; }

private:
    bool m_ssl;
    int m_imapPort = 0;
    int m_imapsPort = 0;
};

} // namespace ck::test
