#pragma once
// Binding the API port. When the configured port is taken and negotiation is on, the next ports
// in a bounded range are tried; the result says which port was bound and why it moved, so the
// service can record it (servers.json, exceptions log, diagnostics) and the app follows.

#include "base/Beast.h"

#include <QString>

#include <optional>

namespace ck::http {

struct BindResult {
    std::optional<tcp::acceptor> acceptor; // bound and listening, when ok
    QString host;
    int requestedPort = 0;
    int boundPort = 0;
    bool negotiated = false; // bound a port other than the requested one
    QString reason;          // why the requested port could not be used (empty when it was)
    QString error;           // why nothing could be bound (empty when ok)
    bool ok() const { return acceptor.has_value(); }
};

BindResult bindApiPort(asio::io_context& ioc, const QString& host, int port, bool negotiate,
                       int range);

// "nginx (pid 1234)" for the process listening on a local TCP port, read from /proc; empty when
// it cannot tell (another user's process, or not Linux).
QString describePortHolder(int port);

} // namespace ck::http
