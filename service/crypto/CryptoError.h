#pragma once

// The one error type of certkeeper-crypto. Every failure inside OpenSSL surfaces as a
// CryptoError whose message names what we were doing and carries OpenSSL's own error queue text,
// so a log line says both "what" and "why" without a debugger.

#include <stdexcept>
#include <string>

class QString;

namespace ck::crypto {

class CryptoError : public std::runtime_error {
public:
    explicit CryptoError(const std::string& message) : std::runtime_error(message) {}
    explicit CryptoError(const QString& message);
};

// Drains OpenSSL's thread-local error queue into one line ("error:...; error:..."), leaving the
// queue empty so a stale entry can never be blamed on a later, unrelated call.
std::string takeOpenSslErrors();

// Throws CryptoError("<what>: <OpenSSL error queue>") and clears the queue.
[[noreturn]] void throwOpenSslError(const std::string& what);

} // namespace ck::crypto
