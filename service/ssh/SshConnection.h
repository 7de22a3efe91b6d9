#pragma once
// One SSH connection to one host through libssh, blocking, each step bounded by a time limit:
// connect and exchange keys (nothing is sent before the host key is checked), log in with a
// private key, run a command. Nothing of the user's own ssh set-up is read (~/.ssh/config,
// ~/.ssh/known_hosts, an agent): what the task says is all there is. Use from one thread at a
// time.

#include "ssh/KnownHosts.h"

#include <QByteArray>
#include <QString>

#include <chrono>
#include <optional>

struct ssh_session_struct;

namespace ck::ssh {

struct Login {
    QString user;
    QByteArray privateKey; // OpenSSH or PEM text
    QByteArray passphrase; // empty: none
};

// How the presented host key compares with what it must be.
struct HostKeyCheck {
    enum class Verdict { Pinned, Given, FirstUse, Changed, NotGiven };
    Verdict verdict = Verdict::FirstUse;
    HostKey presented;
    QString pinnedFingerprint; // for Changed
    bool ok() const { return verdict != Verdict::Changed && verdict != Verdict::NotGiven; }
    // "host key SHA256:... (ssh-ed25519), pinned": for logs and answers.
    QString summary() const;
    // Why a host is refused, naming host, pinned/expected and presented fingerprints, and what to
    // do; empty when ok().
    QString refusal(const QString& hostText, const QString& knownHostsPath,
                    const QStringList& given) const;
};

// `given`: fingerprints the task names (any one will do); none: `pinned`, if any, must match.
HostKeyCheck checkHostKey(const HostKey& presented, const std::optional<HostKey>& pinned,
                          const QStringList& given);

struct CommandResult {
    bool ran = false;      // the command was started on the host
    bool timedOut = false; // abandoned after the time limit
    int exitStatus = -1;   // -1: none reported (killed by a signal, or the connection lost)
    QByteArray output;     // standard output and error, as they came, at most 64 KiB
    QString error;         // why it could not be started or finished
    bool ok() const { return ran && !timedOut && exitStatus == 0; }
};

class SshConnection {
public:
    SshConnection();
    ~SshConnection();
    SshConnection(const SshConnection&) = delete;
    SshConnection& operator=(const SshConnection&) = delete;

    // Connects and exchanges keys; no login yet. `knownHostsPath` only orders the key types asked
    // for (a pinned type first); it is not trusted here.
    bool connect(const QString& host, int port, std::chrono::seconds timeout,
                 const QString& knownHostsPath, QString* error);
    // The host's key, once connected.
    std::optional<HostKey> hostKey(QString* error) const;
    // Logs in with the private key. False and *error (the host refused the key, or the key does
    // not open) otherwise; never says anything of the key but its fingerprint.
    bool login(const Login& login, QString* error);
    // Runs `command` through the user's shell there, no input, for at most `timeout`.
    CommandResult run(const QString& command, std::chrono::milliseconds timeout);

    ssh_session_struct* session() const { return m_session; }
    QString lastError() const;

private:
    ssh_session_struct* m_session = nullptr;
    bool m_connected = false;
};

// The public key's fingerprint of a private key, for messages ("the key SHA256:..."); empty when
// it does not open.
QString privateKeyFingerprint(const Login& login);

} // namespace ck::ssh
