#pragma once
// Asking a TLS server which certificate it presents: after a reload, the check that the service
// now serves the new certificate (its SHA-256 thumbprint compared with the item's). The chain is
// not verified here: the question is which certificate, not whether to trust it. Blocking.

#include "deploy/StartTls.h"

#include <QString>

#include <chrono>

namespace ck::deploy {

struct TlsProbeResult {
    QString thumbprint; // uppercase hex SHA-256 of the leaf's DER, as the item records it
    QString error;      // why no certificate was read
    bool ok() const { return error.isEmpty(); }
};

// Connects to host:port, asks for TLS first when `startTls` says so (SMTP or IMAP STARTTLS),
// sends `serverName` as SNI (unless it is an IP address or empty) and reads the leaf
// certificate. `timeout` bounds the whole exchange.
TlsProbeResult probeTlsCertificate(const QString& host, int port, const QString& serverName,
                                   std::chrono::milliseconds timeout,
                                   StartTls startTls = StartTls::None);

// Whether a TCP connection to host:port opens; the reason when it does not.
QString tcpConnectError(const QString& host, int port, std::chrono::milliseconds timeout);

} // namespace ck::deploy
