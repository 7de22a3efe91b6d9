#pragma once
// The encrypted backup package: one text file, versioned, safe to mail or copy:
//
//     CERTKEEPER-BACKUP 1
//     {"kdf":"scrypt","n":131072,"r":8,"p":1,"salt":"...","check":"...","created":"..."}
//     <base64: SecretBox (AES-256-GCM, random nonce) of the zlib-compressed contents JSON>
//     sha256:<hex digest of every byte above>
//
// The key is derived from the passphrase with scrypt (random 16-byte salt). 64 bytes are
// derived: the first 32 are the AES key, the SHA-256 of the last 32 is the "check" in the
// header, so a wrong passphrase is told apart from a damaged file. The digest line finds a
// truncated or changed file before any key is derived; the GCM tag (the first two lines are its
// associated data) then refuses any change made on purpose. Nothing is decided from a package
// until all of that has passed.

#include "crypto/Kdf.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <variant>

namespace ck::backup {

inline constexpr char kPackageMagic[] = "CERTKEEPER-BACKUP";
inline constexpr int kPackageVersion = 1;
inline constexpr int kMinPassphraseLength = 10;

enum class OpenProblem { NotAPackage, NewerVersion, Damaged, WrongPassphrase };

struct OpenFailure {
    OpenProblem problem;
    QString message; // what is wrong and what to do
};

// Encrypts `contents` under `passphrase`. Throws crypto::CryptoError.
QByteArray sealPackage(const QJsonObject& contents, const QByteArray& passphrase,
                       const crypto::ScryptParams& params = {});

// The contents, or why they cannot be had.
std::variant<QJsonObject, OpenFailure> openPackage(const QByteArray& package,
                                                   const QByteArray& passphrase);

} // namespace ck::backup
