// POST /api/managedcertificates/{id}/request: start a request now. Answers 202 at once; the
// item's status and log show the progress. POST .../{id}/revoke: revoke the current
// certificate with a reason, and record it on the item.

#include "acme/AcmeError.h"
#include "api/ApiContext.h"
#include "api/ServiceState.h"
#include "http/Responses.h"
#include "http/Router.h"
#include "logging/ItemLog.h"
#include "model/ApiResults.h"
#include "request/RequestService.h"
#include "store/StoreWorker.h"

#include "config/DataPaths.h"

#include <QJsonArray>

namespace ck::api {

void addRequestRoutes(http::Router& router, RequestRouteServices ctx) {
    router.add(beast::http::verb::post, "/api/managedcertificates/{id}/request",
               [ctx](http::RequestContext& req) -> awaitable<HttpResponse> {
                   const QString id = req.param("id");
                   auto work = [id](store::ItemStore& s) { return s.get(id); };
                   const ManagedCertificate item = co_await ctx.store.run(std::move(work));
                   if (!co_await ctx.requests.enqueue(item.id))
                       throw ConflictError(QStringLiteral("A request for '%1' is already running; "
                                                          "wait for it to finish")
                                               .arg(item.name));
                   auto res =
                       http::jsonResponse(beast::http::status::accepted,
                                          RequestStarted{item.id, RequestState::Queued}.toJson());
                   res.set(beast::http::field::location,
                           "/api/managedcertificates/" + item.id.toStdString());
                   co_return res;
               });

    // The newest `limit` entries (default 200) of the item's log, oldest first.
    router.add(beast::http::verb::get, "/api/managedcertificates/{id}/log",
               [ctx](http::RequestContext& req) -> awaitable<HttpResponse> {
                   const QString id = req.param("id");
                   bool ok = true;
                   const QString limitText = req.query.queryItemValue(QStringLiteral("limit"));
                   const int limit = limitText.isEmpty() ? 200 : limitText.toInt(&ok);
                   if (!ok || limit < 1 || limit > 10000)
                       throw MalformedInputError(
                           QStringLiteral("limit must be a whole number from 1 to 10000"),
                           QStringLiteral("limit"));
                   auto exists = [id](store::ItemStore& s) { return s.get(id).id; };
                   co_await ctx.store.run(std::move(exists));
                   const logging::ItemLog log(paths::file(ctx.state.dataDir, paths::kLogsDir), id,
                                              ctx.log);
                   QJsonArray entries;
                   for (const auto& entry : log.tail(limit))
                       entries.append(entry.toJson());
                   co_return http::jsonResponse(beast::http::status::ok,
                                                QJsonObject{{"entries", entries}});
               });

    // RFC 5280 reasons an ACME CA accepts from a subscriber (RFC 8555 §7.6).
    router.add(beast::http::verb::post, "/api/managedcertificates/{id}/revoke",
               [ctx](http::RequestContext& req) -> awaitable<HttpResponse> {
                   const QJsonObject body = req.jsonBody();
                   const QJsonValue reasonValue = body.value(QLatin1String("reason"));
                   const int reason = reasonValue.isUndefined() ? 0 : reasonValue.toInt(-1);
                   static const QList<int> allowed{0, 1, 3, 4, 5};
                   if (!allowed.contains(reason) ||
                       (!reasonValue.isUndefined() && !reasonValue.isDouble()))
                       throw InvalidInputError(
                           QStringLiteral("Use reason 0 (unspecified), 1 (key compromise), 3 "
                                          "(affiliation changed), 4 (superseded) or 5 "
                                          "(cessation of operation)"),
                           QStringLiteral("reason"));
                   QString id = req.param("id");
                   const ManagedCertificate stored =
                       co_await ctx.requests.revoke(std::move(id), reason);
                   co_return http::jsonResponse(beast::http::status::ok, toJson(stored));
               });
}

} // namespace ck::api
