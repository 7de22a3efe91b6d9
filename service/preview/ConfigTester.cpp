#include "preview/ConfigTester.h"

#include "acme/AcmeProtocol.h"
#include "acme/AcmeRegistry.h"
#include "config/ServiceConfig.h"
#include "logging/ItemLog.h"
#include "model/Validation.h"
#include "preview/ChallengePlan.h"
#include "preview/NameLookup.h"
#include "preview/ServedCertificateChecks.h"
#include "process/ChildProcess.h"

#include "crypto/PrivateKey.h"

#include <QHostAddress>

#include <boost/asio/this_coro.hpp>

namespace ck::preview {

namespace {
using Severity = TestCheck::Severity;
constexpr std::chrono::milliseconds kLookupTimeout{3000};

// Runs the jobs side by side on the caller's executor and returns when every one has ended.
// Each job reports through what it was given; an exception ends only its own job.
awaitable<void> runSideBySide(std::vector<awaitable<void>> jobs) {
    auto executor = co_await asio::this_coro::executor;
    struct State {
        std::size_t left;
        asio::steady_timer allDone;
    };
    auto state = std::make_shared<State>(
        State{jobs.size(), asio::steady_timer(executor, asio::steady_timer::time_point::max())});
    for (auto& job : jobs)
        asio::co_spawn(executor, std::move(job), [state](const std::exception_ptr&) {
            if (--state->left == 0)
                state->allDone.cancel();
        });
    if (state->left == 0)
        co_return;
    ErrorCode cancelled;
    co_await state->allDone.async_wait(asio::redirect_error(use_awaitable, cancelled));
}

TestCheck namesCheck(const ManagedCertificate& item) {
    TestCheck check;
    check.key = QStringLiteral("names");
    check.title = QStringLiteral("The names are well-formed");
    const QStringList names = item.domains() + item.requestConfig.ipIdentifiers;
    QStringList problems;
    for (const auto& name : item.domains())
        if (const DomainCheck c = checkDomainName(name); !c.ok())
            problems << c.error;
    for (const auto& ip : item.requestConfig.ipIdentifiers)
        if (QHostAddress(ip.trimmed()).isNull())
            problems << QStringLiteral("'%1' is not an IP address").arg(ip);
    if (names.isEmpty())
        problems << QStringLiteral("There are no names to request a certificate for");
    if (names.size() > kMaxNamesPerCertificate)
        problems << QStringLiteral("%1 names are more than the %2 a CA puts on one certificate")
                        .arg(names.size())
                        .arg(kMaxNamesPerCertificate);
    check.ok = problems.isEmpty();
    if (check.ok) {
        check.message = QStringLiteral("%1: %2").arg(
            names.size() == 1 ? QStringLiteral("1 name")
                              : QStringLiteral("%1 names").arg(names.size()),
            names.join(QStringLiteral(", ")));
    } else {
        check.message = problems.join(QStringLiteral("; "));
        check.advice = QStringLiteral("Correct the names in the certificate's Domains settings");
    }
    return check;
}

TestCheck dnsCheck(const NamePlan& plan, const NameAddresses& found) {
    const bool needed = plan.config.type != QLatin1String("dns-01");
    TestCheck check;
    check.key = QStringLiteral("dns.") + plan.name;
    check.title = QStringLiteral("%1 resolves").arg(plan.name);
    check.severity = needed ? Severity::Error : Severity::Warning;
    check.ok = found.ok();
    if (check.ok) {
        check.message =
            QStringLiteral("%1 resolves to %2, according to %3.")
                .arg(plan.name, found.addresses.join(QStringLiteral(", ")), found.resolver);
        return check;
    }
    check.message =
        QStringLiteral("%1 %2, according to %3.").arg(plan.name, found.problem, found.resolver);
    check.advice =
        needed ? QStringLiteral("Create an A record (and an AAAA record for IPv6) for %1 that "
                                "points at this server's public address: the CA connects there "
                                "to validate it")
                     .arg(plan.name)
               : QStringLiteral("dns-01 validation does not need it, but nothing will find a "
                                "server under %1 until it has an A or AAAA record")
                     .arg(plan.name);
    return check;
}

QString checkKey(const NamePlan& plan) {
    const QString& type = plan.config.type;
    if (type == QLatin1String("http-01"))
        return QStringLiteral("http01.") + plan.name;
    if (type == QLatin1String("tls-alpn-01"))
        return QStringLiteral("tlsalpn01.") + plan.name;
    if (type == QLatin1String("dns-01"))
        return QStringLiteral("dns01.") + plan.name;
    return QStringLiteral("challenge.") + plan.name;
}

TestCheck challengeCheck(const NamePlan& plan) {
    TestCheck check;
    check.key = checkKey(plan);
    check.title = QStringLiteral("%1: %2").arg(plan.name, plan.method);
    return check;
}

// A configuration problem found without trying anything: reported as this name's check.
TestCheck configurationProblem(const NamePlan& plan) {
    TestCheck check = challengeCheck(plan);
    QStringList messages, advice;
    for (const auto& f : plan.findings)
        if (!f.warning) {
            messages << f.message;
            advice << f.advice;
        }
    check.message = messages.join(QStringLiteral("; ")) + u'.';
    advice.removeDuplicates();
    check.advice = advice.join(QStringLiteral("; "));
    return check;
}

QString recordNameOf(const NamePlan& plan) {
    return plan.name.startsWith(QLatin1String("*.")) ? plan.name.mid(2) : plan.name;
}
} // namespace

ConfigTester::ConfigTester(acme::AcmeRegistry& registry, credentials::CredentialStore& credentials,
                           challenges::ChallengeResponders& responders,
                           process::ProcessRunner& runner, const ServiceConfig& config,
                           QString logsDir, logging::Logger& log)
    : m_registry(registry), m_credentials(credentials), m_responders(responders), m_runner(runner),
      m_config(config), m_logsDir(std::move(logsDir)), m_log(log) {}

awaitable<TestReport> ConfigTester::run(ManagedCertificate item) {
    logging::ItemLog log(m_logsDir, item.id, m_log);
    log.info(QStringLiteral("Test: checking the names, the challenge responses and the CA "
                            "(nothing is ordered)"));
    const PlanContext context{m_credentials, m_responders.dnsProviders, m_config,
                              m_responders.dataDir};
    const QList<NamePlan> plans = planValidation(item, context);

    // One slot per name, one for the CA, one for the server targets and one for the ssh
    // tasks, filled side by side, reported in this order.
    auto slots = std::make_shared<std::vector<QList<TestCheck>>>(plans.size() + 3);
    std::vector<awaitable<void>> jobs;
    QHash<QString, QString> dnsProbeOwners; // record + provider -> the name that probes it
    for (qsizetype i = 0; i < plans.size(); ++i) {
        QString sharedWith;
        if (plans[i].config.type == QLatin1String("dns-01")) {
            const QString probe = recordNameOf(plans[i]) + u'|' + plans[i].config.provider + u'|' +
                                  plans[i].config.credentialId;
            sharedWith = dnsProbeOwners.value(probe);
            if (sharedWith.isEmpty())
                dnsProbeOwners.insert(probe, plans[i].name);
        }
        jobs.push_back(checkName(plans[i], sharedWith, log, (*slots)[size_t(i)]));
    }
    jobs.push_back(checkCa(item, (*slots)[size_t(plans.size())]));
    jobs.push_back(checkServedCertificates(m_runner, item, (*slots)[size_t(plans.size()) + 1]));
    jobs.push_back(checkSshTasks(item, slots->back()));
    co_await runSideBySide(std::move(jobs));

    TestReport report;
    report.checks.append(namesCheck(item));
    for (const auto& checks : *slots)
        report.checks.append(checks);
    const auto passed = std::count_if(report.checks.begin(), report.checks.end(),
                                      [](const TestCheck& c) { return c.ok; });
    log.write(report.ok() ? logging::Logger::Level::Information : logging::Logger::Level::Warning,
              QStringLiteral("Test: %1 of %2 checks passed").arg(passed).arg(report.checks.size()));
    co_return report;
}

awaitable<void> ConfigTester::checkName(NamePlan plan, QString sharedRecordOwner,
                                        logging::ItemLog& log, QList<TestCheck>& out) {
    const QString& type = plan.config.type;
    NameAddresses addresses;
    addresses.name = plan.name;
    if (plan.isIp) {
        addresses.addresses = {plan.name};
    } else if (!plan.name.startsWith(QLatin1String("*."))) {
        auto lookup = [name = plan.name, resolver = m_config.dnsResolver] {
            return lookupAddresses(name, resolver, kLookupTimeout);
        };
        addresses = co_await m_runner.offload(std::move(lookup));
        out.append(dnsCheck(plan, addresses));
    }
    if (plan.hasErrors()) {
        out.append(configurationProblem(plan));
        co_return;
    }
    if (type == QLatin1String("dns-01")) {
        if (sharedRecordOwner.isEmpty()) {
            out.append(co_await checkDns01(plan));
        } else {
            TestCheck shared = challengeCheck(plan);
            shared.ok = true;
            shared.severity = Severity::Info;
            shared.message = QStringLiteral("Uses the same TXT record as %1, checked there.")
                                 .arg(sharedRecordOwner);
            out.append(shared);
        }
        co_return;
    }
    if (!addresses.ok()) {
        TestCheck unreachable = challengeCheck(plan);
        unreachable.message = QStringLiteral("Not tried: %1 %2, so neither this check nor the "
                                             "CA can reach it.")
                                  .arg(plan.name, addresses.problem);
        unreachable.advice = QStringLiteral("Fix the name's DNS records first");
        out.append(unreachable);
        co_return;
    }
    if (type == QLatin1String("http-01"))
        out.append(co_await checkHttp01(plan, addresses, log));
    else
        out.append(co_await checkTlsAlpn01(plan, addresses, log));
}

awaitable<void> ConfigTester::checkCa(ManagedCertificate item, QList<TestCheck>& out) {
    const QString caId = item.certificateAuthorityId.isEmpty()
                             ? QString::fromLatin1(kDefaultCertificateAuthority)
                             : item.certificateAuthorityId;
    const bool staging = item.useStagingMode;
    TestCheck directory;
    directory.key = QStringLiteral("ca.directory");
    TestCheck account;
    account.key = QStringLiteral("ca.account");
    account.title = QStringLiteral("The ACME account is registered with the CA");
    const auto ca = m_registry.authority(caId);
    if (!ca) {
        directory.title = QStringLiteral("The certificate authority is configured");
        directory.message =
            QStringLiteral("The certificate authority '%1' is not configured.").arg(caId);
        directory.advice = QStringLiteral("Choose another CA for this certificate, or add it "
                                          "under Settings > Certificate authorities");
        out << directory;
        co_return;
    }
    const QString url = ca->directoryFor(staging);
    directory.title = QStringLiteral("%1 answers at %2").arg(ca->title, url);

    // Reading the directory needs no account: a throwaway key signs nothing here.
    std::optional<acme::Directory> found;
    QString failure;
    try {
        const crypto::PrivateKey unused = crypto::PrivateKey::generate(crypto::KeyType::EcP256);
        acme::AcmeSession session(m_registry.clientFor(*ca), QUrl(url), unused);
        found = co_await session.directory();
    } catch (const acme::AcmeError& e) {
        failure = e.userMessage();
    } catch (const DomainError& e) {
        failure = e.message();
    }
    directory.ok = found.has_value();
    if (found) {
        QStringList offers;
        if (found->renewalInfo.isValid())
            offers << QStringLiteral("renewal information (ARI)");
        if (!found->profiles.isEmpty())
            offers << QStringLiteral("the profiles %1")
                          .arg(found->profiles.join(QStringLiteral(", ")));
        directory.message =
            QStringLiteral("%1 answered with an ACME directory%2.")
                .arg(url, offers.isEmpty() ? QString()
                                           : QStringLiteral(" offering ") +
                                                 offers.join(QStringLiteral(" and ")));
        const QString refusal =
            acme::profileRefusal(*found, item.requestConfig.acmeProfile.trimmed());
        if (!refusal.isEmpty()) {
            directory.ok = false;
            directory.message += u' ' + refusal;
            directory.advice = QStringLiteral("Choose a profile the CA offers, or none");
        }
    } else {
        directory.message = failure;
        directory.advice = QStringLiteral("Check that this machine can reach %1 (network, proxy, "
                                          "firewall) and, for a private CA, its address and "
                                          "trusted root file; if the CA has an outage, try "
                                          "again later")
                               .arg(QUrl(url).host());
    }
    out << directory;

    const auto registered = m_registry.accountFor(ca->id, staging);
    if (!registered) {
        account.message = QStringLiteral("There is no ACME account for %1%2 yet.")
                              .arg(ca->title, staging ? QStringLiteral(" (staging)") : QString());
        account.advice = QStringLiteral("Register one in Settings > ACME accounts (or "
                                        "certkeeper-cli account add --ca %1)")
                             .arg(ca->id);
        out << account;
        co_return;
    }
    if (!found) {
        account.severity = Severity::Warning;
        account.message = QStringLiteral("The account %1 is set up here; whether the CA still "
                                         "knows it could not be checked, as the CA cannot be "
                                         "reached.")
                              .arg(registered->email);
        out << account;
        co_return;
    }
    // onlyReturnExisting: the CA finds the account by its key, and creates nothing.
    QString accountUrl;
    bool unknown = false;
    failure.clear();
    try {
        const auto session = m_registry.openAccountSession(caId, staging);
        accountUrl = co_await acme::findExistingAccount(*session->session);
    } catch (const acme::AcmeError& e) {
        failure = e.userMessage();
        unknown = e.shortType() == QLatin1String("accountDoesNotExist");
    } catch (const DomainError& e) {
        failure = e.message();
    }
    account.ok = failure.isEmpty();
    if (account.ok) {
        account.message = QStringLiteral("The CA knows the account %1 and accepts its key (%2).")
                              .arg(registered->email, accountUrl);
    } else {
        account.message = failure;
        account.advice = unknown ? QStringLiteral("Register the account again in Settings > ACME "
                                                  "accounts")
                                 : QStringLiteral("Restore the account's key from a backup, or "
                                                  "register the account again");
    }
    out << account;
}

} // namespace ck::preview
