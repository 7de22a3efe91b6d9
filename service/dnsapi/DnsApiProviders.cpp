#include "dnsapi/DnsApiProviders.h"

#include "credentials/CredentialStore.h"
#include "dnsapi/AcmeDnsProvider.h"
#include "dnsapi/AzureDnsProvider.h"
#include "dnsapi/CloudflareProvider.h"
#include "dnsapi/DigitalOceanProvider.h"
#include "dnsapi/GoogleCloudDnsProvider.h"
#include "dnsapi/HetznerProvider.h"
#include "dnsapi/PowerDnsProvider.h"
#include "dnsapi/Route53Provider.h"
#include "model/StoredCredential.h"

#include <optional>

namespace ck::dnsapi {

namespace {
using Make = std::unique_ptr<HttpDnsProvider> (*)(process::ProcessRunner&, const QJsonObject&,
                                                  HttpDnsOptions);

// Which credential value goes into which member of a provider's settings.
template <typename Settings>
using Fields = std::initializer_list<std::pair<const char*, QString Settings::*>>;

// A provider of type P from its credential's values; a value that is absent keeps the setting's
// default.
template <typename Settings>
std::unique_ptr<HttpDnsProvider> make(
    std::unique_ptr<HttpDnsProvider> (*provider)(process::ProcessRunner&, Settings, HttpDnsOptions),
    process::ProcessRunner& runner, const QJsonObject& values, HttpDnsOptions options,
    Fields<Settings> fields, Settings s = {}) {
    for (const auto& [key, member] : fields)
        if (values.contains(QLatin1String(key)))
            s.*member = values.value(QLatin1String(key)).toString();
    return provider(runner, std::move(s), std::move(options));
}

struct Entry {
    const char* id; // as in shared/model/DnsProviderTypes.cpp
    Make make;
};
const Entry kProviders[] = {
    {"powerdns",
     [](process::ProcessRunner& r, const QJsonObject& v, HttpDnsOptions o) {
         using S = PowerDnsSettings;
         return make<S>(makePowerDnsProvider, r, v, std::move(o),
                        {{"apiUrl", &S::apiUrl},
                         {"apiKey", &S::apiKey},
                         {"serverId", &S::serverId},
                         {"dnsServer", &S::dnsServer}});
     }},
    {"cloudflare",
     [](process::ProcessRunner& r, const QJsonObject& v, HttpDnsOptions o) {
         using S = CloudflareSettings;
         return make<S>(makeCloudflareProvider, r, v, std::move(o),
                        {{"apiToken", &S::apiToken}, {"apiUrl", &S::apiUrl}});
     }},
    {"digitalocean",
     [](process::ProcessRunner& r, const QJsonObject& v, HttpDnsOptions o) {
         using S = DigitalOceanSettings;
         return make<S>(makeDigitalOceanProvider, r, v, std::move(o),
                        {{"apiToken", &S::apiToken}, {"apiUrl", &S::apiUrl}});
     }},
    {"hetzner",
     [](process::ProcessRunner& r, const QJsonObject& v, HttpDnsOptions o) {
         using S = HetznerSettings;
         return make<S>(makeHetznerProvider, r, v, std::move(o),
                        {{"apiToken", &S::apiToken}, {"apiUrl", &S::apiUrl}});
     }},
    {"acme-dns",
     [](process::ProcessRunner& r, const QJsonObject& v, HttpDnsOptions o) {
         using S = AcmeDnsSettings;
         return make<S>(makeAcmeDnsProvider, r, v, std::move(o),
                        {{"apiUrl", &S::apiUrl},
                         {"username", &S::username},
                         {"password", &S::password},
                         {"subdomain", &S::subdomain},
                         {"fulldomain", &S::fulldomain},
                         {"allowFrom", &S::allowFrom}});
     }},
    {"route53",
     [](process::ProcessRunner& r, const QJsonObject& v, HttpDnsOptions o) {
         using S = Route53Settings;
         return make<S>(makeRoute53Provider, r, v, std::move(o),
                        {{"accessKeyId", &S::accessKeyId},
                         {"secretAccessKey", &S::secretAccessKey},
                         {"sessionToken", &S::sessionToken},
                         {"apiUrl", &S::apiUrl},
                         {"region", &S::region}});
     }},
    {"azure",
     [](process::ProcessRunner& r, const QJsonObject& v, HttpDnsOptions o) {
         using S = AzureDnsSettings;
         return make<S>(makeAzureDnsProvider, r, v, std::move(o),
                        {{"tenantId", &S::tenantId},
                         {"clientId", &S::clientId},
                         {"clientSecret", &S::clientSecret},
                         {"subscriptionId", &S::subscriptionId},
                         {"resourceGroup", &S::resourceGroup},
                         {"apiUrl", &S::apiUrl},
                         {"authorityUrl", &S::authorityUrl}});
     }},
    {"googleclouddns",
     [](process::ProcessRunner& r, const QJsonObject& v, HttpDnsOptions o) {
         using S = GoogleCloudDnsSettings;
         S s; // the key file is bytes, the rest text
         s.serviceAccountKey = v.value("serviceAccountKey").toString().toUtf8();
         return make<S>(makeGoogleCloudDnsProvider, r, v, std::move(o),
                        {{"projectId", &S::projectId}, {"apiUrl", &S::apiUrl}}, std::move(s));
     }},
};

const Entry* entryFor(const QString& id) {
    for (const Entry& e : kProviders)
        if (id == QLatin1String(e.id))
            return &e;
    return nullptr;
}

InvalidInputError unusable(const QString& detail) {
    return InvalidInputError(detail, QStringLiteral("requestConfig.challenges"));
}

HttpDnsOptions optionsFor(const DnsProviderType& type, const QJsonObject& parameters,
                          DnsApiLimits limits) {
    HttpDnsOptions o;
    o.requestTimeout = limits.requestTimeout;
    o.maxRetryWait = limits.maxRetryWait;
    o.zone = parameters.value("zone").toString().trimmed();
    o.propagation = std::chrono::seconds(std::clamp(
        parameters.value("propagationDelaySeconds").toInt(type.propagationSeconds), 0, 3600));
    return o;
}

std::unique_ptr<HttpDnsProvider> build(const Entry& entry, const DnsProviderType& type,
                                       const QJsonObject& values, HttpDnsOptions options,
                                       process::ProcessRunner& runner) {
    // Every provider's credential may carry these (DnsProviderSpec.h's endpointFields).
    options.caFile = values.value("trustedRootFile").toString().trimmed();
    options.dnsServer = values.value("dnsServer").toString().trimmed();
    try {
        return entry.make(runner, values, std::move(options));
    } catch (const InvalidInputError& e) {
        // The fields are the credential's: say which credential to fix.
        throw unusable(QStringLiteral("The %1 credential cannot be used: %2")
                           .arg(type.credentialTitle, e.message()));
    }
}
} // namespace

bool isDnsApiProvider(const QString& id) {
    return entryFor(id) != nullptr;
}

std::unique_ptr<HttpDnsProvider> makeHttpDnsProvider(const ChallengeConfig& config,
                                                     credentials::CredentialStore& credentials,
                                                     process::ProcessRunner& runner,
                                                     DnsApiLimits limits) {
    const Entry* entry = entryFor(config.provider);
    const DnsProviderType* type = findDnsProviderType(config.provider);
    if (!entry || !type)
        throw unusable(QStringLiteral("'%1' is not a DNS provider").arg(config.provider));
    const auto credential = credentials.find(config.credentialId);
    if (config.credentialId.isEmpty() || !credential)
        throw unusable(QStringLiteral("dns-01 by %1 needs a stored %2 credential: add one under "
                                      "Stored credentials and choose it")
                           .arg(type->title, type->credentialTitle));
    if (credential->type != type->credentialType)
        throw unusable(QStringLiteral("The credential '%1' is a %2 credential, not a %3")
                           .arg(credential->title, credential->type, type->credentialTitle));
    return build(*entry, *type, credentials.values(config.credentialId),
                 optionsFor(*type, config.parameters, limits), runner);
}

challenges::DnsProviderFactory withDnsApiProviders(challenges::DnsProviderFactory builtIn,
                                                   credentials::CredentialStore& credentials,
                                                   process::ProcessRunner& runner,
                                                   DnsApiLimits limits) {
    return [builtIn = std::move(builtIn), &credentials, &runner,
            limits](const ChallengeConfig& config) -> std::unique_ptr<challenges::DnsProvider> {
        if (isDnsApiProvider(config.provider))
            return makeHttpDnsProvider(config, credentials, runner, limits);
        return builtIn(config);
    };
}

awaitable<CredentialTest> testDnsApiCredential(StoredCredential credential,
                                               credentials::CredentialStore& credentials,
                                               process::ProcessRunner& runner,
                                               DnsApiLimits limits) {
    const DnsProviderType* type = dnsProviderForCredential(credential.type);
    const Entry* entry = type ? entryFor(type->id) : nullptr;
    if (!entry)
        throw InvalidInputError(
            QStringLiteral("'%1' is not the credential of a DNS provider").arg(credential.type),
            QStringLiteral("type"));
    std::unique_ptr<HttpDnsProvider> provider;
    QStringList zones;
    QString error;
    std::optional<CredentialTest> answer;
    try {
        provider = build(*entry, *type, credentials.values(credential.id),
                         optionsFor(*type, {}, limits), runner);
        // acme-dns has no zones to list: its test registers the credential or asks /health.
        if (auto* acmeDns = dynamic_cast<AcmeDnsProvider*>(provider.get()))
            answer = co_await acmeDns->testCredential(credential, credentials);
        else
            zones = co_await provider->listZones();
    } catch (const DomainError& e) {
        error = e.message();
    }
    if (error.isEmpty() && answer)
        co_return *answer;
    if (!error.isEmpty())
        co_return CredentialTest{
            false,
            error,
            QStringLiteral("Check the fields of the credential '%1' against %2; nothing was "
                           "changed")
                .arg(credential.title,
                     type->credentialUrl.isEmpty() ? type->credentialHelp : type->credentialUrl),
            {},
            {}};
    if (zones.isEmpty())
        co_return CredentialTest{
            false,
            QStringLiteral("%1 accepted the credential but it sees no zone; nothing was "
                           "changed. %2")
                .arg(provider->title(), provider->credentialScope()),
            QStringLiteral("Create the zone at the provider, or give the credential access to it"),
            {},
            {}};
    const QString shown = zones.mid(0, 20).join(QStringLiteral(", ")) +
                          (zones.size() > 20 ? QStringLiteral(", ...") : QString());
    co_return CredentialTest{true,
                             QStringLiteral("%1 accepted the credential and lists %2 zone(s): %3; "
                                            "nothing was changed. %4")
                                 .arg(provider->title(), QString::number(zones.size()), shown,
                                      provider->credentialScope()),
                             {},
                             zones,
                             {}};
}

} // namespace ck::dnsapi
