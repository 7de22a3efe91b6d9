// /api/certificateauthorities and /api/accounts: the CAs the service can use and the ACME
// accounts registered with them. Account keys stay on disk; no answer ever contains one.

#include "acme/AccountService.h"
#include "acme/AcmeProtocol.h"
#include "acme/AcmeRegistry.h"
#include "api/ApiContext.h"
#include "api/RequestDecode.h"
#include "http/Responses.h"
#include "http/Router.h"
#include "logging/Logger.h"

#include "crypto/Base64Url.h"
#include "crypto/PrivateKey.h"
#include "model/PlainText.h"

#include <QJsonArray>

namespace ck::api {

void addAcmeRoutes(http::Router& router, AcmeRouteServices ctx) {
    router.add(
        beast::http::verb::get, "/api/certificateauthorities",
        [ctx](http::RequestContext&) -> awaitable<HttpResponse> {
            QJsonArray arr;
            for (const auto& ca : ctx.acme.authorities())
                arr.append(ca.toJson());
            co_return http::jsonResponse(beast::http::status::ok, QJsonObject{{"items", arr}});
        });

    router.add(beast::http::verb::post, "/api/certificateauthorities",
               [ctx](http::RequestContext& req) -> awaitable<HttpResponse> {
                   const auto ca = decodeOrRefuse(req.jsonBody(), &CertificateAuthority::fromJson);
                   ctx.acme.saveCustomAuthority(ca);
                   ctx.log.info(
                       QStringLiteral("Saved custom CA '%1' (%2)").arg(ca.title, ca.directoryUrl));
                   co_return http::jsonResponse(beast::http::status::created,
                                                ctx.acme.authority(ca.id)->toJson());
               });

    router.add(beast::http::verb::delete_, "/api/certificateauthorities/{id}",
               [ctx](http::RequestContext& req) -> awaitable<HttpResponse> {
                   ctx.acme.removeCustomAuthority(req.param("id"));
                   co_return http::emptyResponse(beast::http::status::no_content);
               });

    router.add(
        beast::http::verb::get, "/api/accounts",
        [ctx](http::RequestContext&) -> awaitable<HttpResponse> {
            QJsonArray arr;
            for (const auto& a : ctx.acme.accounts())
                arr.append(a.toJson());
            co_return http::jsonResponse(beast::http::status::ok, QJsonObject{{"items", arr}});
        });

    router.add(beast::http::verb::post, "/api/accounts",
               [ctx](http::RequestContext& req) -> awaitable<HttpResponse> {
                   auto registration =
                       decodeOrRefuse(req.jsonBody(), &AccountRegistrationRequest::fromJson);
                   const AcmeAccount account =
                       co_await ctx.accounts.registerAccount(std::move(registration));
                   co_return http::jsonResponse(beast::http::status::created, account.toJson());
               });

    router.add(beast::http::verb::delete_, "/api/accounts/{id}",
               [ctx](http::RequestContext& req) -> awaitable<HttpResponse> {
                   ctx.acme.removeAccount(req.param("id"));
                   co_return http::emptyResponse(beast::http::status::no_content);
               });

    // RFC 8555 §7.3.5: a new key for an existing account; the old one stops working at once.
    router.add(beast::http::verb::post, "/api/accounts/{id}/rollover",
               [ctx](http::RequestContext& req) -> awaitable<HttpResponse> {
                   const QJsonValue algorithm = req.jsonBody().value(QLatin1String("keyAlgorithm"));
                   QString id = req.param("id");
                   std::optional<QString> keyAlgorithm;
                   if (algorithm.isString())
                       keyAlgorithm = algorithm.toString();
                   const AcmeAccount updated =
                       co_await ctx.accounts.rolloverKey(std::move(id), std::move(keyAlgorithm));
                   co_return http::jsonResponse(beast::http::status::ok, updated.toJson());
               });

    // An account registered elsewhere (another client, another install): its key finds it.
    router.add(
        beast::http::verb::post, "/api/accounts/import",
        [ctx](http::RequestContext& req) -> awaitable<HttpResponse> {
            const QJsonObject body = req.jsonBody();
            const QString email = body.value(QLatin1String("email")).toString();
            if (const auto problem = lineTextProblem(email, QStringLiteral("The email address")))
                throw MalformedInputError(*problem, QStringLiteral("email"));
            acme::AccountImport import{
                body.value(QLatin1String("certificateAuthorityId")).toString(),
                body.value(QLatin1String("staging")).toBool(), email,
                body.value(QLatin1String("accountKey")).toString().toUtf8()};
            const AcmeAccount account = co_await ctx.accounts.importAccount(std::move(import));
            co_return http::jsonResponse(beast::http::status::created, account.toJson());
        });
}

} // namespace ck::api
