#include "model/CertificateAuthority.h"

#include "model/PlainText.h"

#include "model/JsonReader.h"

#include <QRegularExpression>
#include <QUrl>

namespace ck {

QJsonObject CertificateAuthority::toJson() const {
    return {{"id", id},
            {"title", title},
            {"directoryUrl", directoryUrl},
            {"stagingDirectoryUrl", stagingDirectoryUrl},
            {"trustedRootFile", trustedRootFile},
            {"trustedRootCertificates", trustedRootCertificates},
            {"eabRequired", eabRequired},
            {"builtIn", builtIn},
            {"website", website}};
}

CertificateAuthority CertificateAuthority::fromJson(const QJsonObject& o,
                                                    QList<FieldError>* errors) {
    CertificateAuthority ca;
    JsonReader r(o, errors);
    r.read("id", ca.id);
    r.read("title", ca.title);
    r.read("directoryUrl", ca.directoryUrl);
    r.read("stagingDirectoryUrl", ca.stagingDirectoryUrl);
    r.read("trustedRootFile", ca.trustedRootFile);
    r.read("trustedRootCertificates", ca.trustedRootCertificates);
    r.read("eabRequired", ca.eabRequired);
    r.read("website", ca.website);
    return ca;
}

QList<FieldError> validateCertificateAuthority(const CertificateAuthority& ca) {
    QList<FieldError> errors;
    static const QRegularExpression idPattern(QStringLiteral("^[a-z0-9][a-z0-9-]{0,62}$"));
    if (!idPattern.match(ca.id).hasMatch())
        errors.append({QStringLiteral("id"),
                       QStringLiteral("Use lower-case letters, digits and hyphens for the id")});
    if (ca.title.trimmed().isEmpty())
        errors.append({QStringLiteral("title"), QStringLiteral("Give the CA a title")});
    else if (const auto problem = lineTextProblem(ca.title, QStringLiteral("The CA's title")))
        errors.append({QStringLiteral("title"), *problem});
    auto checkUrl = [&](const QString& field, const QString& value, bool required) {
        if (value.isEmpty()) {
            if (required)
                errors.append({field, QStringLiteral("Enter the CA's ACME directory URL")});
            return;
        }
        const QUrl url(value, QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty() || url.scheme() != QLatin1String("https"))
            errors.append({field, QStringLiteral("'%1' is not an https:// URL").arg(value)});
    };
    checkUrl(QStringLiteral("directoryUrl"), ca.directoryUrl, true);
    checkUrl(QStringLiteral("stagingDirectoryUrl"), ca.stagingDirectoryUrl, false);
    return errors;
}

QJsonObject AcmeAccount::toJson() const {
    return {{"id", id},
            {"certificateAuthorityId", certificateAuthorityId},
            {"staging", staging},
            {"email", email},
            {"accountUrl", accountUrl},
            {"keyAlgorithm", keyAlgorithm},
            {"status", status},
            {"dateCreated", dateToJson(dateCreated)}};
}

AcmeAccount AcmeAccount::fromJson(const QJsonObject& o, QList<FieldError>* errors) {
    AcmeAccount a;
    JsonReader r(o, errors);
    r.read("id", a.id);
    r.read("certificateAuthorityId", a.certificateAuthorityId);
    r.read("staging", a.staging);
    r.read("email", a.email);
    r.read("accountUrl", a.accountUrl);
    r.read("keyAlgorithm", a.keyAlgorithm);
    r.read("status", a.status);
    r.read("dateCreated", a.dateCreated);
    return a;
}

QJsonObject AccountRegistrationRequest::toJson() const {
    QJsonObject o{{"certificateAuthorityId", certificateAuthorityId},
                  {"staging", staging},
                  {"email", email},
                  {"agreeToTerms", agreeToTerms},
                  {"keyAlgorithm", keyAlgorithm}};
    if (!eabKeyId.isEmpty())
        o.insert("eabKeyId", eabKeyId);
    if (!eabHmacKey.isEmpty())
        o.insert("eabHmacKey", eabHmacKey);
    return o;
}

AccountRegistrationRequest AccountRegistrationRequest::fromJson(const QJsonObject& o,
                                                                QList<FieldError>* errors) {
    AccountRegistrationRequest r;
    JsonReader reader(o, errors);
    reader.read("certificateAuthorityId", r.certificateAuthorityId);
    reader.read("staging", r.staging);
    reader.read("email", r.email);
    reader.read("agreeToTerms", r.agreeToTerms);
    reader.read("keyAlgorithm", r.keyAlgorithm);
    reader.read("eabKeyId", r.eabKeyId);
    reader.read("eabHmacKey", r.eabHmacKey);
    if (const auto problem = lineTextProblem(r.email, QStringLiteral("The email address")))
        errors->append({QStringLiteral("email"), *problem});
    return r;
}

} // namespace ck
