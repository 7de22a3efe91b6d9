#include "dnsapi/GoogleServiceAccount.h"

#include "DomainError.h"
#include "crypto/Base64Url.h"
#include "crypto/CryptoError.h"
#include "crypto/PrivateKey.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

namespace ck::dnsapi {

GoogleServiceAccount GoogleServiceAccount::fromJson(const QByteArray& json, const QString& field) {
    const QJsonObject o = QJsonDocument::fromJson(json).object();
    GoogleServiceAccount a;
    a.clientEmail = o.value("client_email").toString().trimmed();
    a.privateKeyId = o.value("private_key_id").toString().trimmed();
    a.privateKeyPem = o.value("private_key").toString().toUtf8();
    a.projectId = o.value("project_id").toString().trimmed();
    a.tokenUri = o.value("token_uri")
                     .toString(QStringLiteral("https://oauth2.googleapis.com/token"))
                     .trimmed();
    if (o.value("type").toString() != QLatin1String("service_account") || a.clientEmail.isEmpty() ||
        a.privateKeyPem.isEmpty())
        throw InvalidInputError(QStringLiteral("The service account key must be the JSON key "
                                               "file of a service account (type "
                                               "\"service_account\", client_email, private_key)"),
                                field);
    const QUrl token(a.tokenUri);
    if (!token.isValid() ||
        (token.scheme() != QLatin1String("https") && token.scheme() != QLatin1String("http")))
        throw InvalidInputError(QStringLiteral("The key's token_uri is not an http(s) address"),
                                field);
    try {
        if (crypto::PrivateKey::fromPem(a.privateKeyPem).jwsAlgorithm() != QLatin1String("RS256"))
            throw InvalidInputError(QStringLiteral("The service account key is not an RSA key"),
                                    field);
    } catch (const crypto::CryptoError&) {
        // (The parser's words may quote the key: not repeated here.)
        throw InvalidInputError(QStringLiteral("The service account key's private_key cannot be "
                                               "read; download a new JSON key"),
                                field);
    }
    return a;
}

QByteArray GoogleServiceAccount::assertion(const QString& scope, const QDateTime& now) const {
    const qint64 iat = now.toSecsSinceEpoch();
    QJsonObject header{{"alg", "RS256"}, {"typ", "JWT"}};
    if (!privateKeyId.isEmpty())
        header.insert("kid", privateKeyId);
    const QJsonObject claims{{"iss", clientEmail},
                             {"scope", scope},
                             {"aud", tokenUri},
                             {"iat", iat},
                             {"exp", iat + 3600}};
    const QByteArray signingInput =
        crypto::base64UrlEncode(QJsonDocument(header).toJson(QJsonDocument::Compact)) + '.' +
        crypto::base64UrlEncode(QJsonDocument(claims).toJson(QJsonDocument::Compact));
    const QByteArray signature = crypto::PrivateKey::fromPem(privateKeyPem).sign(signingInput);
    return signingInput + '.' + crypto::base64UrlEncode(signature);
}

} // namespace ck::dnsapi
