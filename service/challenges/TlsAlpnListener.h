#pragma once
// The built-in tls-alpn-01 responder (RFC 8737): a TLS listener on tlsAlpnChallengeServerPort
// that completes a handshake only for a client that offers the "acme-tls/1" protocol and names
// (SNI) a domain with a challenge in progress, presenting a self-signed certificate that carries
// the acmeIdentifier extension for that domain. Like the http-01 listener it only listens while
// an order needs it.

#include "base/Async.h"
#include "challenges/OnDemandListener.h"

#include <QString>

#include <map>
#include <memory>

namespace ck::challenges {

class TlsAlpnListener {
public:
    TlsAlpnListener(asio::io_context& ioc, QString host, int port);
    ~TlsAlpnListener();

    // Creates the validation certificate for `dnsName` and starts listening if needed. Throws
    // std::runtime_error naming the port and the reason when it cannot listen.
    void add(const QString& dnsName, const QString& keyAuthorization);
    // Stops answering for the name; stops listening when none is left.
    void remove(const QString& dnsName);
    int port() const { return m_listener.port(); }

private:
    struct Impl;
    awaitable<void> serve(tcp::socket socket);

    std::unique_ptr<Impl> d;
    OnDemandListener m_listener; // last: closed before the certificates it serves go
};

} // namespace ck::challenges
