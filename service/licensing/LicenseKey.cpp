#include "licensing/LicenseKey.h"

#include "crypto/Base64Url.h"
#include "crypto/Ed25519.h"
#include "model/PlainText.h"

#include <QJsonDocument>
#include <QRegularExpression>

namespace ck::licensing {

namespace {
KeyRefusal garbled(const QString& why) {
    return {KeyProblem::Garbled,
            QStringLiteral("This is not a complete Certkeeper license key (%1). Copy the whole "
                           "key again: it starts with %2 and has two dots in it.")
                .arg(why, QLatin1String(kLicenseKeyPrefix))};
}

// The product a key names, as the refusal quotes it. Anyone can write a payload (the signature
// is checked after the product), so a name that is long or holds characters that would break
// or reorder the line is not repeated.
QString productForMessage(const QString& product) {
    constexpr qsizetype kMaxQuoted = 40;
    if (product.size() > kMaxQuoted || lineTextProblem(product, QString()))
        return QStringLiteral("another product");
    return QStringLiteral("“%1”").arg(product);
}

QByteArray signedPart(const QByteArray& encodedPayload) {
    return QByteArray(kLicenseSignaturePrefix) + encodedPayload;
}
} // namespace

QByteArray builtInPublicKey() {
    return QByteArray::fromBase64(QByteArrayLiteral(CERTKEEPER_LICENSE_PUBLIC_KEY));
}

bool builtInKeyIsDevelopmentKey() {
    return QByteArrayLiteral(CERTKEEPER_LICENSE_PUBLIC_KEY) ==
           QByteArrayLiteral(CERTKEEPER_DEV_LICENSE_PUBLIC_KEY);
}

QString signLicenseKey(const LicensePayload& payload, const QByteArray& privateKeyPem) {
    const QByteArray encoded =
        crypto::base64UrlEncode(QJsonDocument(payload.toJson()).toJson(QJsonDocument::Compact));
    const QByteArray signature = crypto::ed25519Sign(privateKeyPem, signedPart(encoded));
    return QString::fromLatin1(kLicenseKeyPrefix + encoded + '.' +
                               crypto::base64UrlEncode(signature));
}

std::variant<LicensePayload, KeyRefusal>
checkLicenseKey(const QString& key, const QByteArray& publicKey, const QDateTime& now) {
    static const QRegularExpression space(QStringLiteral("\\s+"));
    const QByteArray text = QString(key).remove(space).toLatin1();
    if (text.isEmpty())
        return garbled(QStringLiteral("nothing was entered"));
    if (!text.startsWith(kLicenseKeyPrefix))
        return garbled(QStringLiteral("it does not start with %1").arg(kLicenseKeyPrefix));
    const QList<QByteArray> parts = text.mid(qsizetype(strlen(kLicenseKeyPrefix))).split('.');
    if (parts.size() != 2)
        return garbled(QStringLiteral("it has %1 parts instead of 2").arg(parts.size()));
    const auto payloadBytes = crypto::base64UrlDecode(parts[0]);
    const auto signature = crypto::base64UrlDecode(parts[1]);
    if (!payloadBytes || !signature)
        return garbled(QStringLiteral("it contains characters a key never has"));
    if (signature->size() != crypto::kEd25519SignatureSize)
        return garbled(QStringLiteral("its end is missing or has extra characters"));
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(*payloadBytes, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return garbled(QStringLiteral("its contents cannot be read"));
    QString problem;
    const auto payload = LicensePayload::fromJson(document.object(), &problem);
    if (!payload)
        return garbled(QStringLiteral("its %1").arg(problem));
    if (payload->product != QLatin1String(kLicenseProduct))
        return KeyRefusal{KeyProblem::OtherProduct,
                          QStringLiteral("This license key is for %1, not for Certkeeper. Enter "
                                         "the Certkeeper key from your order.")
                              .arg(productForMessage(payload->product))};
    if (!crypto::ed25519Verify(publicKey, signedPart(parts[0]), *signature))
        return KeyRefusal{KeyProblem::BadSignature,
                          QStringLiteral("This license key's signature does not match: the key "
                                         "was changed after it was issued, or it was not issued "
                                         "for this build of Certkeeper. Copy it again from your "
                                         "order, or ask the vendor for a new one.")};
    if (payload->expires.isValid() && payload->expires <= now)
        return KeyRefusal{
            KeyProblem::Expired,
            QStringLiteral("This license key (for %1) expired on %2. Enter a "
                           "renewed key.")
                .arg(payload->licensee, payload->expires.toUTC().toString(Qt::ISODate))};
    return *payload;
}

} // namespace ck::licensing
