// The service's API as a client on this machine reaches it: any bytes on a connection to
// 127.0.0.1. They go through the real HttpServer over a loopback socket: the session's
// bounded reads (Beast's parser with our limits), the gate (Host, Origin, token, route, content
// type, body size on the header alone), the router and its path parameters, keep-alive and
// pipelining, a streamed answer, the refusals' problem documents and the lingering close. The
// routes stand in for the real table's kinds: anonymous, token, a path parameter, JSON bodies,
// a large-body import, a stream, a handler that refuses.
//
// Invariants: whatever arrives, the answer is a sequence of well-formed HTTP/1.1 responses of
// the statuses the service uses, each from this server; nothing but the anonymous route
// succeeds without the token; and every connection is closed once the client has finished.

#include "DomainError.h"
#include "http/HttpServer.h"
#include "http/ResponseStream.h"
#include "http/Responses.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <set>

namespace {

using namespace ck;
namespace bhttp = beast::http;

constexpr char kToken[] = "3f1c9a7e5b2d48c6a0e9f7b1d3c5a7e9b2d4f6a8c0e1f3a5b7c9d1e3f5a7b9c1";
constexpr size_t kMaxHeaderBytes = 8 * 1024;
constexpr size_t kImportBodyBytes = 256 * 1024;

void addRoutes(http::Router& router) {
    router.add(
        bhttp::verb::get, "/api/system/appversion",
        [](http::RequestContext&) -> awaitable<HttpResponse> {
            HttpResponse res = http::jsonResponse(bhttp::status::ok, QJsonObject{{"v", 1}});
            res.set("X-Fuzz-Anonymous", "1");
            co_return res;
        },
        http::Access::Anonymous);
    router.add(bhttp::verb::get, "/api/managedcertificates",
               [](http::RequestContext& req) -> awaitable<HttpResponse> {
                   co_return http::jsonResponse(
                       bhttp::status::ok,
                       QJsonObject{{"search", req.query.queryItemValue(QStringLiteral("search"))}});
               });
    router.add(
        bhttp::verb::get, "/api/managedcertificates/{id}",
        [](http::RequestContext& req) -> awaitable<HttpResponse> {
            co_return http::jsonResponse(bhttp::status::ok, QJsonObject{{"id", req.param("id")}});
        });
    router.add(bhttp::verb::post, "/api/managedcertificates",
               [](http::RequestContext& req) -> awaitable<HttpResponse> {
                   const QJsonObject body = req.jsonBody();
                   co_return http::jsonResponse(bhttp::status::created, body);
               });
    router.add(bhttp::verb::put, "/api/settings",
               [](http::RequestContext& req) -> awaitable<HttpResponse> {
                   const QJsonObject body = req.jsonBody();
                   co_return http::jsonResponse(bhttp::status::ok, body);
               });
    router.add(bhttp::verb::delete_, "/api/credentials/{id}",
               [](http::RequestContext& req) -> awaitable<HttpResponse> {
                   throw NotFoundError(QStringLiteral("No credential %1").arg(req.param("id")));
                   co_return http::emptyResponse(bhttp::status::no_content);
               });
    router.add(
        bhttp::verb::post, "/api/system/import",
        [](http::RequestContext& req) -> awaitable<HttpResponse> {
            (void)req.jsonBody();
            co_return http::emptyResponse(bhttp::status::no_content);
        },
        http::Access::Token, kImportBodyBytes);
    router.addStream(bhttp::verb::get, "/api/events",
                     [](http::RequestContext&, http::ResponseStream& out) -> awaitable<void> {
                         bhttp::response<bhttp::empty_body> header{bhttp::status::ok, 11};
                         header.set(bhttp::field::content_type, "text/event-stream");
                         if (co_await out.start(std::move(header))) {
                             const std::string_view event = "event: hello\ndata: {}\n\n";
                             co_await out.write(event);
                         }
                     });
}

struct Server {
    asio::io_context ioc;
    http::Router router;
    logging::Logger log;
    std::unique_ptr<http::HttpServer> server;
    tcp::endpoint endpoint;

    Server() {
        log.setLevel(logging::Logger::Level::Error);
        addRoutes(router);
        http::HttpLimits limits;
        limits.maxBodyBytes = 16 * 1024;
        limits.maxHeaderBytes = kMaxHeaderBytes;
        // The client always finishes sending at once; a timeout here would be a hang.
        limits.headerTimeout = limits.bodyTimeout = limits.idleTimeout = std::chrono::seconds(5);
        server = std::make_unique<http::HttpServer>(ioc, router, limits, log);
        tcp::acceptor acceptor(ioc, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
        endpoint = acceptor.local_endpoint();
        // The guard is told the port the service is configured with (9696), which is what the
        // Host header names; the socket's own port is whatever was free.
        server->start(std::move(acceptor), http::RequestGuard(kToken, "127.0.0.1", 9696));
    }

    // Sends `request`, finishes sending, and returns everything the server answered.
    std::string exchange(const std::string& request) {
        auto answer = std::make_shared<std::string>();
        auto done = std::make_shared<bool>(false);
        asio::co_spawn(
            ioc,
            [this, request, answer, done]() -> awaitable<void> {
                tcp::socket socket(ioc);
                ErrorCode ec;
                co_await socket.async_connect(endpoint, asio::redirect_error(use_awaitable, ec));
                if (!ec)
                    co_await asio::async_write(socket, asio::buffer(request),
                                               asio::redirect_error(use_awaitable, ec));
                socket.shutdown(tcp::socket::shutdown_send, ec);
                std::array<char, 4096> chunk{};
                for (;;) {
                    const size_t n = co_await socket.async_read_some(
                        asio::buffer(chunk), asio::redirect_error(use_awaitable, ec));
                    answer->append(chunk.data(), n);
                    if (ec)
                        break;
                }
                *done = true;
            },
            asio::detached);
        while (!*done || server->connectionCount() != 0)
            ioc.run_one();
        return *answer;
    }
};

// A request as the server reads it: its method (a HEAD's answer has no body) and whether any of
// its header fields carries the token.
struct SeenRequest {
    bhttp::verb method;
    bool carriesToken;
};

// The requests in `input`, in order, as far as the server reads them. The limits are the
// server's while it reads a header, so a request it refuses is one this does not count either.
std::vector<SeenRequest> requestsIn(const std::string& input) {
    std::vector<SeenRequest> requests;
    beast::flat_buffer buffer;
    buffer.commit(asio::buffer_copy(buffer.prepare(input.size()), asio::buffer(input)));
    for (;;) {
        bhttp::request_parser<bhttp::string_body> parser;
        parser.header_limit(std::uint32_t(kMaxHeaderBytes));
        parser.body_limit(kImportBodyBytes);
        ErrorCode ec;
        while (!parser.is_header_done() && !ec && buffer.size() > 0) {
            const size_t used = parser.put(buffer.data(), ec);
            buffer.consume(used);
            if (used == 0)
                break;
        }
        if (ec || !parser.is_header_done())
            return requests;
        bool carriesToken = false;
        for (const auto& field : parser.get())
            carriesToken = carriesToken || field.value().find(kToken) != std::string_view::npos;
        requests.push_back({parser.get().method(), carriesToken});
        while (!parser.is_done() && !ec && buffer.size() > 0) {
            const size_t used = parser.put(buffer.data(), ec);
            buffer.consume(used);
            if (used == 0)
                break;
        }
        if (!parser.is_done())
            return requests;
    }
}

void checkAnswer(const std::string& input, const std::string& answer) {
    static const std::set<unsigned> statuses = {200, 201, 204, 400, 401, 403, 404, 405,
                                                408, 413, 415, 431, 500, 503, 505};
    const std::vector<SeenRequest> requests = requestsIn(input);
    beast::flat_buffer buffer;
    buffer.commit(asio::buffer_copy(buffer.prepare(answer.size()), asio::buffer(answer)));
    for (size_t i = 0; buffer.size() > 0; ++i) {
        const bool known = i < requests.size();
        bhttp::response_parser<bhttp::string_body> parser;
        parser.body_limit(16 * 1024 * 1024);
        parser.skip(known && requests[i].method == bhttp::verb::head);
        ErrorCode ec;
        while (!parser.is_done() && !ec) {
            const size_t used = parser.put(buffer.data(), ec);
            buffer.consume(used);
            if (ec == bhttp::error::need_more)
                ec = {};
            if (!ec && used == 0 && !parser.is_done()) {
                parser.put_eof(ec); // the server closed: the end of a body without a length
                break;
            }
        }
        if (ec || !parser.is_done())
            std::abort(); // not a well-formed response
        const auto& res = parser.get();
        if (!statuses.count(res.result_int()) || res[bhttp::field::server] != "certkeeper-service")
            std::abort();
        // Only the anonymous route answers a request that did not carry the token; an answer
        // to a request this could not read must be a refusal.
        const bool success = res.result_int() < 300;
        if (success && !(known && requests[i].carriesToken) && res["X-Fuzz-Anonymous"] != "1")
            std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // Never destroyed: the server's coroutines live in its io_context until the process ends.
    static Server* const server = new Server;
    const std::string input(reinterpret_cast<const char*>(data), size);
    const std::string answer = server->exchange(input);
    checkAnswer(input, answer);
    return 0;
}
