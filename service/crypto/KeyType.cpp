#include "crypto/KeyType.h"

#include <array>
#include <utility>

namespace ck::crypto {

namespace {

constexpr std::array<std::pair<KeyType, const char*>, 5> kNames{{
    {KeyType::Rsa2048, "rsa2048"},
    {KeyType::Rsa3072, "rsa3072"},
    {KeyType::Rsa4096, "rsa4096"},
    {KeyType::EcP256, "ecdsa-p256"},
    {KeyType::EcP384, "ecdsa-p384"},
}};

} // namespace

std::optional<KeyType> keyTypeFromName(const QString& name) {
    const QString wanted = name.trimmed().toLower();
    for (const auto& [type, text] : kNames)
        if (wanted == QLatin1String(text))
            return type;
    return std::nullopt;
}

QString keyTypeName(KeyType type) {
    for (const auto& [candidate, text] : kNames)
        if (candidate == type)
            return QString::fromLatin1(text);
    return {};
}

bool isRsa(KeyType type) {
    return type == KeyType::Rsa2048 || type == KeyType::Rsa3072 || type == KeyType::Rsa4096;
}

} // namespace ck::crypto
