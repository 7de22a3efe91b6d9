// /api/certificateauthorities and /api/accounts: the CAs the service can use and the ACME
// accounts registered with them. Account keys stay on disk; no answer ever contains one.

#include "ApiContext.h"
#include "acme/AcmeProtocol.h"
#include "acme/AcmeRegistry.h"
#include "http/Responses.h"
#include "http/Router.h"
#include "logging/Logger.h"

#include "Base64Url.h"
#include "JsonReader.h"
#include "PlainText.h"
#include "PrivateKey.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QUuid>

namespace ck {

namespace {
struct AccountRequest {
    QString caId;
    bool staging = false;
    QString email;
    bool agreeToTerms = false;
    QString keyAlgorithm = QStringLiteral("ecdsa-p256");
    QString eabKeyId;
    QString eabHmacKey; // base64url, as CAs hand it out
};

AccountRequest parseAccountRequest(const QJsonObject& body) {
    QList<FieldError> errors;
    AccountRequest r;
    JsonReader reader(body, &errors);
    reader.read("certificateAuthorityId", r.caId);
    reader.read("staging", r.staging);
    reader.read("email", r.email);
    reader.read("agreeToTerms", r.agreeToTerms);
    reader.read("keyAlgorithm", r.keyAlgorithm);
    reader.read("eabKeyId", r.eabKeyId);
    reader.read("eabHmacKey", r.eabHmacKey);
    if (const auto problem = lineTextProblem(r.email, QStringLiteral("The email address")))
        errors.append({QStringLiteral("email"), *problem});
    if (!errors.isEmpty())
        throw MalformedInputError(errors);
    static const QRegularExpression email(QStringLiteral("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$"));
    if (!email.match(r.email).hasMatch())
        errors.append(
            {QStringLiteral("email"),
             QStringLiteral(
                 "Enter an email address the CA can write to about expiring certificates")});
    if (!r.agreeToTerms)
        errors.append({QStringLiteral("agreeToTerms"),
                       QStringLiteral("The CA's terms of service must be accepted to register")});
    const auto keyType = crypto::keyTypeFromName(r.keyAlgorithm);
    if (!keyType)
        errors.append({QStringLiteral("keyAlgorithm"),
                       QStringLiteral("Use ecdsa-p256, ecdsa-p384, rsa2048, rsa3072 or rsa4096")});
    if (r.eabKeyId.isEmpty() != r.eabHmacKey.isEmpty())
        errors.append(
            {r.eabKeyId.isEmpty() ? QStringLiteral("eabKeyId") : QStringLiteral("eabHmacKey"),
             QStringLiteral("External Account Binding needs both the key id and the HMAC key")});
    if (!errors.isEmpty())
        throw InvalidInputError(errors);
    return r;
}

} // namespace

void addAcmeRoutes(Router& router, AcmeRouteServices ctx) {
    router.add(http::verb::get, "/api/certificateauthorities",
               [ctx](RequestContext&) -> awaitable<HttpResponse> {
                   QJsonArray arr;
                   for (const auto& ca : ctx.acme.authorities())
                       arr.append(ca.toJson());
                   co_return jsonResponse(http::status::ok, QJsonObject{{"items", arr}});
               });

    router.add(http::verb::post, "/api/certificateauthorities",
               [ctx](RequestContext& req) -> awaitable<HttpResponse> {
                   QList<FieldError> errors;
                   const auto ca = CertificateAuthority::fromJson(req.jsonBody(), &errors);
                   if (!errors.isEmpty())
                       throw MalformedInputError(errors);
                   ctx.acme.saveCustomAuthority(ca);
                   ctx.log.info(
                       QStringLiteral("Saved custom CA '%1' (%2)").arg(ca.title, ca.directoryUrl));
                   co_return jsonResponse(http::status::created,
                                          ctx.acme.authority(ca.id)->toJson());
               });

    router.add(http::verb::delete_, "/api/certificateauthorities/{id}",
               [ctx](RequestContext& req) -> awaitable<HttpResponse> {
                   ctx.acme.removeCustomAuthority(req.param("id"));
                   co_return emptyResponse(http::status::no_content);
               });

    router.add(http::verb::get, "/api/accounts", [ctx](RequestContext&) -> awaitable<HttpResponse> {
        QJsonArray arr;
        for (const auto& a : ctx.acme.accounts())
            arr.append(a.toJson());
        co_return jsonResponse(http::status::ok, QJsonObject{{"items", arr}});
    });

    router.add(
        http::verb::post, "/api/accounts", [ctx](RequestContext& req) -> awaitable<HttpResponse> {
            const AccountRequest r = parseAccountRequest(req.jsonBody());
            const auto ca = ctx.acme.authority(r.caId);
            if (!ca)
                throw InvalidInputError(
                    QStringLiteral("There is no CA with the id '%1'").arg(r.caId),
                    QStringLiteral("certificateAuthorityId"));
            if (ca->eabRequired && r.eabKeyId.isEmpty())
                throw InvalidInputError(
                    QStringLiteral("%1 needs External Account Binding: enter the key id and "
                                   "HMAC key from your %1 account")
                        .arg(ca->title),
                    QStringLiteral("eabKeyId"));
            std::optional<acme::ExternalAccountBinding> eab;
            if (!r.eabKeyId.isEmpty()) {
                const auto hmac = crypto::base64UrlDecode(r.eabHmacKey.toLatin1());
                if (!hmac || hmac->isEmpty())
                    throw InvalidInputError(QStringLiteral("The HMAC key is not base64url text"),
                                            QStringLiteral("eabHmacKey"));
                eab = acme::ExternalAccountBinding{r.eabKeyId, *hmac};
            }
            const crypto::PrivateKey key =
                crypto::PrivateKey::generate(*crypto::keyTypeFromName(r.keyAlgorithm));
            acme::AcmeSession session(ctx.acme.clientFor(*ca), QUrl(ca->directoryFor(r.staging)),
                                      key);
            const QStringList contacts{r.email};
            QString accountUrl;
            accountUrl = co_await acme::registerAccount(session, contacts, r.agreeToTerms, eab);
            AcmeAccount account;
            account.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
            account.certificateAuthorityId = ca->id;
            account.staging = r.staging;
            account.email = r.email;
            account.accountUrl = accountUrl;
            account.keyAlgorithm = r.keyAlgorithm;
            account.dateCreated = QDateTime::currentDateTimeUtc();
            ctx.acme.saveAccount(account, key);
            ctx.log.info(
                QStringLiteral("Registered ACME account %1 with %2").arg(r.email, ca->title));
            co_return jsonResponse(http::status::created, account.toJson());
        });

    router.add(http::verb::delete_, "/api/accounts/{id}",
               [ctx](RequestContext& req) -> awaitable<HttpResponse> {
                   ctx.acme.removeAccount(req.param("id"));
                   co_return emptyResponse(http::status::no_content);
               });

    // RFC 8555 §7.3.5: a new key for an existing account; the old one stops working at once.
    router.add(
        http::verb::post, "/api/accounts/{id}/rollover",
        [ctx](RequestContext& req) -> awaitable<HttpResponse> {
            const auto account = ctx.acme.account(req.param("id"));
            if (!account)
                throw NotFoundError(
                    QStringLiteral("No ACME account has the id '%1'").arg(req.param("id")));
            const QString algorithm =
                req.jsonBody().value(QLatin1String("keyAlgorithm")).toString(account->keyAlgorithm);
            const auto keyType = crypto::keyTypeFromName(algorithm);
            if (!keyType)
                throw InvalidInputError(QStringLiteral("Use ecdsa-p256, ecdsa-p384, rsa2048, "
                                                       "rsa3072 or rsa4096"),
                                        QStringLiteral("keyAlgorithm"));
            const auto open =
                ctx.acme.openAccountSession(account->certificateAuthorityId, account->staging);
            const crypto::PrivateKey newKey = crypto::PrivateKey::generate(*keyType);
            co_await acme::rolloverAccountKey(*open->session, newKey);
            AcmeAccount updated = *account;
            updated.keyAlgorithm = algorithm;
            ctx.acme.saveAccount(updated, newKey);
            ctx.log.info(
                QStringLiteral("Rolled over the key of the ACME account %1").arg(account->email));
            co_return jsonResponse(http::status::ok, updated.toJson());
        });

    // An account registered elsewhere (another client, another install): its key finds it.
    router.add(
        http::verb::post, "/api/accounts/import",
        [ctx](RequestContext& req) -> awaitable<HttpResponse> {
            const QJsonObject body = req.jsonBody();
            const QString caId = body.value(QLatin1String("certificateAuthorityId")).toString();
            const bool staging = body.value(QLatin1String("staging")).toBool();
            const auto ca = ctx.acme.authority(caId);
            if (!ca)
                throw InvalidInputError(QStringLiteral("There is no CA with the id '%1'").arg(caId),
                                        QStringLiteral("certificateAuthorityId"));
            const QString email = body.value(QLatin1String("email")).toString();
            if (const auto problem = lineTextProblem(email, QStringLiteral("The email address")))
                throw MalformedInputError(*problem, QStringLiteral("email"));
            crypto::PrivateKey key;
            try {
                key = crypto::PrivateKey::fromPem(
                    body.value(QLatin1String("accountKey")).toString().toUtf8());
            } catch (const std::exception&) {
                throw InvalidInputError(QStringLiteral("Paste the account's private key as PEM "
                                                       "(unencrypted RSA or ECDSA)"),
                                        QStringLiteral("accountKey"));
            }
            acme::AcmeSession session(ctx.acme.clientFor(*ca), QUrl(ca->directoryFor(staging)),
                                      key);
            QString accountUrl;
            accountUrl = co_await acme::findExistingAccount(session);
            AcmeAccount account;
            account.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
            account.certificateAuthorityId = ca->id;
            account.staging = staging;
            account.email = email;
            account.accountUrl = accountUrl;
            account.keyAlgorithm = crypto::keyTypeName(key.type());
            account.dateCreated = QDateTime::currentDateTimeUtc();
            ctx.acme.saveAccount(account, key);
            ctx.log.info(
                QStringLiteral("Imported the ACME account %1 of %2").arg(accountUrl, ca->title));
            co_return jsonResponse(http::status::created, account.toJson());
        });
}

} // namespace ck
