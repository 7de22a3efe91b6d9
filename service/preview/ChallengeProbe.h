#pragma once
// Connecting to a name's address the way a CA's validator does, for Test's self-checks:
// - http-01: GET http://<name>:<port>/.well-known/acme-challenge/<token> with "Host: <name>",
//   sent to one resolved address, redirects not followed (reported instead);
// - tls-alpn-01: a TLS handshake offering only "acme-tls/1" with SNI <name> (RFC 8737 §3).
// Asynchronous, with one deadline for the whole exchange; never throws.

#include "base/Async.h"

#include <QString>

#include <chrono>

namespace ck::preview {

struct ProbeResult {
    bool connected = false;
    QString error; // why there is no answer: "connection refused", "no answer within 5 s", ...
    int status = 0;
    QByteArray body;  // at most 64 KiB
    QString location; // of a redirect
    QString alpn;     // the protocol the TLS server selected
};

awaitable<ProbeResult> fetchHttp(QString address, int port, QString hostName, QString path,
                                 std::chrono::milliseconds timeout);

awaitable<ProbeResult> handshakeTlsAlpn(QString address, int port, QString hostName,
                                        std::chrono::milliseconds timeout);

// "192.0.2.1:80", "[2001:db8::1]:80".
QString endpointText(const QString& address, int port);

} // namespace ck::preview
