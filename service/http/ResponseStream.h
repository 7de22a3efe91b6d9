#pragma once
// A response written in pieces while the connection stays open (Server-Sent Events): the
// handler sends the header once, then chunks as they come. Chunked transfer encoding keeps the
// connection valid HTTP/1.1; the connection closes when the handler returns.

#include "base/Beast.h"

#include <string_view>

namespace ck::http {

class ResponseStream {
public:
    virtual ~ResponseStream() = default;
    // Sends the status and headers. False when the client has gone.
    virtual awaitable<bool> start(beast::http::response<beast::http::empty_body> header) = 0;
    // Sends one chunk. False when the client has gone or the service is stopping.
    virtual awaitable<bool> write(std::string_view chunk) = 0;
};

} // namespace ck::http
