// /api/managedcertificates: list, summary, get, create, update (optimistic, by version), delete.

#include "api/AnswerTags.h"
#include "api/ApiContext.h"
#include "api/ItemBody.h"
#include "api/RequestDecode.h"
#include "api/ServiceState.h"
#include "dnsapi/LexiconCatalogue.h"
#include "http/Responses.h"
#include "http/Router.h"
#include "items/ItemCreation.h"
#include "logging/Logger.h"
#include "model/ApiResults.h"
#include "store/StoreWorker.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace ck::api {

namespace {
// A batch carries many items; a CSV file of 10,000 rows is a few MiB.
constexpr size_t kBatchBodyBytes = 64u * 1024 * 1024;

// An answer and its entity tag; the body stays empty when the client already has it.
struct TaggedBody {
    std::string tag;
    QByteArray body;
};

// On the store thread: the answer named `key`, or only its tag when `ifNoneMatch` names the tag
// the answer had in the store's current state.
template <typename Build>
TaggedBody taggedAnswer(AnswerTags& tags, const store::ItemStore& s, const QString& key,
                        const std::string& ifNoneMatch, Build build) {
    TaggedBody answer;
    const QByteArray state = s.stateTag();
    if (auto known = tags.find(state, key); known && http::ifNoneMatchNames(ifNoneMatch, *known)) {
        answer.tag = std::move(*known);
        return answer;
    }
    answer.body = build();
    answer.tag = http::entityTag(answer.body);
    tags.remember(state, key, answer.tag);
    return answer;
}

// POST .../batch {items: [create bodies], dryRun}: many new items at once (a CSV import). Each
// is validated on its own; the valid ones are created together in one transaction, in order, as
// far as the edition's limit allows (items::ItemCreation). One result per item, in order.
awaitable<HttpResponse> createBatch(const ManagedCertificateRouteServices& ctx,
                                    const QJsonObject& body) {
    if (!body.value(QLatin1String("items")).isArray())
        throw MalformedInputError(QStringLiteral("Send the new items as an array in \"items\""),
                                  QStringLiteral("items"));
    const QJsonArray input = body.value(QLatin1String("items")).toArray();
    BatchCreateResult answer;
    answer.dryRun = body.value(QLatin1String("dryRun")).toBool();
    QList<ManagedCertificate> valid;
    QList<int> validIndex;
    const auto dns = co_await dnsapi::settledCatalogue(ctx.state.dnsCatalogue);
    for (int i = 0; i < input.size(); ++i) {
        BatchCreateResult::Item result;
        result.index = i;
        try {
            ManagedCertificate item = itemFromJson(input[i].toObject(), ctx.state.dataDir, *dns);
            keepServiceOwnedFields(item, ManagedCertificate{});
            valid << item;
            validIndex << i;
        } catch (const InvalidInputError& e) {
            result.reason = e.message();
            result.errors = e.errors();
        }
        answer.results << result;
    }
    const items::BatchCreation outcome = co_await ctx.items.createBatch(valid, answer.dryRun);
    for (qsizetype k = 0; k < valid.size(); ++k) {
        BatchCreateResult::Item& result = answer.results[validIndex[k]];
        if (k < outcome.accepted.size()) {
            result.status = answer.dryRun ? BatchCreateResult::Status::Valid
                                          : BatchCreateResult::Status::Created;
            if (!answer.dryRun)
                result.id = outcome.accepted[k].id;
        } else {
            result.reason = outcome.overLimit;
            result.limitReached = true;
        }
    }
    answer.accepted = int(outcome.accepted.size());
    answer.refused = int(input.size()) - answer.accepted;
    if (!answer.dryRun && answer.accepted > 0)
        ctx.log.info(QStringLiteral("Created %1 managed certificates in one batch (%2 refused)")
                         .arg(answer.accepted)
                         .arg(answer.refused));
    co_return http::jsonResponse(beast::http::status::ok, answer.toJson());
}
} // namespace

// Note on the handlers: the work sent to the store is a named lambda, never a temporary inside
// the co_await expression (see StoreWorker::run on GCC 12).

void addManagedCertificateRoutes(http::Router& router, ManagedCertificateRouteServices ctx) {
    const std::string base = "/api/managedcertificates";
    const auto tags = std::make_shared<AnswerTags>();

    router.add(
        beast::http::verb::get, base,
        [ctx, tags](http::RequestContext& req) -> awaitable<HttpResponse> {
            const ListQuery query = decodeOrRefuse(req.query, &ListQuery::fromUrlQuery);
            // The stored JSON texts as they are: decoding and encoding every item made the list
            // the slowest route (see tests/bench/api.sh). Built on the store thread, and not at
            // all when the client's copy is current (AnswerTags).
            std::string ifNoneMatch(req.request[beast::http::field::if_none_match]);
            auto work = [tags, query, ifNoneMatch = std::move(ifNoneMatch)](store::ItemStore& s) {
                return taggedAnswer(*tags, s,
                                    QStringLiteral("list?") + query.toUrlQuery().toString(),
                                    ifNoneMatch, [&] { return s.listRaw(query).toJsonBytes(); });
            };
            const TaggedBody page = co_await ctx.store.run(std::move(work));
            co_return http::taggedJsonResponse(req.request, page.body, page.tag);
        });

    router.add(
        beast::http::verb::post, base + "/batch",
        [ctx](http::RequestContext& req) -> awaitable<HttpResponse> {
            const QJsonObject body = req.jsonBody();
            co_return co_await createBatch(ctx, body);
        },
        http::Access::Token, kBatchBodyBytes);

    router.add(
        beast::http::verb::get, base + "/summary",
        [ctx, tags](http::RequestContext& req) -> awaitable<HttpResponse> {
            std::string ifNoneMatch(req.request[beast::http::field::if_none_match]);
            auto work = [tags, ifNoneMatch = std::move(ifNoneMatch)](store::ItemStore& s) {
                return taggedAnswer(*tags, s, QStringLiteral("summary"), ifNoneMatch, [&] {
                    return QJsonDocument(s.summary().toJson()).toJson(QJsonDocument::Compact);
                });
            };
            const TaggedBody answer = co_await ctx.store.run(std::move(work));
            co_return http::taggedJsonResponse(req.request, answer.body, answer.tag);
        });

    router.add(beast::http::verb::get, base + "/{id}",
               [ctx](http::RequestContext& req) -> awaitable<HttpResponse> {
                   auto work = [id = req.param("id")](store::ItemStore& s) { return s.get(id); };
                   const ManagedCertificate item = co_await ctx.store.run(std::move(work));
                   co_return http::jsonResponse(beast::http::status::ok, toJson(item));
               });

    router.add(beast::http::verb::post, base,
               [ctx](http::RequestContext& req) -> awaitable<HttpResponse> {
                   const auto dns = co_await dnsapi::settledCatalogue(ctx.state.dnsCatalogue);
                   ManagedCertificate item = itemFromJson(req.jsonBody(), ctx.state.dataDir, *dns);
                   keepServiceOwnedFields(item, ManagedCertificate{});
                   // Within the edition's limit, counted and created together.
                   const ManagedCertificate stored = co_await ctx.items.create(item);
                   ctx.log.info(QStringLiteral("Created managed certificate '%1' (%2) for %3")
                                    .arg(stored.name, stored.id,
                                         stored.domains().join(QStringLiteral(", "))));
                   auto res = http::jsonResponse(beast::http::status::created, toJson(stored));
                   res.set(beast::http::field::location,
                           "/api/managedcertificates/" + stored.id.toStdString());
                   co_return res;
               });

    router.add(
        beast::http::verb::put, base + "/{id}",
        [ctx](http::RequestContext& req) -> awaitable<HttpResponse> {
            const QString id = req.param("id");
            if (!req.jsonBody().contains(QLatin1String("version")))
                throw MalformedInputError(QStringLiteral("Send the version you loaded, so a change "
                                                         "made meanwhile is not overwritten"),
                                          QStringLiteral("version"));
            const auto dns = co_await dnsapi::settledCatalogue(ctx.state.dnsCatalogue);
            ManagedCertificate incoming = itemFromJson(req.jsonBody(), ctx.state.dataDir, *dns);
            if (!incoming.id.isEmpty() && incoming.id != id)
                throw MalformedInputError(QStringLiteral("The id in the body does not match the "
                                                         "id in the address"),
                                          QStringLiteral("id"));
            auto work = [id, incoming](store::ItemStore& s) mutable {
                keepServiceOwnedFields(incoming, s.get(id));
                return s.update(incoming);
            };
            const ManagedCertificate stored = co_await ctx.store.run(std::move(work));
            ctx.log.info(QStringLiteral("Updated managed certificate '%1' (%2) to version %3")
                             .arg(stored.name, stored.id)
                             .arg(stored.version));
            co_return http::jsonResponse(beast::http::status::ok, toJson(stored));
        });

    router.add(beast::http::verb::delete_, base + "/{id}",
               [ctx](http::RequestContext& req) -> awaitable<HttpResponse> {
                   auto work = [id = req.param("id")](store::ItemStore& s) {
                       auto item = s.get(id);
                       s.remove(id);
                       return item;
                   };
                   const ManagedCertificate removed = co_await ctx.store.run(std::move(work));
                   ctx.log.info(QStringLiteral("Deleted managed certificate '%1' (%2)")
                                    .arg(removed.name, removed.id));
                   co_return http::emptyResponse(beast::http::status::no_content);
               });
}

} // namespace ck::api
