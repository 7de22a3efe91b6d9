#pragma once
// The host keys the service has pinned: ssh_known_hosts in the data directory (0600), in
// OpenSSH's known_hosts format ("host type base64", "[host]:port type base64" for another port),
// so 'ssh-keygen -lf' shows it and a line can be removed by hand to accept a new key. The first
// key a host presents is recorded here; later a different key fails. Reads and writes are
// serialised in the process, and the file is always replaced whole (DataFile).

#include <QString>

#include <optional>

namespace ck::ssh {

struct HostKey {
    QString type;        // "ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa"
    QString base64;      // the public key blob
    QString fingerprint; // "SHA256:..." as ssh-keygen -l prints it
    bool sameKey(const HostKey& other) const {
        return type == other.type && base64 == other.base64;
    }
};

// The SHA256 fingerprint of a public key blob; empty when it is not one.
QString fingerprintOf(const QString& type, const QString& base64);

class KnownHosts {
public:
    explicit KnownHosts(QString path) : m_path(std::move(path)) {}

    const QString& path() const { return m_path; }
    // The key pinned for the host; nothing when none is. *error is set when the file exists but
    // cannot be read.
    std::optional<HostKey> pinned(const QString& host, int port, QString* error) const;
    // Records `key` for the host, replacing what was pinned for it. False and *error when the
    // file cannot be written.
    bool pin(const QString& host, int port, const HostKey& key, QString* error) const;
    // How known_hosts names a host: "host" on port 22, else "[host]:port".
    static QString entryName(const QString& host, int port);

private:
    QString m_path;
};

} // namespace ck::ssh
