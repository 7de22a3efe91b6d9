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

// Let's Encrypt (the default), ZeroSSL, Google Trust Services and SSL.com. Their facts live in
// one file, model/CertificateAuthorityList.cpp, each with the date it was checked.
const QList<CertificateAuthority>& builtInCertificateAuthorities();
inline constexpr char kDefaultCertificateAuthority[] = "letsencrypt";
// When the facts of a built-in CA were last checked ("2026-12-07"); empty for any other id.
QString builtInFactsChecked(const QString& id);

// A CA that was built in and no longer offers ACME. Items and accounts that still name it are
// kept as they are; what names it is told what happened and what to choose instead.
struct RetiredCertificateAuthority {
    QString id;
    QString title;
    QString ended; // when its ACME service ended, in words ("October 2025")
};
// The retired CA with this id, or nullptr (a custom CA of the same id is not retired: the caller
// asks only about an id that is not configured).
const RetiredCertificateAuthority* retiredCertificateAuthority(const QString& id);
// The warning for something naming the retired CA `id`, with what to choose instead; empty
// when `id` is not a retired CA.
QString retiredCertificateAuthorityWarning(const QString& id);

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
