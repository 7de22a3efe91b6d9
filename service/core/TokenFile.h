#pragma once
// api.token: the secret the app and CLI present as "Authorization: Bearer <token>". 32 random
// bytes as hex, created with O_EXCL on a temporary name and renamed into place, so no reader
// ever sees a partial token and no existing file or symlink is followed.

#include <QString>

#include <string>

namespace ck::core {

struct TokenResult {
    std::string token;
    QString error;  // empty on success
    QString notice; // e.g. "created", "permissions tightened"
};

// Reads the token, or creates it when missing or unusable. `mode` is 0600 (user mode) or 0640
// (system install: readable by the certkeeper group).
TokenResult loadOrCreateToken(const QString& path, unsigned mode);

} // namespace ck::core
