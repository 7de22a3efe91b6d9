#pragma once
// Which DNS provider a dns-01 challenge configuration names, built with its stored credential:
//
//   provider "rfc2136": credentialId of a stored "rfc2136" credential (server, port, zone, TSIG
//                       key name, algorithm, secret); parameters {"zone", "checkNameservers"}
//                       may override the credential's zone and ask for every NS to be checked.
//   provider "script":  parameters {"presentCommand": [program, args...], "cleanupCommand":
//                       [...], "timeoutSeconds", "propagationDelaySeconds", "checkServer",
//                       "checkPort"}; see ScriptDnsProvider for the environment the commands get.

#include "challenges/ChallengePlacement.h"
#include "credentials/CredentialStore.h"
#include "process/ChildProcess.h"

namespace ck::challenges {

DnsProviderFactory makeDnsProviderFactory(credentials::CredentialStore& credentials,
                                          process::ProcessRunner& runner);

} // namespace ck::challenges
