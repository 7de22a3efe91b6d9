// License keys as a user pastes them (POST /api/license, certkeeper-cli license activate): any
// text. A key is accepted only with the vendor's signature, so what the fuzzer reaches is the
// refusals: each must be a short sentence that never repeats what was pasted, carries no control
// or bidirectional character (it is shown in the app and written to the log), and does not
// depend on where the user's copy put spaces and line breaks.
//
// The first byte chooses the shape: raw text, or "CK1." + base64url(the rest as the payload's
// JSON) + "." + a signature of the right length, so that the payload's decoding is reached
// without the fuzzer having to learn base64.

#include "crypto/Base64Url.h"
#include "licensing/LicenseKey.h"
#include "model/PlainText.h"

#include <QDateTime>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <variant>

namespace {

// What a refusal may be: a few sentences, printable, without what the user pasted.
bool acceptableRefusal(const QString& message, const QString& key) {
    if (message.isEmpty() || message.size() >= 400)
        return false;
    for (const QChar c : message)
        if (ck::isUnsafeInLine(c))
            return false;
    // The payload part is what a user could have typed anything into; a run of 24 characters of
    // it would be an echo, not a coincidence.
    const QString payload = key.section(u'.', 1, 1);
    for (qsizetype at = 0; at + 24 <= payload.size(); at += 24)
        if (message.contains(payload.mid(at, 24)))
            return false;
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0)
        return 0;
    const QByteArray rest(reinterpret_cast<const char*>(data + 1), qsizetype(size - 1));
    QString key;
    if (data[0] % 2 == 0) {
        key = QString::fromUtf8(rest);
    } else {
        const QByteArray signature(64, '\x5a');
        key = QString::fromLatin1(QByteArray(ck::kLicenseKeyPrefix) +
                                  ck::crypto::base64UrlEncode(rest) + '.' +
                                  ck::crypto::base64UrlEncode(signature));
    }
    const QByteArray publicKey = ck::licensing::builtInPublicKey();
    const QDateTime now = QDateTime::fromSecsSinceEpoch(1'800'000'000, Qt::UTC);
    const auto verdict = ck::licensing::checkLicenseKey(key, publicKey, now);
    const auto* refusal = std::get_if<ck::licensing::KeyRefusal>(&verdict);
    if (!refusal)
        return 0; // a key the vendor signed: nothing hostile about it
    if (!acceptableRefusal(refusal->message, key))
        std::abort();
    // Line breaks where a mail client wraps the key change nothing.
    QString wrapped = key;
    for (qsizetype at = wrapped.size() - 7; at > 0; at -= 7)
        wrapped.insert(at, QStringLiteral("\r\n "));
    const auto again = ck::licensing::checkLicenseKey(wrapped, publicKey, now);
    const auto* second = std::get_if<ck::licensing::KeyRefusal>(&again);
    if (!second || second->problem != refusal->problem)
        std::abort();
    return 0;
}
