// GET /api/events: the service's live events as Server-Sent Events. A client reconnecting with
// Last-Event-ID (header, or ?lastEventId= for clients that cannot set headers) receives every
// event it missed that the history still holds; when it missed more, it first gets `reset` and
// reloads. ?itemId= narrows the stream to one certificate. A comment every 15 s keeps idle
// connections (and proxies) alive and notices clients that have gone. A client that falls too far
// behind (EventReader) gets `reset` and its stream ends; one that stops reading is let go when
// a write times out.

#include "api/ApiContext.h"
#include "events/EventHub.h"
#include "events/EventReader.h"
#include "http/ResponseStream.h"
#include "http/Router.h"

namespace ck::api {

namespace {
constexpr auto kKeepAlive = std::chrono::seconds(15);

quint64 resumePoint(const http::RequestContext& req, const events::EventHub& hub) {
    QString text = QString::fromStdString(std::string(req.request["Last-Event-ID"]));
    if (text.isEmpty())
        text = req.query.queryItemValue(QStringLiteral("lastEventId"));
    if (text.isEmpty())
        return hub.lastId(); // a new client: only what happens from now on
    bool ok = false;
    const quint64 id = text.trimmed().toULongLong(&ok);
    if (!ok)
        throw MalformedInputError(
            QStringLiteral("Last-Event-ID must be the id of an event this service sent"),
            QStringLiteral("Last-Event-ID"));
    return id;
}

} // namespace

void addEventRoutes(http::Router& router, events::EventHub& hub) {
    router.addStream(
        beast::http::verb::get, "/api/events",
        [&hub](http::RequestContext& req, http::ResponseStream& out) -> awaitable<void> {
            const quint64 lastSent = resumePoint(req, hub);
            const QString itemFilter = req.query.queryItemValue(QStringLiteral("itemId"));

            beast::http::response<beast::http::empty_body> header{beast::http::status::ok, 11};
            header.set(beast::http::field::content_type, "text/event-stream; charset=utf-8");
            header.set(beast::http::field::cache_control, "no-cache");
            header.set("X-Accel-Buffering", "no");
            if (!co_await out.start(std::move(header)))
                co_return;
            const std::string hello = "retry: 2000\n: certkeeper events\n\n";
            if (!co_await out.write(hello))
                co_return;

            // Each pass sends one piece of at most 64 KiB from the shared
            // history: a client that stops reading holds up one piece, and the
            // write's timeout lets it go.
            events::EventReader reader(hub, lastSent, itemFilter);
            while (!hub.isShutDown()) {
                const events::EventReader::Piece piece = reader.next();
                if (!piece.text.isEmpty() &&
                    !co_await out.write(
                        std::string_view(piece.text.constData(), std::size_t(piece.text.size()))))
                    co_return;
                if (piece.end)
                    co_return;
                if (piece.more)
                    continue;
                co_await hub.waitForNewerThan(reader.position(), kKeepAlive);
                if (hub.lastId() <= reader.position()) {
                    const std::string keepAlive = ": keepalive\n\n";
                    if (!co_await out.write(keepAlive))
                        co_return;
                }
            }
        });
}

} // namespace ck::api
