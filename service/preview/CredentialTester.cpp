#include "preview/CredentialTester.h"

#include "challenges/DnsProvider.h"
#include "challenges/DnsProviders.h"
#include "credentials/CredentialStore.h"
#include "crypto/Random.h"
#include "dnsapi/DnsApiProviders.h"
#include "dnsapi/LexiconProvider.h"
#include "logging/Logger.h"
#include "model/ApiResults.h"
#include "model/DnsProviderTypes.h"
#include "model/ManagedCertificate.h"
#include "model/StoredCredential.h"

namespace ck::preview {

namespace {
CredentialTest untestable(const QString& message) {
    return {std::nullopt, message, {}, {}, {}};
}

CredentialTest withoutProbe(const StoredCredential& credential) {
    if (credential.type == QLatin1String("smtp-password"))
        return untestable(QStringLiteral(
            "An SMTP password can only be checked by signing in to the mail server with it: use "
            "\"Send test email\" under Settings > Notifications."));
    if (credential.type == QLatin1String("eab"))
        return untestable(QStringLiteral(
            "An External Account Binding key can only be checked by the CA that issued it: it is "
            "checked when an account is registered with it under Settings > Accounts."));
    if (credential.type == QLatin1String("pfx-password"))
        return untestable(QStringLiteral(
            "A PFX password has nothing to be checked against on its own: it is used when a "
            "certificate is exported as a PFX file, and that export shows whether it works."));
    return untestable(QStringLiteral("This service cannot test a credential of the type '%1'.")
                          .arg(credential.type));
}

QString absolute(QString zone) {
    zone = zone.trimmed();
    return zone.endsWith(u'.') ? zone : zone + u'.';
}

awaitable<CredentialTest> probeRfc2136(StoredCredential credential,
                                       credentials::CredentialStore& credentials,
                                       process::ProcessRunner& runner, logging::Logger& log) {
    const QString zone = credential.fields.value("zone").toString().trimmed();
    if (zone.isEmpty())
        throw MalformedInputError(
            QStringLiteral("Give the zone in this credential to test it, or use Test on "
                           "a certificate that uses it"),
            QStringLiteral("zone"));
    ChallengeConfig config;
    config.type = QStringLiteral("dns-01");
    config.provider = QStringLiteral("rfc2136");
    config.credentialId = credential.id;
    challenges::DnsTxtRecord probe;
    probe.name = QStringLiteral("_certkeeper-test.") + absolute(zone);
    probe.value = QString::fromLatin1(crypto::randomToken(32));
    probe.domain = zone;
    log.info(QStringLiteral("Testing credential '%1': adding and removing the TXT record %2")
                 .arg(credential.title, probe.name));

    QString createError, removeError;
    std::unique_ptr<challenges::DnsProvider> provider;
    try { // the settings may not work (a secret that is not base64...)
        provider = challenges::makeDnsProviderFactory(credentials, runner)(config);
        co_await provider->present(probe);
    } catch (const DomainError& e) {
        createError = e.message();
    }
    if (createError.isEmpty()) {
        try {
            co_await provider->cleanup(probe);
        } catch (const DomainError& e) {
            removeError = e.message();
        }
    }

    CredentialTest answer;
    if (!createError.isEmpty()) {
        answer = {false,
                  QStringLiteral("The probe TXT record %1 could not be added: %2")
                      .arg(probe.name, createError),
                  QStringLiteral("Compare the key name, algorithm and secret with the key the DNS "
                                 "server has, and check that the server lets this key update the "
                                 "zone %1 (allow-update or update-policy)")
                      .arg(zone),
                  {},
                  {}};
    } else if (!removeError.isEmpty()) {
        answer = {false,
                  QStringLiteral("The probe TXT record %1 (value %2) was added but could not be "
                                 "removed: %3")
                      .arg(probe.name, probe.value, removeError),
                  QStringLiteral("Remove that record by hand, and let the key delete records as "
                                 "well as add them"),
                  {},
                  {}};
    } else {
        answer = {true,
                  QStringLiteral("The DNS server accepted the key: the probe TXT record %1 was "
                                 "added with a signed update and removed again.")
                      .arg(probe.name),
                  {},
                  {},
                  {}};
    }
    if (*answer.ok)
        log.info(QStringLiteral("Credential '%1' works: %2").arg(credential.title, answer.message));
    else
        log.warning(QStringLiteral("Credential '%1' failed its test: %2")
                        .arg(credential.title, answer.message));
    co_return answer;
}
} // namespace

awaitable<CredentialTest> testStoredCredential(StoredCredential credential,
                                               credentials::CredentialStore& credentials,
                                               process::ProcessRunner& runner, logging::Logger& log,
                                               const LiveDnsCatalogue& dns) {
    if (!dnsapi::lexiconProviderName(credential.type).isEmpty())
        co_return co_await dnsapi::testLexiconCredential(std::move(credential), credentials, runner,
                                                         dns);
    if (dnsProviderForCredential(credential.type) &&
        dnsapi::isDnsApiProvider(dnsProviderForCredential(credential.type)->id))
        co_return co_await dnsapi::testDnsApiCredential(std::move(credential), credentials, runner);
    if (credential.type != QLatin1String("rfc2136"))
        co_return withoutProbe(credential);
    co_return co_await probeRfc2136(std::move(credential), credentials, runner, log);
}

} // namespace ck::preview
