#include "SshdProcess.h"

#include <QDir>
#include <QFile>
#include <QThread>

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ck::test {

namespace {
QByteArray readFile(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeFile(const QString& path, const QByteArray& bytes, bool append = false) {
    QFile f(path);
    if (!f.open(append ? QIODevice::Append : QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return f.write(bytes) == bytes.size();
}

QString currentUser() {
    const passwd* pw = ::getpwuid(::geteuid());
    return pw ? QString::fromLocal8Bit(pw->pw_name) : QString();
}
} // namespace

QByteArray makeEd25519Key(const QString& dir, const QString& name, const QString& passphrase) {
    const QString path = QDir(dir).filePath(name);
    QFile::remove(path);
    QFile::remove(path + QStringLiteral(".pub"));
    const ToolResult made =
        runTool(findProgram(QStringLiteral("ssh-keygen")),
                {"-q", "-t", "ed25519", "-N", passphrase, "-C", "certkeeper-test", "-f", path});
    return made.ok() ? readFile(path) : QByteArray();
}

SshdProcess::SshdProcess() : m_user(currentUser()) {
    m_clientKey = makeEd25519Key(dir(), QStringLiteral("client"));
    writeFile(m_dir.filePath(QStringLiteral("authorized_keys")),
              readFile(m_dir.filePath(QStringLiteral("client.pub"))));
    makeHostKey();
}

bool SshdProcess::makeHostKey() {
    return !makeEd25519Key(dir(), QStringLiteral("host_key")).isEmpty();
}

QByteArray SshdProcess::strangerKey(const QString& passphrase) {
    QTemporaryDir other;
    return makeEd25519Key(other.path(), QStringLiteral("stranger"), passphrase);
}

QByteArray SshdProcess::authorizeKeyWithPassphrase(const QString& passphrase) {
    const QByteArray key = makeEd25519Key(dir(), QStringLiteral("locked"), passphrase);
    writeFile(m_dir.filePath(QStringLiteral("authorized_keys")),
              readFile(m_dir.filePath(QStringLiteral("locked.pub"))), true);
    return key;
}

QString SshdProcess::hostKeyFingerprint() const {
    const ToolResult listed =
        runTool(findProgram(QStringLiteral("ssh-keygen")),
                {"-l", "-E", "sha256", "-f", m_dir.filePath(QStringLiteral("host_key.pub"))});
    // "256 SHA256:abc... comment (ED25519)"
    return QString::fromUtf8(listed.stdOut).section(u' ', 1, 1);
}

bool SshdProcess::writeConfig() {
    const QString d = dir();
    const QString config = QStringLiteral("Port %1\n"
                                          "ListenAddress 127.0.0.1\n"
                                          "HostKey %2/host_key\n"
                                          "PidFile %2/sshd.pid\n"
                                          "AuthorizedKeysFile %2/authorized_keys\n"
                                          "UsePAM no\n"
                                          "StrictModes no\n"
                                          "PasswordAuthentication no\n"
                                          "KbdInteractiveAuthentication no\n"
                                          "PubkeyAuthentication yes\n"
                                          "PermitRootLogin prohibit-password\n"
                                          "AllowUsers %3\n"
                                          "Subsystem sftp internal-sftp\n"
                                          "LogLevel VERBOSE\n")
                               .arg(m_port)
                               .arg(d, m_user);
    return writeFile(m_dir.filePath(QStringLiteral("sshd_config")), config.toUtf8());
}

bool SshdProcess::start(int timeoutMs) {
    if (m_clientKey.isEmpty()) {
        m_error = QStringLiteral("ssh-keygen could not make the keys");
        return false;
    }
    if (::geteuid() == 0)
        ::mkdir("/run/sshd", 0755); // privilege separation; EEXIST is fine
    const QString sshd = findProgram(QStringLiteral("sshd"), QStringLiteral("/usr/sbin/sshd"));
    for (int attempt = 0; attempt < 5; ++attempt) {
        if (m_port == 0 || attempt > 0)
            m_port = freeLoopbackPorts(1).front();
        if (!writeConfig()) {
            m_error = QStringLiteral("cannot write sshd_config");
            return false;
        }
        // sshd re-executes itself, so it must be started by its absolute path.
        if (!m_process.start(sshd,
                             {"-D", "-e", "-f", m_dir.filePath(QStringLiteral("sshd_config"))},
                             m_dir.filePath(QStringLiteral("sshd.log")))) {
            m_error = m_process.errorString();
            return false;
        }
        for (int waited = 0; waited < timeoutMs && m_process.isRunning(); waited += 50) {
            if (holdsPort(m_process.pid(), m_port))
                return true;
            QThread::msleep(50);
        }
        const bool portTaken = log().contains(QStringLiteral("Address already in use"));
        m_process.stop();
        if (!portTaken)
            break;
    }
    m_error = QStringLiteral("sshd did not start:\n") + log();
    return false;
}

bool SshdProcess::replaceHostKey() {
    const QString before = hostKeyFingerprint();
    m_process.stop();
    if (!makeHostKey() || hostKeyFingerprint() == before) {
        m_error = QStringLiteral("ssh-keygen could not make a new host key");
        return false;
    }
    return start();
}

} // namespace ck::test
