// /api/adoption: taking over the certificates of certbot, lego and acme.sh (adopt/).
// POST /api/adoption/plan {tool, path, lineages?}: what would be created, one row per lineage,
// nothing changed. POST /api/adoption/apply: the same, done; the scheduler then plans the new
// items' renewals from their certificates.

#include "adopt/AdoptionService.h"
#include "api/ApiContext.h"
#include "api/RequestDecode.h"
#include "http/Responses.h"
#include "http/Router.h"
#include "renewal/RenewalScheduler.h"

namespace ck::api {

void addAdoptionRoutes(http::Router& router, AdoptionRouteServices ctx) {
    router.add(beast::http::verb::post, "/api/adoption/plan",
               [ctx](http::RequestContext& req) -> awaitable<HttpResponse> {
                   AdoptionRequest request =
                       decodeOrRefuse(req.jsonBody(), &AdoptionRequest::fromJson);
                   const AdoptionPlan plan = co_await ctx.adoption.plan(std::move(request));
                   co_return http::jsonResponse(beast::http::status::ok, plan.toJson());
               });
    router.add(beast::http::verb::post, "/api/adoption/apply",
               [ctx](http::RequestContext& req) -> awaitable<HttpResponse> {
                   AdoptionRequest request =
                       decodeOrRefuse(req.jsonBody(), &AdoptionRequest::fromJson);
                   const AdoptionPlan plan = co_await ctx.adoption.apply(std::move(request));
                   if (plan.adopted > 0)
                       ctx.scheduler.wake();
                   co_return http::jsonResponse(beast::http::status::ok, plan.toJson());
               });
}

} // namespace ck::api
