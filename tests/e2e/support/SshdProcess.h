#pragma once
// OpenSSH's sshd (Debian openssh-server) as the far side of the ssh deployment tests: started by
// the test on a free loopback port as the current user, with its own sshd_config, host key and
// authorized_keys in a temporary folder (UsePAM no, StrictModes no, internal-sftp), and an
// ed25519 client key whose public half it accepts. Run as root, sshd needs its privilege
// separation folder /run/sshd, which is made when missing (as the package's tmpfiles.d does).

#include "ManagedProcess.h"

#include <QByteArray>
#include <QString>
#include <QTemporaryDir>

namespace ck::test {

class SshdProcess {
public:
    SshdProcess();
    ~SshdProcess() { stop(); }
    SshdProcess(const SshdProcess&) = delete;
    SshdProcess& operator=(const SshdProcess&) = delete;

    // Starts on a free port (the same one again after a stop) and waits until it listens. False
    // with errorString() (sshd's own words) when it does not.
    bool start(int timeoutMs = 15000);
    void stop() { m_process.stop(); }
    QString errorString() const { return m_error; }

    // A new host key (the old one gone), and sshd restarted with it on the same port.
    bool replaceHostKey();
    // SHA256:... of the current host key, by ssh-keygen.
    QString hostKeyFingerprint() const;

    int port() const { return m_port; }
    QString hostAndPort() const { return QStringLiteral("127.0.0.1:%1").arg(m_port); }
    QString user() const { return m_user; }
    QByteArray clientKey() const { return m_clientKey; } // OpenSSH private key text
    QString dir() const { return m_dir.path(); }
    QString log() const { return m_process.output(); }

    // A new ed25519 private key that no sshd here accepts (and, with a passphrase, its text).
    static QByteArray strangerKey(const QString& passphrase = {});
    // A key sshd accepts, with a passphrase: appended to authorized_keys. Its private text.
    QByteArray authorizeKeyWithPassphrase(const QString& passphrase);

private:
    bool makeHostKey();
    bool writeConfig();

    QTemporaryDir m_dir;
    ManagedProcess m_process;
    QString m_user;
    QByteArray m_clientKey;
    int m_port = 0;
    QString m_error;
};

// `ssh-keygen` made key files in `dir` named `name` (and `name`.pub); the private text, empty on
// failure.
QByteArray makeEd25519Key(const QString& dir, const QString& name, const QString& passphrase = {});

} // namespace ck::test
