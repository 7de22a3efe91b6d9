#include "crypto/CryptoError.h"

#include <QString>

#include <openssl/err.h>

namespace ck::crypto {

CryptoError::CryptoError(const QString& message) : std::runtime_error(message.toStdString()) {}

std::string takeOpenSslErrors() {
    std::string text;
    while (const unsigned long code = ERR_get_error()) {
        char buffer[256];
        ERR_error_string_n(code, buffer, sizeof buffer);
        if (!text.empty())
            text += "; ";
        text += buffer;
    }
    return text;
}

void throwOpenSslError(const std::string& what) {
    const std::string detail = takeOpenSslErrors();
    throw CryptoError(detail.empty() ? what : what + ": " + detail);
}

} // namespace ck::crypto
