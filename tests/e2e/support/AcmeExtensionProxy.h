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
//  - faults a test sets (AcmeFault) answer matching requests as a failing CA would: a status with
//    a problem document and Retry-After, no answer at all, or an object still pending.
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

// A CA's misbehaviour, injected for the requests that match `target` (and `identifier`).
struct AcmeFault {
    enum class Kind {
        // Answered here with `status`, an application/problem+json document and, if set,
        // Retry-After; with a fresh Replay-Nonce from Pebble (HEAD newNonce), so the client's
        // next signed request is valid.
        Problem,
        Hang, // accepted and never answered: only the client's timeout ends it
        // Forwarded; Pebble's successful answer is changed to say the authorization is still
        // "pending" (an order: "processing"), with Retry-After if set: a CA asking to poll later.
        StillPending,
    };
    Kind kind = Kind::Problem;
    // The path of a directory resource ("newOrder", "newNonce", ...) or, for anything else, a
    // part of the path: "/finalize-order/", "/authZ/", one authorization's whole path. Not
    // renewalInfo, which is answered here (RenewalInfoAnswer).
    QString target;
    QString identifier; // also required: the JWS payload names this identifier (newOrder)
    int skip = 0;       // matching requests let through first (badNonce refusals do not count)
    int times = 1;      // matching requests then given the fault; -1: every one
    int status = 503;
    QString problemType = QStringLiteral("serverInternal"); // urn:ietf:params:acme:error:<this>
    QString detail = QStringLiteral("Injected by the test proxy");
    // With `identifier`: a subproblem naming it with this detail (RFC 8555 §6.7.1).
    QString subproblemDetail;
    int retryAfterSeconds = -1; // Retry-After: N; -1: none
};

// One request as the proxy saw it.
struct ProxiedRequest {
    QByteArray method;
    QString path;
    QDateTime at;          // when it arrived
    int status = 0;        // what the client was answered; 0: nothing (yet)
    bool injected = false; // answered, held or changed by a fault
    bool badNonce = false; // Pebble refused its nonce: the client sends it again
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
    // Faults apply in the order added; the first that matches a request takes it.
    void addFault(const AcmeFault& fault);
    void clearFaults();

    QStringList renewalInfoRequests() const; // the certificate ids asked for, in order
    // The newOrder payloads, except those Pebble refused for their nonce (the client sends them
    // again): what the CA saw as orders.
    QList<QJsonObject> newOrderPayloads() const;
    // The requests matching `target` (as in AcmeFault; empty: all), in order of arrival.
    QList<ProxiedRequest> requests(const QString& target = {}) const;
    // How many times the CA was asked for `target`, not counting requests Pebble refused for
    // their nonce: what a CA's own log would show.
    int attempts(const QString& target) const;

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
