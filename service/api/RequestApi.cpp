// POST /api/managedcertificates/{id}/request: start a request now. Answers 202 at once; the
// item's status and log show the progress.

#include "ApiContext.h"
#include "core/StoreWorker.h"
#include "http/Responses.h"
#include "http/Router.h"
#include "request/RequestService.h"

namespace ck {

void addRequestRoutes(Router& router, ApiContext& ctx) {
    router.add(http::verb::post, "/api/managedcertificates/{id}/request",
               [&ctx](RequestContext& req) -> awaitable<HttpResponse> {
                   const QString id = req.param("id");
                   auto work = [id](store::ManagedItemStore& s) { return s.get(id); };
                   const ManagedCertificate item = co_await ctx.store.run(std::move(work));
                   if (!ctx.requests.start(item.id))
                       throw ApiError(ApiError::Kind::Conflict,
                                      QStringLiteral("A request for '%1' is already running; "
                                                     "wait for it to finish")
                                          .arg(item.name));
                   auto res = jsonResponse(http::status::accepted,
                                           QJsonObject{{"id", item.id}, {"status", "Queued"}});
                   res.set(http::field::location,
                           "/api/managedcertificates/" + item.id.toStdString());
                   co_return res;
               });
}

} // namespace ck
