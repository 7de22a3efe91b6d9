// GET /api/events: the service's live events as Server-Sent Events. A client reconnecting with
// Last-Event-ID (header, or ?lastEventId= for clients that cannot set headers) receives every
// event it missed that the history still holds; when it missed more, it first gets `reset` and
// reloads. ?itemId= narrows the stream to one certificate. A comment every 15 s keeps idle
// connections (and proxies) alive and notices clients that have gone.

#include "ApiContext.h"
#include "events/EventHub.h"
#include "http/ResponseStream.h"
#include "http/Router.h"

namespace ck {

namespace {
constexpr auto kKeepAlive = std::chrono::seconds(15);

quint64 resumePoint(const RequestContext& req, const EventHub& hub) {
    QString text = QString::fromStdString(std::string(req.request["Last-Event-ID"]));
    if (text.isEmpty())
        text = req.query.queryItemValue(QStringLiteral("lastEventId"));
    if (text.isEmpty())
        return hub.lastId(); // a new client: only what happens from now on
    bool ok = false;
    const quint64 id = text.trimmed().toULongLong(&ok);
    if (!ok)
        throw ApiError(ApiError::Kind::BadRequest,
                       QStringLiteral("Last-Event-ID must be the id of an event this service sent"),
                       QStringLiteral("Last-Event-ID"));
    return id;
}

QByteArray resetFrame(quint64 resumeAt) {
    return "id: " + QByteArray::number(resumeAt) +
           "\nevent: reset\ndata: {\"reason\":\"Some events were missed (the service restarted "
           "or the connection was away too long); reload the list and logs.\"}\n\n";
}
} // namespace

void addEventRoutes(Router& router, ApiContext& ctx) {
    router.addStream(http::verb::get, "/api/events",
                     [&ctx](RequestContext& req, ResponseStream& out) -> awaitable<void> {
                         EventHub& hub = ctx.events;
                         quint64 lastSent = resumePoint(req, hub);
                         const QString itemFilter =
                             req.query.queryItemValue(QStringLiteral("itemId"));

                         http::response<http::empty_body> header{http::status::ok, 11};
                         header.set(http::field::content_type, "text/event-stream; charset=utf-8");
                         header.set(http::field::cache_control, "no-cache");
                         header.set("X-Accel-Buffering", "no");
                         if (!co_await out.start(std::move(header)))
                             co_return;
                         const std::string hello = "retry: 2000\n: certkeeper events\n\n";
                         if (!co_await out.write(hello))
                             co_return;

                         while (!hub.isShutDown()) {
                             const auto backlog = hub.since(lastSent);
                             QByteArray batch;
                             if (backlog.missedSome) {
                                 batch += resetFrame(backlog.reloadPoint);
                                 lastSent = backlog.reloadPoint;
                             }
                             for (const auto& event : backlog.events) {
                                 if (itemFilter.isEmpty() || event->itemId == itemFilter)
                                     batch += event->frame();
                                 lastSent = event->id;
                             }
                             if (!batch.isEmpty()) {
                                 const std::string chunk = batch.toStdString();
                                 if (!co_await out.write(chunk))
                                     co_return;
                                 continue;
                             }
                             co_await hub.waitForNewerThan(lastSent, kKeepAlive);
                             if (hub.lastId() <= lastSent) {
                                 const std::string keepAlive = ": keepalive\n\n";
                                 if (!co_await out.write(keepAlive))
                                     co_return;
                             }
                         }
                     });
}

} // namespace ck
