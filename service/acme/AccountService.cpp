#include "acme/AccountService.h"

#include "acme/AcmeProtocol.h"
#include "base/Clock.h"
#include "logging/Logger.h"

#include "DomainError.h"
#include "crypto/Base64Url.h"
#include "crypto/PrivateKey.h"

#include <QRegularExpression>
#include <QUuid>

namespace ck::acme {

namespace {
const QString kKeyAlgorithms = QStringLiteral("Use ecdsa-p256, ecdsa-p384, rsa2048, rsa3072 or "
                                              "rsa4096");

// Every value of the registration a CA would refuse or we cannot use, each at its field.
QList<FieldError> registrationProblems(const AccountRegistration& r) {
    QList<FieldError> errors;
    static const QRegularExpression email(QStringLiteral("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$"));
    if (!email.match(r.email).hasMatch())
        errors.append(
            {QStringLiteral("email"),
             QStringLiteral(
                 "Enter an email address the CA can write to about expiring certificates")});
    if (!r.agreeToTerms)
        errors.append({QStringLiteral("agreeToTerms"),
                       QStringLiteral("The CA's terms of service must be accepted to register")});
    if (!crypto::keyTypeFromName(r.keyAlgorithm))
        errors.append({QStringLiteral("keyAlgorithm"), kKeyAlgorithms});
    if (r.eabKeyId.isEmpty() != r.eabHmacKey.isEmpty())
        errors.append(
            {r.eabKeyId.isEmpty() ? QStringLiteral("eabKeyId") : QStringLiteral("eabHmacKey"),
             QStringLiteral("External Account Binding needs both the key id and the HMAC key")});
    return errors;
}

AcmeAccount newAccount(const CertificateAuthority& ca, bool staging, const QString& email,
                       const QString& accountUrl, const QString& keyAlgorithm) {
    AcmeAccount account;
    account.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    account.certificateAuthorityId = ca.id;
    account.staging = staging;
    account.email = email;
    account.accountUrl = accountUrl;
    account.keyAlgorithm = keyAlgorithm;
    account.dateCreated = Clock::system().now();
    return account;
}
} // namespace

CertificateAuthority AccountService::authorityFor(const QString& caId) const {
    const auto ca = m_registry.authority(caId);
    if (!ca)
        throw InvalidInputError(QStringLiteral("There is no CA with the id '%1'").arg(caId),
                                QStringLiteral("certificateAuthorityId"));
    return *ca;
}

awaitable<AcmeAccount> AccountService::registerAccount(AccountRegistration r) {
    if (r.keyAlgorithm.isEmpty())
        r.keyAlgorithm = QStringLiteral("ecdsa-p256");
    if (const auto problems = registrationProblems(r); !problems.isEmpty())
        throw InvalidInputError(problems);
    const CertificateAuthority ca = authorityFor(r.certificateAuthorityId);
    if (ca.eabRequired && r.eabKeyId.isEmpty())
        throw InvalidInputError(
            QStringLiteral("%1 needs External Account Binding: enter the key id and HMAC key "
                           "from your %1 account")
                .arg(ca.title),
            QStringLiteral("eabKeyId"));
    std::optional<ExternalAccountBinding> eab;
    if (!r.eabKeyId.isEmpty()) {
        const auto hmac = crypto::base64UrlDecode(r.eabHmacKey.toLatin1());
        if (!hmac || hmac->isEmpty())
            throw InvalidInputError(QStringLiteral("The HMAC key is not base64url text"),
                                    QStringLiteral("eabHmacKey"));
        eab = ExternalAccountBinding{r.eabKeyId, *hmac};
    }
    const crypto::PrivateKey key =
        crypto::PrivateKey::generate(*crypto::keyTypeFromName(r.keyAlgorithm));
    AcmeSession session(m_registry.clientFor(ca), QUrl(ca.directoryFor(r.staging)), key);
    const QStringList contacts{r.email};
    const QString accountUrl =
        co_await acme::registerAccount(session, contacts, r.agreeToTerms, eab);
    const AcmeAccount account = newAccount(ca, r.staging, r.email, accountUrl, r.keyAlgorithm);
    m_registry.saveAccount(account, key);
    m_log.info(QStringLiteral("Registered ACME account %1 with %2").arg(r.email, ca.title));
    co_return account;
}

awaitable<AcmeAccount> AccountService::importAccount(AccountImport r) {
    const CertificateAuthority ca = authorityFor(r.caId);
    crypto::PrivateKey key;
    try {
        key = crypto::PrivateKey::fromPem(r.accountKeyPem);
    } catch (const std::exception&) {
        throw InvalidInputError(QStringLiteral("Paste the account's private key as PEM "
                                               "(unencrypted RSA or ECDSA)"),
                                QStringLiteral("accountKey"));
    }
    AcmeSession session(m_registry.clientFor(ca), QUrl(ca.directoryFor(r.staging)), key);
    const QString accountUrl = co_await findExistingAccount(session);
    const AcmeAccount account =
        newAccount(ca, r.staging, r.email, accountUrl, crypto::keyTypeName(key.type()));
    m_registry.saveAccount(account, key);
    m_log.info(QStringLiteral("Imported the ACME account %1 of %2").arg(accountUrl, ca.title));
    co_return account;
}

awaitable<AcmeAccount> AccountService::rolloverKey(QString accountId,
                                                   std::optional<QString> keyAlgorithm) {
    const auto account = m_registry.account(accountId);
    if (!account)
        throw NotFoundError(QStringLiteral("No ACME account has the id '%1'").arg(accountId));
    const QString algorithm = keyAlgorithm.value_or(account->keyAlgorithm);
    const auto keyType = crypto::keyTypeFromName(algorithm);
    if (!keyType)
        throw InvalidInputError(kKeyAlgorithms, QStringLiteral("keyAlgorithm"));
    const auto open =
        m_registry.openAccountSession(account->certificateAuthorityId, account->staging);
    const crypto::PrivateKey newKey = crypto::PrivateKey::generate(*keyType);
    co_await rolloverAccountKey(*open->session, newKey);
    AcmeAccount updated = *account;
    updated.keyAlgorithm = algorithm;
    m_registry.saveAccount(updated, newKey);
    m_log.info(QStringLiteral("Rolled over the key of the ACME account %1").arg(account->email));
    co_return updated;
}

} // namespace ck::acme
