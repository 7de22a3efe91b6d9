#pragma once

// Authenticated encryption of stored credentials (DNS API keys, EAB secrets, PFX passwords)
// under the install's machine.key, so a copied database or export without that file reveals
// nothing.

#include <QByteArray>
#include <QString>

#include <array>
#include <optional>

namespace ck::crypto {

class SecretBox {
public:
    static constexpr int kKeySize = 32; // AES-256

    // Loads the 32-byte key at `machineKeyPath`, or creates it (random, mode 0600, written to a
    // temporary and linked into place so an existing key is never overwritten, even by a
    // concurrent start). Throws CryptoError when the file exists but is not a key (wrong size,
    // not a regular file, a symlink) or cannot be read or created: secrets sealed under the old
    // key would be lost, so this never "repairs" by replacing it.
    static SecretBox loadOrCreate(const QString& machineKeyPath);
    // A box over a given 32-byte key (e.g. one derived from an export passphrase).
    static SecretBox fromKey(const QByteArray& key);

    SecretBox(const SecretBox&) = default;
    SecretBox& operator=(const SecretBox&) = default;
    ~SecretBox();

    // AES-256-GCM. Returns base64 text of: version byte 1 | 12-byte random nonce | ciphertext |
    // 16-byte tag. `associatedData` (e.g. the credential id) is authenticated, not stored: a
    // sealed value copied to another record does not open there. The version byte is
    // authenticated too.
    QByteArray seal(const QByteArray& plaintext, const QByteArray& associatedData) const;
    // The plaintext, or std::nullopt when the text is not base64, has another version, is
    // truncated, was modified, or was sealed under another key or associated data.
    std::optional<QByteArray> open(const QByteArray& sealed,
                                   const QByteArray& associatedData) const;

private:
    explicit SecretBox(const QByteArray& key);
    std::array<unsigned char, kKeySize> m_key{};
};

} // namespace ck::crypto
