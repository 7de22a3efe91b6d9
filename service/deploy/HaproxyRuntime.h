#pragma once
// HAProxy's runtime API (the "stats socket", level admin), to give a running HAProxy a new
// certificate without a reload: "set ssl cert <path> <<" with the PEM as its payload opens (or
// updates) a transaction, "commit ssl cert <path>" makes every listener using that 'crt' serve
// it, and a refused transaction is aborted ("abort ssl cert <path>") so the next attempt starts
// clean. One command per connection, as HAProxy's non-interactive mode answers and closes.
// Blocking.

#include <QByteArray>
#include <QString>

#include <chrono>

namespace ck::deploy {

// A stats socket: an absolute path (a unix socket) or host:port.
struct HaproxySocket {
    QString address;
    std::chrono::milliseconds timeout{10000};
};

struct HaproxyAnswer {
    QString text;  // what HAProxy said, trimmed
    QString error; // why the exchange failed (no answer at all); empty when it answered
    bool answered() const { return error.isEmpty(); }
};

// Sends one command (with its payload, if any) and reads the answer until HAProxy closes.
HaproxyAnswer haproxyCommand(const HaproxySocket& socket, const QByteArray& command);

struct HaproxyUpdate {
    bool ok = false;
    QString message; // what happened, in HAProxy's own words when it refused
};

// set, then commit; on a refusal, abort. `path` is the 'crt' path as HAProxy's configuration
// names it, `pem` the certificate, its intermediates and the key.
HaproxyUpdate updateHaproxyCertificate(const HaproxySocket& socket, const QString& path,
                                       const QByteArray& pem);

} // namespace ck::deploy
