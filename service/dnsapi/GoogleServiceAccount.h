#pragma once
// A Google Cloud service account's JSON key and the signed JWT it is exchanged for an OAuth
// token with
// (https://developers.google.com/identity/protocols/oauth2/service-account#authorizingrequests):
// header {"alg": "RS256", "typ": "JWT", "kid"}, claims {"iss": client_email, "scope", "aud":
// token_uri, "iat", "exp"}, signed with the key's RSA private key (RSASSA-PKCS1-v1_5 SHA-256,
// crypto::PrivateKey on OpenSSL's EVP). The token_uri the key names is where the assertion goes,
// as Google's own client libraries do.

#include <QByteArray>
#include <QDateTime>
#include <QString>

namespace ck::dnsapi {

struct GoogleServiceAccount {
    QString clientEmail;
    QString privateKeyId;
    QByteArray privateKeyPem; // a secret
    QString projectId;
    QString tokenUri; // "https://oauth2.googleapis.com/token"

    // Reads the JSON key file's text. Throws InvalidInputError naming `field` when it is not a
    // service account key with an RSA private key.
    static GoogleServiceAccount fromJson(const QByteArray& json, const QString& field);

    // The compact JWT (header.claims.signature) asking for `scope`, valid for an hour from `now`.
    QByteArray assertion(const QString& scope, const QDateTime& now) const;
};

} // namespace ck::dnsapi
