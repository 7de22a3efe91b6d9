#pragma once
// One client connection of the HttpServer: reads requests one after another (keep-alive) and
// answers each in turn, or hands the connection to a stream route until that returns. Every
// part of a request is bounded before the token is checked, and the token is checked before a
// body is read; a request that is not valid HTTP/1.1 is answered (400, 408, 505) and closed.

#include "http/HttpServer.h"
#include "http/ResponseStream.h"

#include <memory>

namespace ck::http {

class HttpServer::Session : public ResponseStream,
                            public std::enable_shared_from_this<HttpServer::Session> {
public:
    Session(HttpServer& server, tcp::socket socket);
    ~Session() override;

    awaitable<void> run();
    // Closes the connection unless a request is being answered. A stream has no natural end:
    // stopping the service ends it too.
    void closeIfIdle();

    // Which connection to give up first when a new one needs room: one that has never shown
    // the token and waits for a request (0), then an idle keep-alive connection of a client
    // that has (1); a request being answered or a stream is never given up (nullopt).
    std::optional<int> evictionRank() const;
    // Closes the connection for a newer one; it no longer counts as open.
    void evict();
    std::uint64_t serial() const { return m_serial; }

    awaitable<bool> start(beast::http::response<beast::http::empty_body> header) override;
    awaitable<bool> write(std::string_view chunk) override;
    bool streamStarted() const { return m_streaming; }

private:
    using Parser = beast::http::request_parser<beast::http::string_body>;

    // Reads the body of a request whose header is in, within the body timeout. The error is
    // beast::http::error::end_of_stream-like on a closed peer, beast::error::timeout when too slow.
    awaitable<ErrorCode> readBody(Parser& parser, beast::flat_buffer& buffer);
    // The answer to a request that failed to parse, or nothing when there is nobody to answer.
    std::optional<HttpResponse> answerToReadError(const ErrorCode& ec,
                                                  const beast::flat_buffer& buffer,
                                                  size_t bodyLimit) const;
    awaitable<bool> answer(HttpResponse& res, unsigned version, bool keepAlive, bool headOnly);
    // Sends what is left to send, then reads and drops what the client still sends for a
    // moment, so that a client still writing its request receives the answer rather than a
    // reset (nginx's "lingering close").
    awaitable<void> closeGracefully();
    void setCommonHeaders(beast::http::fields& fields) const;

    HttpServer& m_server;
    beast::tcp_stream m_stream;
    std::uint64_t m_serial; // accept order: the oldest is given up first
    bool m_busy = false;    // a request is being read or answered
    bool m_streaming = false;
    bool m_proven = false;   // a request on this connection carried the valid token
    bool m_closing = false;  // refused; draining what the client still sends
    bool m_peerGone = false; // a stream's client closed its end (seen before our next write)
};

} // namespace ck::http
