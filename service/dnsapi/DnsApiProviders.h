#pragma once
// The dns-01 providers with an HTTP API, by id (ChallengeConfig::provider), built from their
// stored credential, and the credential test for them.
//
//   provider "powerdns", "cloudflare", "digitalocean", ...: credentialId of a stored credential of
//   that type;
//                        parameters {"zone", "propagationDelaySeconds"}
//                        (shared/model/DnsProviderTypes).
//
// Adding one: describe it in shared/model/DnsProviderTypes.cpp, implement HttpDnsProvider in
// its own file here, and add a line to the table in DnsApiProviders.cpp.

#include "challenges/ChallengePlacement.h"
#include "credentials/CredentialStore.h"
#include "dnsapi/HttpDnsProvider.h"
#include "model/ApiResults.h"

#include <QJsonObject>

#include <chrono>
#include <memory>

namespace ck::dnsapi {

struct DnsApiLimits {
    std::chrono::seconds requestTimeout{30}; // one HTTP exchange
    std::chrono::seconds maxRetryWait{120};  // waiting out 429 answers, per exchange
};

// Whether `id` is one of the providers here.
bool isDnsApiProvider(const QString& id);

// The provider a challenge configuration names. Throws InvalidInputError when the credential is
// missing, of another type, or its values cannot work.
std::unique_ptr<HttpDnsProvider> makeHttpDnsProvider(const ChallengeConfig& config,
                                                     credentials::CredentialStore& credentials,
                                                     process::ProcessRunner& runner,
                                                     DnsApiLimits limits = {});

// `builtIn` (rfc2136, script) with the providers here in front of it.
challenges::DnsProviderFactory withDnsApiProviders(challenges::DnsProviderFactory builtIn,
                                                   credentials::CredentialStore& credentials,
                                                   process::ProcessRunner& runner,
                                                   DnsApiLimits limits = {});

// POST /api/credentials/{id}/test for a credential of one of these providers: lists the zones
// it can see, changing nothing. {"ok", "message", "advice"?, "zones"}; never a secret.
awaitable<CredentialTest> testDnsApiCredential(StoredCredential credential,
                                               credentials::CredentialStore& credentials,
                                               process::ProcessRunner& runner,
                                               DnsApiLimits limits = {});

} // namespace ck::dnsapi
