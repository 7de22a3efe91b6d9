#pragma once
// ACME certificate authorities (built-in and custom) and the accounts registered with them.

#include "ApiError.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>

namespace ck {

struct CertificateAuthority {
    QString id;
    QString title;
    QString directoryUrl;
    QString stagingDirectoryUrl; // empty when the CA has no test environment
    QString trustedRootFile;     // extra root PEM to trust for the CA's own TLS (private CAs)
    // The certificates read from trustedRootFile when the CA was saved (PEM, re-encoded by the
    // service): what is trusted and backed up from then on, whatever the file holds later.
    QString trustedRootCertificates;
    bool eabRequired = false; // External Account Binding needed to register
    bool builtIn = false;
    QString website;

    QString directoryFor(bool staging) const {
        return staging && !stagingDirectoryUrl.isEmpty() ? stagingDirectoryUrl : directoryUrl;
    }
    QJsonObject toJson() const;
    static CertificateAuthority fromJson(const QJsonObject& o, QList<FieldError>* errors);
    bool operator==(const CertificateAuthority&) const = default;
};

// Let's Encrypt (the default), ZeroSSL, Google Trust Services, BuyPass and SSL.com.
const QList<CertificateAuthority>& builtInCertificateAuthorities();
inline constexpr char kDefaultCertificateAuthority[] = "letsencrypt";

// Problems with a custom CA's fields (id, title, https directory URL). The trusted root file's
// content is checked by the service, which reads it.
QList<FieldError> validateCertificateAuthority(const CertificateAuthority& ca);

struct AcmeAccount {
    QString id;
    QString certificateAuthorityId;
    bool staging = false;
    QString email;
    QString accountUrl; // the CA's URL for the account ("kid")
    QString keyAlgorithm = QStringLiteral("ecdsa-p256");
    QString status = QStringLiteral("valid");
    QDateTime dateCreated;

    QJsonObject toJson() const;
    static AcmeAccount fromJson(const QJsonObject& o, QList<FieldError>* errors);
    bool operator==(const AcmeAccount&) const = default;
};

// POST /api/accounts: a new account with a CA. The External Account Binding pair is sent only
// where the CA needs it (ZeroSSL, Google); the HMAC key is used once and never stored.
struct AccountRegistrationRequest {
    QString certificateAuthorityId;
    bool staging = false;
    QString email;
    bool agreeToTerms = false;
    QString keyAlgorithm; // empty: the service's default
    QString eabKeyId;
    QString eabHmacKey;

    QJsonObject toJson() const; // the EAB fields only when set
    // Strict about types and about line breaks in the email; what a CA would refuse (no "@",
    // terms not agreed) is the service's check, with the CA at hand.
    static AccountRegistrationRequest fromJson(const QJsonObject& o, QList<FieldError>* errors);
    bool operator==(const AccountRegistrationRequest&) const = default;
};

} // namespace ck
