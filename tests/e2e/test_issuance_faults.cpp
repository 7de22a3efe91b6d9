// A CA that misbehaves the way real ones do: busy (503 with Retry-After), rate-limiting (429 with
// a Retry-After an hour away), refusing one name of an order, failing once with a 500, never
// answering, asking to poll later. The service talks to Pebble through AcmeExtensionProxy, which
// injects each fault (support/); everything else is still validated and issued by Pebble, with
// half of all nonces rejected as in every issuance test. Each case checks what a user notices:
// the request succeeds after waiting as told, or it ends in an error on the item that names the
// step, the cause and what to do, with nothing in assets/ and the service still serving.

#include "ProxiedCa.h"

#include <catch2/catch.hpp>

#include <QDir>
#include <QFile>
#include <QJsonDocument>

using namespace ck::test;

namespace {
std::string str(const QString& s) {
    return s.toStdString();
}

const QString kNewOrder = QStringLiteral("newOrder");
// Pebble 2.4's paths for these; the proxy matches them as parts of the request path.
const QString kFinalize = QStringLiteral("/finalize-order/");
const QString kOrder = QStringLiteral("/my-order/");
const QString kAuthorization = QStringLiteral("/authZ/");

// The Pebble behind `proxy`, known to the service as the CA "faulty" with an account there.
struct FaultSetup : ProxiedCa {
    // requestTimeoutSeconds > 0: the service is restarted with that acmeRequestTimeoutSeconds.
    explicit FaultSetup(int requestTimeoutSeconds = 0)
        : ProxiedCa(QStringLiteral("faulty"), QStringLiteral("Pebble with faults"),
                    AcmeProxyOptions{.renewalInfo = false, .profiles = {}}) {
        if (requestTimeoutSeconds > 0)
            restartWithTimeout(requestTimeoutSeconds);
    }

    void restartWithTimeout(int requestTimeoutSeconds) {
        REQUIRE(f.service.stop());
        QFile file(f.dataDir.filePath(QStringLiteral("serviceconfig.json")));
        REQUIRE(file.open(QIODevice::ReadOnly));
        QJsonObject config = QJsonDocument::fromJson(file.readAll()).object();
        file.close();
        config.insert("acmeRequestTimeoutSeconds", requestTimeoutSeconds);
        REQUIRE(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(QJsonDocument(config).toJson());
        file.close();
        restartService();
    }
};
} // namespace

TEST_CASE("faults: a busy CA's short Retry-After on newOrder is waited out, not hammered",
          "[e2e][acme][faults]") {
    FaultSetup s;
    AcmeFault busy;
    busy.target = kNewOrder;
    busy.times = 2;
    busy.status = 503;
    busy.detail = QStringLiteral("The CA is busy, try again shortly (test proxy)");
    busy.retryAfterSeconds = 1;
    s.proxy.addFault(busy);

    const QString id = s.createItem({QStringLiteral("busy.example.test")});
    s.issue(id);
    const auto orders = s.actedOn(kNewOrder);
    REQUIRE(orders.size() == 3); // twice refused, then placed: no request more
    CHECK(orders[0].injected);
    CHECK(orders[1].injected);
    CHECK_FALSE(orders[2].injected);
    // Each retry came after the second the CA asked for (and not much later).
    CHECK(orders[0].at.msecsTo(orders[1].at) >= 950);
    CHECK(orders[1].at.msecsTo(orders[2].at) >= 950);
    CHECK(orders[0].at.msecsTo(orders[2].at) >= 1950);
    CHECK(orders[0].at.msecsTo(orders[2].at) < 5000);
    CHECK(s.proxy.newOrderPayloads().size() == 1); // one order reached Pebble
}

TEST_CASE("faults: a rate limit lifting only in an hour fails at once, saying until when",
          "[e2e][acme][faults]") {
    FaultSetup s;
    AcmeFault limited;
    limited.target = kNewOrder;
    limited.status = 429;
    limited.problemType = QStringLiteral("rateLimited");
    limited.detail = QStringLiteral("Too many new orders recently (test proxy)");
    limited.retryAfterSeconds = 3600;
    s.proxy.addFault(limited);

    const QString id = s.createItem({QStringLiteral("limited.example.test")});
    const QDateTime before = QDateTime::currentDateTimeUtc();
    const QJsonObject item = s.f.requestAndWait(id);
    const QDateTime after = QDateTime::currentDateTimeUtc();
    CHECK(before.msecsTo(after) < 15000); // not after an hour, nor after retries
    requireCleanFailure(s.f, item,
                        {QStringLiteral("create the order"), QStringLiteral("rateLimited"),
                         QStringLiteral("Too many new orders recently"),
                         QStringLiteral("limits how often certificates can be requested")});
    // "Try again after yyyy-MM-dd HH:mm UTC": an hour after the CA said so.
    const QString message = item.value("renewalFailureMessage").toString();
    const QString format = QStringLiteral("yyyy-MM-dd HH:mm");
    const QString earliest = before.addSecs(3600).toString(format);
    const QString latest = after.addSecs(3600).toString(format);
    INFO(str(message) << "\nexpected a time from " << str(earliest) << " to " << str(latest));
    CHECK((message.contains(QStringLiteral("Try again after ") + earliest + " UTC") ||
           message.contains(QStringLiteral("Try again after ") + latest + " UTC")));
    CHECK(s.proxy.attempts(kNewOrder) == 1); // no retry the CA would count against the limit
}

TEST_CASE("faults: a name the CA refuses is named, with the CA's reason", "[e2e][acme][faults]") {
    FaultSetup s;
    const QString refused = QStringLiteral("refused.example.test");
    AcmeFault rejected;
    rejected.target = kNewOrder;
    rejected.identifier = refused; // only orders naming it
    rejected.times = -1;
    rejected.status = 400;
    rejected.problemType = QStringLiteral("rejectedIdentifier");
    rejected.detail = QStringLiteral("Error creating new order");
    rejected.subproblemDetail = QStringLiteral("a name the CA refuses (test policy)");
    s.proxy.addFault(rejected);

    const QString id = s.createItem({QStringLiteral("accepted.example.test"), refused});
    const QJsonObject item = s.f.requestAndWait(id);
    requireCleanFailure(s.f, item,
                        {QStringLiteral("create the order for refused.example.test"),
                         QStringLiteral("rejectedIdentifier"),
                         QStringLiteral("a name the CA refuses (test policy)"),
                         QStringLiteral("will not issue for this name")});
    CHECK_FALSE(item.value("renewalFailureMessage")
                    .toString()
                    .contains(QStringLiteral("accepted.example.test")));
    CHECK(s.proxy.attempts(kNewOrder) == 1); // a refusal is final: not sent again

    // The other name alone is issued through the same CA.
    s.issue(s.createItem({QStringLiteral("accepted.example.test")}));
}

TEST_CASE("faults: a CA error once on finalize fails the request clearly; the next one succeeds",
          "[e2e][acme][faults]") {
    FaultSetup s;
    AcmeFault internal;
    internal.target = kFinalize;
    internal.status = 500;
    internal.detail = QStringLiteral("Internal error while finalizing (test proxy)");
    s.proxy.addFault(internal);

    const QString id = s.createItem({QStringLiteral("finalize.example.test")});
    requireCleanFailure(s.f, s.f.requestAndWait(id),
                        {QStringLiteral("finalize the order"), QStringLiteral("serverInternal"),
                         QStringLiteral("Internal error while finalizing"),
                         QStringLiteral("try again later")});
    // A 500 says nothing about when to ask again: the order is not finalized behind its back.
    CHECK(s.proxy.attempts(kFinalize) == 1);

    const QJsonObject item = s.issue(id);
    CHECK(item.value("renewalFailureCount").toInt() == 0);
    CHECK(item.value("renewalFailureMessage").toString().isEmpty());
    CHECK(s.proxy.attempts(kFinalize) == 2);
}

TEST_CASE("faults: a CA that never answers newOrder ends the request within the step timeout",
          "[e2e][acme][faults]") {
    constexpr int kTimeoutSeconds = 3;
    FaultSetup s(kTimeoutSeconds); // acmeRequestTimeoutSeconds: 3
    AcmeFault hang;
    hang.kind = AcmeFault::Kind::Hang;
    hang.target = kNewOrder;
    hang.times = -1;
    s.proxy.addFault(hang);

    const QString id = s.createItem({QStringLiteral("silent.example.test")});
    const QJsonObject item = s.f.requestAndWait(id, 30000);
    const QDateTime done = QDateTime::currentDateTimeUtc();
    requireCleanFailure(s.f, item, {QStringLiteral("create the order")});
    const QString message = item.value("renewalFailureMessage").toString();
    CHECK(message.contains(QStringLiteral("did not answer in time")));
    CHECK(message.contains(QStringLiteral("acmeRequestTimeoutSeconds")));
    // Sent once, and given up after the timeout: not sent again on another connection, which
    // would double the wait (and could place an order twice).
    const auto orders = s.proxy.requests(kNewOrder);
    REQUIRE(orders.size() == 1);
    CHECK(orders[0].injected);
    const qint64 waited = orders[0].at.msecsTo(done);
    CHECK(waited >= kTimeoutSeconds * 1000 - 100);
    CHECK(waited < kTimeoutSeconds * 1000 + 2000);

    // The CA answers again: so does the service, on a fresh connection.
    s.proxy.clearFaults();
    s.issue(id);
}

TEST_CASE("faults: polling waits as long as the CA's Retry-After asks", "[e2e][acme][faults]") {
    FaultSetup s;
    // The first poll after the challenge was answered (the authorization's first read is let
    // through) says "pending, ask again in 2 s"; so does the answer to finalize ("processing").
    AcmeFault pendingAuthz;
    pendingAuthz.kind = AcmeFault::Kind::StillPending;
    pendingAuthz.target = kAuthorization;
    pendingAuthz.skip = 1;
    pendingAuthz.retryAfterSeconds = 2;
    s.proxy.addFault(pendingAuthz);
    AcmeFault processing = pendingAuthz;
    processing.target = kFinalize;
    processing.skip = 0;
    s.proxy.addFault(processing);

    s.issue(s.createItem({QStringLiteral("poll.example.test")}));
    const auto authz = s.actedOn(kAuthorization);
    REQUIRE(authz.size() >= 3); // read, the poll said pending, the poll after it
    CHECK_FALSE(authz[0].injected);
    CHECK(authz[1].injected);
    CHECK(authz[1].at.msecsTo(authz[2].at) >= 1900);
    CHECK(authz[1].at.msecsTo(authz[2].at) < 4000);

    const auto finalize = s.actedOn(kFinalize);
    const auto order = s.actedOn(kOrder);
    REQUIRE(finalize.size() == 1);
    REQUIRE_FALSE(order.isEmpty());
    CHECK(finalize[0].injected);
    CHECK(finalize[0].at.msecsTo(order[0].at) >= 1900);
    CHECK(finalize[0].at.msecsTo(order[0].at) < 4000);
}
