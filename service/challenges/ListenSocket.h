#pragma once
// Opening the listening socket of a challenge responder, with an error a user can act on.

#include "http/Asio.h"

#include <QString>

#include <memory>

namespace ck::challenges {

// Binds host:port (reuse_address on) and listens. Throws std::runtime_error naming the
// responder (`what`, e.g. "http-01"), the address and the reason; for ports below 1024 the
// reason says how to get the right to bind them.
std::shared_ptr<tcp::acceptor> openListenSocket(asio::io_context& ioc, const QString& host,
                                                int port, const char* what);

} // namespace ck::challenges
