#pragma once

// The key types Certkeeper generates for accounts and certificates, by the names the API and
// the stored configuration use.

#include <QString>

#include <optional>

namespace ck::crypto {

enum class KeyType { Rsa2048, Rsa3072, Rsa4096, EcP256, EcP384 };

// "rsa2048", "rsa3072", "rsa4096", "ecdsa-p256", "ecdsa-p384" (case-insensitive, trimmed);
// std::nullopt for anything else.
std::optional<KeyType> keyTypeFromName(const QString& name);

// The canonical lowercase name, the inverse of keyTypeFromName.
QString keyTypeName(KeyType type);

bool isRsa(KeyType type);

} // namespace ck::crypto
