// /api/managedcertificates: list, summary, get, create, update (optimistic, by version), delete.

#include "ApiContext.h"
#include "ItemBody.h"
#include "core/StoreWorker.h"
#include "http/Responses.h"
#include "http/Router.h"
#include "logging/Logger.h"

namespace ck {

// Note on the handlers: the work sent to the store is a named lambda, never a temporary inside
// the co_await expression (see StoreWorker::run on GCC 12).

void addManagedCertificateRoutes(Router& router, ApiContext& ctx) {
    const std::string base = "/api/managedcertificates";

    router.add(http::verb::get, base, [&ctx](RequestContext& req) -> awaitable<HttpResponse> {
        QList<FieldError> errors;
        const ListQuery query = ListQuery::fromUrlQuery(req.query, &errors);
        if (!errors.isEmpty()) {
            ApiError e = ApiError::validation(errors);
            e.kind = ApiError::Kind::BadRequest;
            throw e;
        }
        auto work = [query](store::ManagedItemStore& s) { return s.list(query); };
        const ItemPage page = co_await ctx.store.run(std::move(work));
        co_return jsonResponse(http::status::ok, page.toJson());
    });

    router.add(http::verb::get, base + "/summary",
               [&ctx](RequestContext&) -> awaitable<HttpResponse> {
                   auto work = [](store::ManagedItemStore& s) { return s.summary(); };
                   const ItemSummary summary = co_await ctx.store.run(std::move(work));
                   co_return jsonResponse(http::status::ok, summary.toJson());
               });

    router.add(
        http::verb::get, base + "/{id}", [&ctx](RequestContext& req) -> awaitable<HttpResponse> {
            auto work = [id = req.param("id")](store::ManagedItemStore& s) { return s.get(id); };
            const ManagedCertificate item = co_await ctx.store.run(std::move(work));
            co_return jsonResponse(http::status::ok, toJson(item));
        });

    router.add(http::verb::post, base, [&ctx](RequestContext& req) -> awaitable<HttpResponse> {
        ManagedCertificate item = itemFromJson(req.jsonBody());
        keepServiceOwnedFields(item, ManagedCertificate{});
        auto work = [item, now = QDateTime::currentDateTimeUtc()](store::ManagedItemStore& s) {
            return s.create(item, now);
        };
        const ManagedCertificate stored = co_await ctx.store.run(std::move(work));
        ctx.log.info(QStringLiteral("Created managed certificate '%1' (%2) for %3")
                         .arg(stored.name, stored.id, stored.domains().join(QStringLiteral(", "))));
        auto res = jsonResponse(http::status::created, toJson(stored));
        res.set(http::field::location, "/api/managedcertificates/" + stored.id.toStdString());
        co_return res;
    });

    router.add(
        http::verb::put, base + "/{id}", [&ctx](RequestContext& req) -> awaitable<HttpResponse> {
            const QString id = req.param("id");
            if (!req.jsonBody().contains(QLatin1String("version")))
                throw ApiError(ApiError::Kind::BadRequest,
                               QStringLiteral("Send the version you loaded, so a change "
                                              "made meanwhile is not overwritten"),
                               QStringLiteral("version"));
            ManagedCertificate incoming = itemFromJson(req.jsonBody());
            if (!incoming.id.isEmpty() && incoming.id != id)
                throw ApiError(ApiError::Kind::BadRequest,
                               QStringLiteral("The id in the body does not match the id "
                                              "in the address"),
                               QStringLiteral("id"));
            auto work = [id, incoming](store::ManagedItemStore& s) mutable {
                keepServiceOwnedFields(incoming, s.get(id));
                return s.update(incoming);
            };
            const ManagedCertificate stored = co_await ctx.store.run(std::move(work));
            ctx.log.info(QStringLiteral("Updated managed certificate '%1' (%2) to version %3")
                             .arg(stored.name, stored.id)
                             .arg(stored.version));
            co_return jsonResponse(http::status::ok, toJson(stored));
        });

    router.add(http::verb::delete_, base + "/{id}",
               [&ctx](RequestContext& req) -> awaitable<HttpResponse> {
                   auto work = [id = req.param("id")](store::ManagedItemStore& s) {
                       auto item = s.get(id);
                       s.remove(id);
                       return item;
                   };
                   const ManagedCertificate removed = co_await ctx.store.run(std::move(work));
                   ctx.log.info(QStringLiteral("Deleted managed certificate '%1' (%2)")
                                    .arg(removed.name, removed.id));
                   co_return emptyResponse(http::status::no_content);
               });
}

} // namespace ck
