#include "ssh/KnownHosts.h"

#include "config/DataFile.h"

#include <QStringList>

#include <libssh/libssh.h>

#include <mutex>

namespace ck::ssh {

namespace {
// One writer at a time: hosts of several tasks are pinned from the pool's threads.
std::mutex& fileMutex() {
    static std::mutex m;
    return m;
}

constexpr qint64 kMaxKnownHostsBytes = 4 * 1024 * 1024;

// The host field of a line names `hostText` (OpenSSH allows a comma-separated list).
bool namesHost(const QString& hostsField, const QString& hostText) {
    return hostsField.split(u',').contains(hostText);
}

QStringList readLines(const QString& path, QString* error) {
    const DataFileRead read = readDataFile(path, kMaxKnownHostsBytes);
    if (read.missing)
        return {};
    if (!read.ok()) {
        *error = QStringLiteral("The pinned host keys (%1) cannot be read: it %2")
                     .arg(path, read.problem);
        return {};
    }
    return QString::fromUtf8(read.bytes).split(u'\n', Qt::SkipEmptyParts);
}
} // namespace

QString fingerprintOf(const QString& type, const QString& base64) {
    ssh_key key = nullptr;
    const QByteArray blob = base64.toLatin1();
    const enum ssh_keytypes_e keyType = ssh_key_type_from_name(type.toLatin1().constData());
    if (ssh_pki_import_pubkey_base64(blob.constData(), keyType, &key) != SSH_OK)
        return {};
    unsigned char* hash = nullptr;
    size_t length = 0;
    QString fingerprint;
    if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &length) == 0) {
        char* text = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, length);
        fingerprint = QString::fromLatin1(text);
        ssh_string_free_char(text);
        ssh_clean_pubkey_hash(&hash);
    }
    ssh_key_free(key);
    return fingerprint;
}

QString KnownHosts::entryName(const QString& host, int port) {
    return port == 22 ? host : QStringLiteral("[%1]:%2").arg(host).arg(port);
}

std::optional<HostKey> KnownHosts::pinned(const QString& host, int port, QString* error) const {
    const QString hostText = entryName(host, port);
    const std::lock_guard lock(fileMutex());
    for (const QString& line : readLines(m_path, error)) {
        const QStringList fields = line.simplified().split(u' ');
        if (fields.size() < 3 || line.startsWith(u'#') || !namesHost(fields[0], hostText))
            continue;
        HostKey key{fields[1], fields[2], fingerprintOf(fields[1], fields[2])};
        if (!key.fingerprint.isEmpty())
            return key;
    }
    return std::nullopt;
}

bool KnownHosts::pin(const QString& host, int port, const HostKey& key, QString* error) const {
    const QString hostText = entryName(host, port);
    const std::lock_guard lock(fileMutex());
    QString readError;
    QStringList lines = readLines(m_path, &readError);
    if (!readError.isEmpty()) {
        *error = readError;
        return false;
    }
    // Lines for this host go (its old key), everything else stays as it was.
    lines.removeIf([&](const QString& line) {
        const QStringList fields = line.simplified().split(u' ');
        return !line.startsWith(u'#') && !fields.isEmpty() && namesHost(fields[0], hostText);
    });
    lines.append(QStringLiteral("%1 %2 %3").arg(hostText, key.type, key.base64));
    return writeFileAtomic(m_path, (lines.join(u'\n') + u'\n').toUtf8(), 0600, error);
}

} // namespace ck::ssh
