// Preview and Test of a managed certificate:
//   POST /api/managedcertificates/{id}/preview   {} or {"item": {...}}  -> {"steps": [...]}
//   POST /api/managedcertificates/{id}/test      {} or {"item": {...}}  -> {"ok", "checks"}
//   POST /api/managedcertificates/preview        {"item": {...}}        (a new, unsaved item)
//   POST /api/managedcertificates/test           {"item": {...}}
// {} looks at the stored item; {"item": ...} at the editor's unsaved edits of it, validated as a
// save would validate them, with the stored item's current certificate and renewal state.

#include "api/ApiContext.h"
#include "api/ItemBody.h"
#include "api/ServiceState.h"
#include "dnsapi/LexiconCatalogue.h"
#include "http/Responses.h"
#include "http/Router.h"
#include "preview/ConfigTester.h"
#include "preview/PreviewBuilder.h"
#include "store/StoreWorker.h"

namespace ck::api {

namespace {
// The item to look at. `id` empty: the body's item, new and unsaved.
awaitable<ManagedCertificate> subjectOf(const PreviewRouteServices& ctx,
                                        const http::RequestContext& req, QString id) {
    const QJsonObject body = req.jsonBody();
    for (const QString& key : body.keys())
        if (key != QLatin1String("item"))
            throw MalformedInputError(
                QStringLiteral("'%1' is not expected here. Send {} for the stored "
                               "certificate, or {\"item\": {...}} with the "
                               "certificate as edited")
                    .arg(key),
                key);
    const QJsonValue edits = body.value(QLatin1String("item"));
    if (!edits.isUndefined() && !edits.isObject())
        throw MalformedInputError(
            QStringLiteral("\"item\" must be an object: the certificate as edited"),
            QStringLiteral("item"));
    if (id.isEmpty() && !edits.isObject())
        throw MalformedInputError(
            QStringLiteral("Send {\"item\": {...}} with the certificate as edited; to "
                           "look at a saved one, use its address "
                           "(/api/managedcertificates/ID/...)"),
            QStringLiteral("item"));
    ManagedCertificate stored;
    if (!id.isEmpty()) {
        auto load = [id](store::ItemStore& s) { return s.get(id); };
        stored = co_await ctx.store.run(std::move(load));
    }
    if (!edits.isObject())
        co_return stored;
    const auto dns = co_await dnsapi::settledCatalogue(ctx.state.dnsCatalogue);
    ManagedCertificate item = itemFromJson(edits.toObject(), ctx.state.dataDir, *dns);
    if (!id.isEmpty() && !item.id.isEmpty() && item.id != id)
        throw MalformedInputError(
            QStringLiteral("The id in the item does not match the id in the address"),
            QStringLiteral("id"));
    keepServiceOwnedFields(item, stored);
    co_return item;
}

// `id` by value: a coroutine keeps its parameters, and the callers pass temporaries.
awaitable<HttpResponse> previewOf(const PreviewRouteServices& ctx, http::RequestContext& req,
                                  QString id) {
    ManagedCertificate item = co_await subjectOf(ctx, req, id);
    const QList<ActionStep> steps = co_await ctx.previewBuilder.build(std::move(item));
    co_return http::jsonResponse(beast::http::status::ok, previewToJson(steps));
}

awaitable<HttpResponse> testOf(const PreviewRouteServices& ctx, http::RequestContext& req,
                               QString id) {
    ManagedCertificate item = co_await subjectOf(ctx, req, id);
    const TestReport report = co_await ctx.configTester.run(std::move(item));
    co_return http::jsonResponse(beast::http::status::ok, toJson(report));
}
} // namespace

void addPreviewRoutes(http::Router& router, PreviewRouteServices ctx) {
    const std::string base = "/api/managedcertificates";
    router.add(beast::http::verb::post, base + "/preview",
               [ctx](http::RequestContext& req) { return previewOf(ctx, req, QString()); });
    router.add(beast::http::verb::post, base + "/test",
               [ctx](http::RequestContext& req) { return testOf(ctx, req, QString()); });
    router.add(beast::http::verb::post, base + "/{id}/preview",
               [ctx](http::RequestContext& req) { return previewOf(ctx, req, req.param("id")); });
    router.add(beast::http::verb::post, base + "/{id}/test",
               [ctx](http::RequestContext& req) { return testOf(ctx, req, req.param("id")); });
}

} // namespace ck::api
