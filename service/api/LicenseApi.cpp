// /api/license: the edition, activation of a license key and deactivation. The key itself is
// never logged; the log names the licensee and edition only.

#include "api/ApiContext.h"
#include "http/Responses.h"
#include "http/Router.h"
#include "licensing/LicenseManager.h"
#include "logging/Logger.h"
#include "store/StoreWorker.h"

namespace ck::api {

namespace {
awaitable<int> countItems(store::StoreWorker& store) {
    auto work = [](store::ItemStore& s) { return s.count(); };
    co_return co_await store.run(std::move(work));
}

awaitable<LicenseInfo> currentLicense(const LicenseRouteServices& ctx) {
    const int used = co_await countItems(ctx.store);
    co_return ctx.license.info(used);
}
} // namespace

void addLicenseRoutes(http::Router& router, LicenseRouteServices ctx) {
    router.add(beast::http::verb::get, "/api/license",
               [ctx](http::RequestContext&) -> awaitable<HttpResponse> {
                   const LicenseInfo info = co_await currentLicense(ctx);
                   co_return http::jsonResponse(beast::http::status::ok, info.toJson());
               });

    router.add(beast::http::verb::post, "/api/license/activate",
               [ctx](http::RequestContext& req) -> awaitable<HttpResponse> {
                   const QJsonValue key = req.jsonBody().value(QLatin1String("key"));
                   if (!key.isString())
                       throw MalformedInputError(
                           QStringLiteral("Send the license key as text in \"key\""),
                           QStringLiteral("key"));
                   ctx.license.activate(key.toString());
                   const LicenseInfo info = co_await currentLicense(ctx);
                   ctx.log.info(QStringLiteral("Activated the %1 license of %2 (key %3) on this "
                                               "install")
                                    .arg(info.edition, info.licensee, info.keyId));
                   co_return http::jsonResponse(beast::http::status::ok, info.toJson());
               });

    router.add(beast::http::verb::post, "/api/license/deactivate",
               [ctx](http::RequestContext&) -> awaitable<HttpResponse> {
                   const LicenseInfo before = ctx.license.info(0);
                   ctx.license.deactivate();
                   ctx.log.info(QStringLiteral("Deactivated the license of %1; the install is "
                                               "on the Community edition")
                                    .arg(before.licensee));
                   const LicenseInfo info = co_await currentLicense(ctx);
                   co_return http::jsonResponse(beast::http::status::ok, info.toJson());
               });
}

} // namespace ck::api
