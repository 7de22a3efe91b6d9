// POST /api/managedcertificates/renew: {} starts every due item now, {"ids": [...]} the listed
// ones whether due or not. Answers 202 at once with what was queued and what was skipped and
// why; each item's status and log show how it goes.
// POST /api/managedcertificates/{id}/revocationcheck: asks the CA now whether the item's
// certificate is revoked (as the daily watch does) and answers the item with the outcome.

#include "api/ApiContext.h"
#include "http/Responses.h"
#include "http/Router.h"
#include "renewal/RenewalScheduler.h"
#include "revocation/RevocationWatch.h"

#include <QJsonArray>

namespace ck::api {

namespace {
std::optional<QStringList> idsFromBody(const QJsonObject& body) {
    const QJsonValue value = body.value(QLatin1String("ids"));
    if (value.isUndefined() || value.isNull())
        return std::nullopt;
    const MalformedInputError wrong(
        QStringLiteral("\"ids\" must list at least one managed certificate id; "
                       "send {} to renew every due certificate"),
        QStringLiteral("ids"));
    if (!value.isArray() || value.toArray().isEmpty())
        throw wrong;
    QStringList ids;
    for (const QJsonValue& id : value.toArray()) {
        if (!id.isString() || id.toString().trimmed().isEmpty())
            throw wrong;
        ids << id.toString().trimmed();
    }
    return ids;
}
} // namespace

void addRenewalRoutes(http::Router& router, renewal::RenewalScheduler& scheduler) {
    router.add(beast::http::verb::post, "/api/managedcertificates/renew",
               [&scheduler](http::RequestContext& req) -> awaitable<HttpResponse> {
                   const std::optional<QStringList> ids = idsFromBody(req.jsonBody());
                   const RenewalsStarted result = co_await scheduler.renewNow(ids);
                   co_return http::jsonResponse(beast::http::status::accepted, result.toJson());
               });
}

void addRevocationRoutes(http::Router& router, revocation::RevocationWatch& watch) {
    router.add(beast::http::verb::post, "/api/managedcertificates/{id}/revocationcheck",
               [&watch](http::RequestContext& req) -> awaitable<HttpResponse> {
                   const ManagedCertificate item = co_await watch.checkNow(req.param("id"));
                   co_return http::jsonResponse(beast::http::status::ok, toJson(item));
               });
}

} // namespace ck::api
