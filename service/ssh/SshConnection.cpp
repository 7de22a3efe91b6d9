#include "ssh/SshConnection.h"

#include <libssh/libssh.h>

#include <QStringList>

namespace ck::ssh {

namespace {
constexpr qsizetype kMaxOutput = 64 * 1024;
constexpr int kReadSliceMs = 100;
constexpr qsizetype kPemLineLength = 64;

QString verdictWords(HostKeyCheck::Verdict v) {
    using V = HostKeyCheck::Verdict;
    switch (v) {
    case V::Pinned:
        return QStringLiteral("as pinned");
    case V::Given:
        return QStringLiteral("as the task's fingerprint says");
    case V::FirstUse:
        return QStringLiteral("not pinned before");
    case V::Changed:
        return QStringLiteral("CHANGED");
    case V::NotGiven:
        return QStringLiteral("not the task's");
    }
    return {};
}

// A key pasted into a one-line field loses its line breaks; PEM readers need them back.
QByteArray withLineBreaks(QByteArray key) {
    key = key.trimmed();
    if (key.contains('\n'))
        return key + '\n';
    const qsizetype headEnd = key.indexOf("-----", 5);
    const qsizetype footStart = key.lastIndexOf("-----END");
    if (headEnd < 0 || footStart <= headEnd)
        return key;
    const QByteArray head = key.left(headEnd + 5);
    const QByteArray foot = key.mid(footStart);
    QByteArray body = key.mid(headEnd + 5, footStart - headEnd - 5);
    body.removeIf([](char c) { return c == ' ' || c == '\t' || c == '\r'; });
    QByteArray wrapped;
    for (qsizetype at = 0; at < body.size(); at += kPemLineLength)
        wrapped += body.mid(at, kPemLineLength) + '\n';
    return head + '\n' + wrapped + foot + '\n';
}

ssh_key importPrivateKey(const Login& login, QString* error) {
    ssh_key key = nullptr;
    const QByteArray text = withLineBreaks(login.privateKey);
    const int rc = ssh_pki_import_privkey_base64(
        text.constData(), login.passphrase.isEmpty() ? nullptr : login.passphrase.constData(),
        nullptr, nullptr, &key);
    if (rc != SSH_OK) {
        *error = login.passphrase.isEmpty()
                     ? QStringLiteral("The SSH key cannot be read: it is not an OpenSSH or PEM "
                                      "private key, or it needs its passphrase")
                     : QStringLiteral("The SSH key cannot be read: the passphrase is wrong, or it "
                                      "is not an OpenSSH or PEM private key");
        return nullptr;
    }
    return key;
}

QString keyFingerprint(ssh_key key) {
    unsigned char* hash = nullptr;
    size_t length = 0;
    if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &length) != 0)
        return {};
    char* text = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, length);
    const QString fingerprint = QString::fromLatin1(text);
    ssh_string_free_char(text);
    ssh_clean_pubkey_hash(&hash);
    return fingerprint;
}
} // namespace

QString HostKeyCheck::summary() const {
    return QStringLiteral("host key %1 (%2), %3")
        .arg(presented.fingerprint, presented.type, verdictWords(verdict));
}

QString HostKeyCheck::refusal(const QString& hostText, const QString& knownHostsPath,
                              const QStringList& given) const {
    if (verdict == Verdict::Changed)
        return QStringLiteral("The host key of %1 has changed: pinned %2, presented %3 (%4). "
                              "Nothing was copied there. If the host's key was replaced on "
                              "purpose, put the new fingerprint in the task's 'Host key "
                              "fingerprint', or remove the line for %1 from %5; otherwise "
                              "someone may be intercepting the connection")
            .arg(hostText, pinnedFingerprint, presented.fingerprint, presented.type,
                 knownHostsPath);
    if (verdict == Verdict::NotGiven)
        return QStringLiteral("%1 presents the host key %2 (%3), not the one the task names (%4). "
                              "Nothing was copied there. Check the fingerprint on the host "
                              "(ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub)")
            .arg(hostText, presented.fingerprint, presented.type, given.join(QStringLiteral(", ")));
    return {};
}

HostKeyCheck checkHostKey(const HostKey& presented, const std::optional<HostKey>& pinned,
                          const QStringList& given) {
    using V = HostKeyCheck::Verdict;
    HostKeyCheck check;
    check.presented = presented;
    if (!given.isEmpty()) {
        // The task's fingerprints win over an older pin: naming the new key is how a user
        // accepts a replaced one.
        check.verdict = given.contains(presented.fingerprint) ? V::Given : V::NotGiven;
        return check;
    }
    if (!pinned) {
        check.verdict = V::FirstUse;
        return check;
    }
    check.pinnedFingerprint = pinned->fingerprint;
    check.verdict = pinned->sameKey(presented) ? V::Pinned : V::Changed;
    return check;
}

SshConnection::SshConnection() : m_session(ssh_new()) {}

SshConnection::~SshConnection() {
    if (m_connected)
        ssh_disconnect(m_session);
    ssh_free(m_session);
}

QString SshConnection::lastError() const {
    return QString::fromUtf8(ssh_get_error(m_session));
}

bool SshConnection::connect(const QString& host, int port, std::chrono::seconds timeout,
                            const QString& knownHostsPath, QString* error) {
    if (!m_session) {
        *error = QStringLiteral("libssh could not make a session");
        return false;
    }
    const QByteArray hostBytes = host.toUtf8();
    const QByteArray known = knownHostsPath.toUtf8();
    const long seconds = long(timeout.count());
    const int processConfig = 0;
    const int noDelay = 1;
    ssh_options_set(m_session, SSH_OPTIONS_HOST, hostBytes.constData());
    ssh_options_set(m_session, SSH_OPTIONS_PORT, &port);
    ssh_options_set(m_session, SSH_OPTIONS_TIMEOUT, &seconds);
    // Neither ~/.ssh/config nor /etc/ssh/ssh_config: a user's set-up must not change a task.
    ssh_options_set(m_session, SSH_OPTIONS_PROCESS_CONFIG, &processConfig);
    ssh_options_set(m_session, SSH_OPTIONS_KNOWNHOSTS, known.constData());
    ssh_options_set(m_session, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, "/dev/null");
    ssh_options_set(m_session, SSH_OPTIONS_NODELAY, &noDelay);
    if (ssh_connect(m_session) != SSH_OK) {
        *error =
            QStringLiteral("Cannot connect to %1 port %2: %3").arg(host).arg(port).arg(lastError());
        return false;
    }
    m_connected = true;
    return true;
}

std::optional<HostKey> SshConnection::hostKey(QString* error) const {
    ssh_key key = nullptr;
    if (ssh_get_server_publickey(m_session, &key) != SSH_OK) {
        *error = QStringLiteral("The host sent no key: %1").arg(lastError());
        return std::nullopt;
    }
    HostKey hostKey;
    char* blob = nullptr;
    if (ssh_pki_export_pubkey_base64(key, &blob) == SSH_OK) {
        hostKey.base64 = QString::fromLatin1(blob);
        ssh_string_free_char(blob);
    }
    hostKey.type = QString::fromLatin1(ssh_key_type_to_char(ssh_key_type(key)));
    hostKey.fingerprint = keyFingerprint(key);
    ssh_key_free(key);
    if (hostKey.base64.isEmpty() || hostKey.fingerprint.isEmpty()) {
        *error = QStringLiteral("The host's key cannot be read");
        return std::nullopt;
    }
    return hostKey;
}

bool SshConnection::login(const Login& login, QString* error) {
    ssh_key key = importPrivateKey(login, error);
    if (!key)
        return false;
    const QByteArray user = login.user.toUtf8();
    ssh_options_set(m_session, SSH_OPTIONS_USER, user.constData());
    const int rc = ssh_userauth_publickey(m_session, nullptr, key);
    const QString fingerprint = keyFingerprint(key);
    ssh_key_free(key);
    if (rc == SSH_AUTH_SUCCESS)
        return true;
    if (rc == SSH_AUTH_DENIED || rc == SSH_AUTH_PARTIAL)
        *error = QStringLiteral("The host refused the login of '%1' with the key %2; add its "
                                "public key to ~%1/.ssh/authorized_keys there (and check that the "
                                "user may log in)")
                     .arg(login.user, fingerprint);
    else
        *error = QStringLiteral("The login of '%1' failed: %2").arg(login.user, lastError());
    return false;
}

CommandResult SshConnection::run(const QString& command, std::chrono::milliseconds timeout) {
    CommandResult result;
    ssh_channel channel = ssh_channel_new(m_session);
    if (!channel || ssh_channel_open_session(channel) != SSH_OK ||
        ssh_channel_request_exec(channel, command.toUtf8().constData()) != SSH_OK) {
        result.error = QStringLiteral("The command could not be started: %1").arg(lastError());
        if (channel)
            ssh_channel_free(channel);
        return result;
    }
    result.ran = true;
    ssh_channel_send_eof(channel); // no input: a command that reads it ends instead of waiting
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    char buffer[4096];
    for (;;) {
        if (std::chrono::steady_clock::now() >= deadline) {
            result.timedOut = true;
            break;
        }
        bool read = false;
        for (int stream : {0, 1}) {
            const int n =
                stream == 0
                    ? ssh_channel_read_timeout(channel, buffer, sizeof buffer, 0, kReadSliceMs)
                    : ssh_channel_read_nonblocking(channel, buffer, sizeof buffer, 1);
            if (n > 0) {
                read = true;
                if (result.output.size() < kMaxOutput)
                    result.output.append(buffer,
                                         std::min<qsizetype>(n, kMaxOutput - result.output.size()));
            } else if (n == SSH_ERROR) {
                result.error = QStringLiteral("The connection failed while the command ran: %1")
                                   .arg(lastError());
            }
        }
        if (!result.error.isEmpty() || (!read && ssh_channel_is_eof(channel)))
            break;
    }
    if (!result.timedOut && result.error.isEmpty())
        result.exitStatus = ssh_channel_get_exit_status(channel);
    ssh_channel_close(channel);
    ssh_channel_free(channel);
    return result;
}

QString privateKeyFingerprint(const Login& login) {
    QString error;
    ssh_key key = importPrivateKey(login, &error);
    if (!key)
        return {};
    const QString fingerprint = keyFingerprint(key);
    ssh_key_free(key);
    return fingerprint;
}

} // namespace ck::ssh
