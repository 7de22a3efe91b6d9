// Test's self-checks of the challenge responders: the real responder is given a random token,
// reached the way the CA reaches it, and cleaned up again.

#include "challenges/ChallengePlacement.h"
#include "challenges/DnsProvider.h"
#include "config/ServiceConfig.h"
#include "credentials/CredentialStore.h"
#include "logging/ItemLog.h"
#include "preview/ChallengePlan.h"
#include "preview/ChallengeProbe.h"
#include "preview/ConfigTester.h"
#include "preview/NameLookup.h"

#include "crypto/Random.h"

namespace ck::preview {

namespace {
using Severity = TestCheck::Severity;
constexpr std::chrono::milliseconds kProbeTimeout{5000};
constexpr std::chrono::seconds kVisibleWithin{10};

TestCheck checkFor(const NamePlan& plan, const QString& keyPrefix) {
    TestCheck check;
    check.key = keyPrefix + plan.name;
    check.title = QStringLiteral("%1: %2").arg(plan.name, plan.method);
    return check;
}

// How one address answered the http-01 fetch.
struct AddressOutcome {
    QString address;
    ProbeResult result;
    bool served = false;
};

enum class Failure { None, Unreachable, WrongAnswer, Redirect };

Failure classify(const AddressOutcome& o, const QByteArray& expected) {
    if (!o.result.connected || !o.result.error.isEmpty())
        return Failure::Unreachable;
    if (o.result.status >= 300 && o.result.status < 400)
        return Failure::Redirect;
    if (o.result.status != 200 || o.result.body.trimmed() != expected)
        return Failure::WrongAnswer;
    return Failure::None;
}

QString describe(const AddressOutcome& o, int port, const QByteArray& expected) {
    const QString where = endpointText(o.address, port);
    switch (classify(o, expected)) {
    case Failure::None:
        return QStringLiteral("%1 served it").arg(where);
    case Failure::Unreachable:
        return o.result.connected
                   ? QStringLiteral("%1 gave no HTTP answer: %2").arg(where, o.result.error)
                   : QStringLiteral("%1 could not be reached: %2").arg(where, o.result.error);
    case Failure::Redirect:
        return QStringLiteral("%1 answered HTTP %2, a redirect to %3")
            .arg(where)
            .arg(o.result.status)
            .arg(o.result.location);
    case Failure::WrongAnswer:
        return o.result.status == 200
                   ? QStringLiteral("%1 answered HTTP 200 with something other than the token")
                         .arg(where)
                   : QStringLiteral("%1 answered HTTP %2").arg(where).arg(o.result.status);
    }
    return {};
}

QString adviceFor(Failure worst, const NamePlan& plan, int port, bool webroot) {
    const QString& name = plan.name;
    switch (worst) {
    case Failure::Unreachable:
        return QStringLiteral("Make sure %1 points at this server's public address and that port "
                              "80 is open in the firewall (and forwarded to port %2 of this "
                              "machine when it is behind NAT)")
            .arg(name)
            .arg(port);
    case Failure::Redirect:
        return QStringLiteral("Serve /.well-known/acme-challenge/ over plain http without a "
                              "redirect: Let's Encrypt follows redirects to ports 80 and 443, "
                              "other CAs may not");
    case Failure::WrongAnswer:
        return webroot
                   ? QStringLiteral("The web server answering for %1 does not serve files from "
                                    "%2: set the webroot to its document root for %1, or make it "
                                    "serve /.well-known/acme-challenge/ from there")
                         .arg(name, plan.config.webrootPath)
                   : QStringLiteral("Something other than this service answers for %1 on port "
                                    "%2 (a web server, or another machine the name points at). "
                                    "Point %1 at this server, or use the webroot method with the "
                                    "document root of the web server that answers")
                         .arg(name)
                         .arg(port);
    case Failure::None:
        break;
    }
    return {};
}

// Puts the probe's response in place through the real responder; why it could not, or empty.
awaitable<QString> placeProbe(challenges::ChallengePlacement& placement, const NamePlan& plan,
                              const QString& token, const QString& keyAuthorization) {
    QString error;
    try {
        co_await placement.place(plan.config, plan.name, token, keyAuthorization);
    } catch (const DomainError& e) {
        error = e.message();
    }
    co_return error;
}

QString placementAdvice(const NamePlan& plan, int port) {
    const bool webroot =
        plan.config.provider == QLatin1String("webroot") || !plan.config.webrootPath.isEmpty();
    if (plan.config.type == QLatin1String("tls-alpn-01") || !webroot)
        return QStringLiteral("Another program (a web server?) may hold port %1: stop it, or for "
                              "http-01 use the webroot method with that server's document root")
            .arg(port);
    return QStringLiteral("Check the webroot folder and the service user's permissions on it");
}
} // namespace

awaitable<TestCheck> ConfigTester::checkHttp01(const NamePlan& plan, const NameAddresses& addresses,
                                               logging::ItemLog& log) {
    TestCheck check = checkFor(plan, QStringLiteral("http01."));
    const bool webroot =
        plan.config.provider == QLatin1String("webroot") || !plan.config.webrootPath.isEmpty();
    const int port = m_config.httpChallengeServerPort;
    const QString token = QString::fromLatin1(crypto::randomToken(32));
    const QByteArray expected = token.toLatin1() + '.' + crypto::randomToken(32);
    const QString keyAuthorization = QString::fromLatin1(expected);
    const QString path = QStringLiteral("/.well-known/acme-challenge/") + token;

    challenges::ChallengePlacement placement(m_responders, log);
    const QString placeError = co_await placeProbe(placement, plan, token, keyAuthorization);
    QList<AddressOutcome> outcomes;
    if (placeError.isEmpty()) {
        const std::chrono::milliseconds timeout = kProbeTimeout;
        for (const QString& address : addresses.addresses) {
            AddressOutcome outcome;
            outcome.address = address;
            outcome.result = co_await fetchHttp(address, port, plan.name, path, timeout);
            outcome.served = classify(outcome, expected) == Failure::None;
            outcomes.append(outcome);
        }
    }
    co_await placement.removeAll();

    if (!placeError.isEmpty()) {
        check.message =
            QStringLiteral("The response could not be put in place: %1.").arg(placeError);
        check.advice = placementAdvice(plan, port);
        co_return check;
    }
    QStringList results;
    Failure worst = Failure::None;
    qsizetype served = 0;
    for (const auto& o : outcomes) {
        results << describe(o, port, expected);
        served += o.served ? 1 : 0;
        worst = std::max(worst, classify(o, expected));
    }
    const QString url =
        QStringLiteral("http://%1%2%3")
            .arg(plan.name, port == 80 ? QString() : u':' + QString::number(port), path);
    const QString how =
        QStringLiteral("A random token was served through %1 and fetched as the "
                       "CA would, from %2: ")
            .arg(webroot ? QStringLiteral("the webroot") : QStringLiteral("the built-in listener"),
                 url);
    check.ok = served == outcomes.size();
    check.message = how + results.join(QStringLiteral("; ")) + u'.';
    if (port != 80)
        check.message += QStringLiteral(" The check used port %1 (httpChallengeServerPort); a CA "
                                        "connects to port 80.")
                             .arg(port);
    if (!check.ok) {
        // Some addresses answer: a CA may still get through, or may pick a broken one.
        if (served > 0)
            check.severity = Severity::Warning;
        check.advice = adviceFor(worst, plan, port, webroot);
        if (served > 0)
            check.advice += QStringLiteral("; a CA may use any of the name's addresses, so "
                                           "every one of them should answer");
    }
    co_return check;
}

awaitable<TestCheck> ConfigTester::checkTlsAlpn01(const NamePlan& plan,
                                                  const NameAddresses& addresses,
                                                  logging::ItemLog& log) {
    TestCheck check = checkFor(plan, QStringLiteral("tlsalpn01."));
    const int port = m_config.tlsAlpnChallengeServerPort;
    const QString keyAuthorization =
        QString::fromLatin1(crypto::randomToken(32) + '.' + crypto::randomToken(32));
    const QString token; // tls-alpn-01 responses are found by name
    challenges::ChallengePlacement placement(m_responders, log);
    const QString placeError = co_await placeProbe(placement, plan, token, keyAuthorization);
    QStringList results;
    qsizetype answered = 0;
    if (placeError.isEmpty()) {
        const std::chrono::milliseconds timeout = kProbeTimeout;
        for (const QString& address : addresses.addresses) {
            const ProbeResult r = co_await handshakeTlsAlpn(address, port, plan.name, timeout);
            const QString where = endpointText(address, port);
            if (r.alpn == QLatin1String("acme-tls/1")) {
                ++answered;
                results << QStringLiteral("%1 completed the handshake").arg(where);
            } else if (!r.error.isEmpty()) {
                results << QStringLiteral("%1: %2").arg(where, r.error);
            } else {
                results << QStringLiteral("%1 completed a handshake without acme-tls/1: another "
                                          "TLS server answers there")
                               .arg(where);
            }
        }
    }
    co_await placement.removeAll();
    if (!placeError.isEmpty()) {
        check.message = QStringLiteral("The listener could not be started: %1.").arg(placeError);
        check.advice = placementAdvice(plan, port);
        co_return check;
    }
    check.ok = answered == addresses.addresses.size();
    check.message = QStringLiteral("A TLS handshake offering acme-tls/1 for %1, as the CA makes "
                                   "it: %2.")
                        .arg(plan.name, results.join(QStringLiteral("; ")));
    if (!check.ok) {
        check.severity = answered > 0 ? Severity::Warning : Severity::Error;
        check.advice = QStringLiteral("Make sure %1 points at this server and port 443 reaches "
                                      "port %2 here; tls-alpn-01 needs that port for itself (a "
                                      "web server on 443 must be stopped or not answer there)")
                           .arg(plan.name)
                           .arg(port);
    }
    co_return check;
}

awaitable<TestCheck> ConfigTester::checkDns01(const NamePlan& plan) {
    TestCheck check = checkFor(plan, QStringLiteral("dns01."));
    if (plan.config.provider == QLatin1String("script")) {
        // Running it would change the zone through the user's own code: only its presence is
        // checked (ChallengePlan found it executable).
        check.ok = true;
        check.message = QStringLiteral("The DNS script is there and may be executed; Test does "
                                       "not run it.");
        co_return check;
    }
    std::unique_ptr<challenges::DnsProvider> provider;
    try { // planned already; the credential may have gone since
        provider = m_responders.dnsProviders(plan.config);
    } catch (const DomainError& e) {
        check.message = e.message();
        check.advice = QStringLiteral("Change the challenge for this name in the certificate's "
                                      "Authorization settings");
    }
    if (!provider)
        co_return check;
    // Where a request would place the record: the probe goes there, and a delegation whose
    // CNAME is missing fails here rather than at the CA.
    NamePlan delegation = plan;
    delegation.findings.clear();
    const QString challengeName = challenges::dnsChallengeName(plan.name);
    const challenges::CnameChain chain =
        co_await challenges::followCnamesFor(m_responders, challengeName);
    const QString target = planDelegation(delegation, chain);
    for (const Finding& f : delegation.findings)
        if (!f.warning) {
            check.message = f.message;
            check.advice = f.advice;
            co_return check;
        }
    const QString via = target == challengeName
                            ? QString()
                            : QStringLiteral(" (%1 leads there)")
                                  .arg(chain.followsCname() ? chain.display() : challengeName);
    challenges::DnsTxtRecord probe;
    probe.name = target;
    probe.value = QString::fromLatin1(crypto::randomToken(32));
    probe.domain = plan.name;
    const QString credential = [&] {
        const auto c = m_credentials.find(plan.config.credentialId);
        return c ? c->title : plan.config.credentialId;
    }();

    QString createError, visibleError, removeError;
    try {
        co_await provider->present(probe);
    } catch (const DomainError& e) {
        createError = e.message();
    }
    if (createError.isEmpty()) {
        try {
            co_await provider->waitForPropagation(probe, kVisibleWithin);
        } catch (const DomainError& e) {
            visibleError = e.message();
        }
        try {
            co_await provider->cleanup(probe);
        } catch (const DomainError& e) {
            removeError = e.message();
        }
    }
    if (!createError.isEmpty()) {
        check.message = QStringLiteral("A probe TXT record %1%2 could not be created: %3")
                            .arg(probe.name, via, createError);
        check.advice =
            plan.config.provider == QLatin1String("rfc2136")
                ? QStringLiteral("Check the key name, algorithm and secret of the stored "
                                 "credential '%1' against the DNS server's key, and that the "
                                 "server lets that key update _acme-challenge names in the zone "
                                 "(allow-update or update-policy)")
                      .arg(credential)
                : QStringLiteral("Check the stored credential '%1' (its Test in Settings › "
                                 "Credentials says which zones it sees) and that it may change "
                                 "records in the zone of %2")
                      .arg(credential, probe.name);
    } else if (!removeError.isEmpty()) {
        check.message = QStringLiteral("The probe TXT record %1 with the value %2 was created but "
                                       "could not be removed: %3")
                            .arg(probe.name, probe.value, removeError);
        check.advice = QStringLiteral("Remove that value by hand, and check that the key may "
                                      "delete records as well as add them");
    } else if (!visibleError.isEmpty()) {
        check.severity = Severity::Warning;
        check.message = QStringLiteral("The credential was accepted: a probe TXT record %1%2 "
                                       "was added and removed again, but it did not become "
                                       "visible within %3 s: %4")
                            .arg(probe.name, via)
                            .arg(kVisibleWithin.count())
                            .arg(visibleError);
        check.advice = QStringLiteral("A request waits up to 5 minutes for the record; if the "
                                      "servers are slower, check the zone's transfers to its "
                                      "secondaries");
    } else {
        check.ok = true;
        check.message = QStringLiteral("The credential was accepted: a probe TXT record %1%2 was "
                                       "added by %3, seen at the zone's servers and removed "
                                       "again; nothing is left behind.")
                            .arg(probe.name, via, provider->title());
    }
    co_return check;
}

} // namespace ck::preview
