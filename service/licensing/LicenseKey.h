#pragma once
// License keys: signing (the vendor's tool, and tests with the development key) and checking
// (the service). The text form is described in shared/model/License.h.

#include "model/License.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <variant>

namespace ck::licensing {

// The public key this build trusts (CMake option CERTKEEPER_LICENSE_PUBLIC_KEY), raw 32 bytes.
QByteArray builtInPublicKey();
// Whether the built-in key is the development key of tests/fixtures/license.
bool builtInKeyIsDevelopmentKey();

// A key for `payload`, signed with an Ed25519 private key in PEM. Throws crypto::CryptoError.
QString signLicenseKey(const LicensePayload& payload, const QByteArray& privateKeyPem);

// Why a key was refused; each has its own message.
enum class KeyProblem { Garbled, OtherProduct, BadSignature, Expired };

struct KeyRefusal {
    KeyProblem problem;
    QString message; // what is wrong and what to do
};

// Checks a key as a user pasted it (white space and line breaks anywhere are ignored): its
// form, its product, its signature under `publicKey`, and its expiry at `now`, in that order.
std::variant<LicensePayload, KeyRefusal>
checkLicenseKey(const QString& key, const QByteArray& publicKey, const QDateTime& now);

} // namespace ck::licensing
