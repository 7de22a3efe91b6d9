// /api/system: the version (the only anonymous route, so a client can tell "not running" from
// "not authorized") and diagnostics.

#include "api/ApiContext.h"
#include "api/ServiceState.h"
#include "http/Responses.h"
#include "http/Router.h"
#include "licensing/LicenseManager.h"
#include "renewal/RenewalScheduler.h"
#include "store/StoreWorker.h"

namespace ck::api {

namespace {
constexpr int kApiVersion = 1;

struct DatabaseFacts {
    QString integrity;
    int itemCount = 0;
};
} // namespace

void addSystemRoutes(http::Router& router, SystemRouteServices ctx) {
    router.add(
        beast::http::verb::get, "/api/system/appversion",
        [](http::RequestContext&) -> awaitable<HttpResponse> {
            co_return http::jsonResponse(
                beast::http::status::ok,
                QJsonObject{{"product", "Certkeeper"},
                            {"version", QStringLiteral(CERTKEEPER_VERSION)},
                            {"apiVersion", kApiVersion}});
        },
        http::Access::Anonymous);

    router.add(beast::http::verb::get, "/api/system/diagnostics",
               [ctx](http::RequestContext&) -> awaitable<HttpResponse> {
                   auto work = [](store::ItemStore& s) {
                       return DatabaseFacts{s.integrityCheck(), s.count()};
                   };
                   const DatabaseFacts facts = co_await ctx.store.run(std::move(work));
                   ServiceDiagnostics diagnostics =
                       ctx.state.diagnostics(facts.integrity, facts.itemCount);
                   diagnostics.license = ctx.license.info(facts.itemCount);
                   diagnostics.edition = diagnostics.license.editionTitle();
                   diagnostics.scheduler = ctx.scheduler.diagnostics();
                   co_return http::jsonResponse(beast::http::status::ok, diagnostics.toJson());
               });
}

} // namespace ck::api
