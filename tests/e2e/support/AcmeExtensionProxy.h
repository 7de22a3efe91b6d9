#pragma once
// An HTTPS reverse proxy in front of Pebble that adds the ACME extensions Debian's Pebble 2.4
// lacks, so ARI (RFC 9773) and profiles (draft-ietf-acme-profiles) can be tested end to end
// while every order is still validated and issued by the real Pebble:
//  - the directory gains `renewalInfo` and, when configured, `meta.profiles`;
//  - GET <renewalInfo>/<certID> is answered here with the window the test set, and the ids asked
//    for are recorded;
//  - every newOrder's JWS payload is recorded (but for badNonce refusals), so a test can see
//    `profile` and `replaces` (Pebble ignores members it does not know). With refuseReplaces,
//    an order naming a certificate is answered here with 409 alreadyReplaced, as a CA that
//    already saw a replacement would.
// Everything else reaches Pebble unchanged, with the Host header the client sent: Pebble 2.4
// builds its URLs from that header, so they point back at the proxy and the JWS `url` checks
// hold. The proxy presents Pebble's own TLS certificate (for 127.0.0.1), so a client that trusts
// Pebble's TLS root trusts the proxy. It runs on its own thread: tests block while the service
// talks to it.

#include "PebbleProcess.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

class QObject;
class QThread;

namespace ck::test {

struct AcmeProxyOptions {
    bool renewalInfo = true; // announce renewalInfo in the directory
    // meta.profiles as announced; empty: no profiles at all.
    QJsonObject profiles{{"classic", "The profile certificates have always had"},
                         {"shortlived", "Certificates valid for about six days"}};
};

// What GET <renewalInfo>/<id> answers.
struct RenewalInfoAnswer {
    QDateTime start = QDateTime::currentDateTimeUtc().addDays(60);
    QDateTime end = QDateTime::currentDateTimeUtc().addDays(62);
    QString explanationUrl;
    int status = 200;    // anything else: a problem document with that status
    int busyAnswers = 0; // requests first answered 503 with Retry-After: 1 (counts down)
};

class AcmeExtensionProxy {
public:
    using Options = AcmeProxyOptions;

    explicit AcmeExtensionProxy(const PebbleProcess& pebble, Options options = {});
    ~AcmeExtensionProxy();
    AcmeExtensionProxy(const AcmeExtensionProxy&) = delete;
    AcmeExtensionProxy& operator=(const AcmeExtensionProxy&) = delete;

    // Listens on a free loopback port. False with errorString() set on failure.
    bool start();
    QString errorString() const { return m_error; }
    QString directoryUrl() const; // https://127.0.0.1:PORT/dir

    // May be changed while running; the service reads the directory afresh for every request.
    void setOptions(const Options& options);
    void setRenewalInfoAnswer(const RenewalInfoAnswer& answer);
    void setRefuseReplaces(bool refuse);

    QStringList renewalInfoRequests() const; // the certificate ids asked for, in order
    // The newOrder payloads, except those Pebble refused for their nonce (the client sends them
    // again): what the CA saw as orders.
    QList<QJsonObject> newOrderPayloads() const;

    struct Shared; // state shared with the proxy's thread, behind a mutex

private:
    const PebbleProcess& m_pebble;
    std::shared_ptr<Shared> m_shared;
    std::unique_ptr<QThread> m_thread;
    QObject* m_home = nullptr; // lives on m_thread; parent of the server and its connections
    int m_port = 0;
    QString m_error;
};

} // namespace ck::test
