#pragma once
// Blocking HTTP(S) requests for test code talking to the peers' management APIs (Pebble's
// HTTPS management interface, pebble-challtestsrv's plain HTTP one), through libcurl on the
// calling thread.

#include <QByteArray>
#include <QString>
#include <QUrl>

namespace ck::test {

struct HttpResponse {
    int status = 0; // 0 when there was no HTTP answer at all
    QByteArray body;
    QString error; // network or TLS error, empty on any HTTP answer (also 404)
};

// `caFile`: PEM certificates to trust for https (the only ones trusted); empty for http.
// A non-empty body is sent as application/json. Never uses a proxy.
HttpResponse httpRequest(const QByteArray& method, const QUrl& url, const QByteArray& body = {},
                         const QString& caFile = {}, int timeoutMs = 10000);

} // namespace ck::test
