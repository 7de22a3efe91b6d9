#pragma once
// One client connection of the HttpServer: reads requests one after another (keep-alive) and
// answers each in turn, or hands the connection to a stream route until that returns. Every
// part of a request is bounded before the token is checked, and the token is checked before a
// body is read; a request that is not valid HTTP/1.1 is answered (400, 408, 505) and closed.

#include "HttpServer.h"
#include "ResponseStream.h"

#include <memory>

namespace ck {

class HttpServer::Session : public ResponseStream,
                            public std::enable_shared_from_this<HttpServer::Session> {
public:
    Session(HttpServer& server, tcp::socket socket);
    ~Session() override;

    awaitable<void> run();
    // Closes the connection unless a request is being answered. A stream has no natural end:
    // stopping the service ends it too.
    void closeIfIdle();

    awaitable<bool> start(http::response<http::empty_body> header) override;
    awaitable<bool> write(std::string_view chunk) override;
    bool streamStarted() const { return m_streaming; }

private:
    using Parser = http::request_parser<http::string_body>;

    // Reads the body of a request whose header is in, within the body timeout. The error is
    // http::error::end_of_stream-like on a closed peer, beast::error::timeout when too slow.
    awaitable<beast::error_code> readBody(Parser& parser, beast::flat_buffer& buffer);
    // The answer to a request that failed to parse, or nothing when there is nobody to answer.
    std::optional<HttpResponse> answerToReadError(const beast::error_code& ec,
                                                  const beast::flat_buffer& buffer,
                                                  size_t bodyLimit) const;
    awaitable<bool> answer(HttpResponse& res, unsigned version, bool keepAlive, bool headOnly);
    // Sends what is left to send, then reads and drops what the client still sends for a
    // moment, so that a client still writing its request receives the answer rather than a
    // reset (nginx's "lingering close").
    awaitable<void> closeGracefully();
    void setCommonHeaders(http::fields& fields) const;

    HttpServer& m_server;
    beast::tcp_stream m_stream;
    bool m_busy = false;
    bool m_streaming = false;
};

} // namespace ck
