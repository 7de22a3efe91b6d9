#pragma once
// POST /api/credentials/{id}/test: what can be checked about a stored credential on its own.
// - rfc2136: a real probe through the provider dns-01 uses: a TXT record
//   "_certkeeper-test.<zone>." with a random value is added with a TSIG-signed update and
//   removed again, proving the server accepts the key for that zone and leaving nothing behind.
// - smtp-password, eab, pfx-password: nothing can be checked without the mail server, the CA or
//   a certificate; the answer says where the credential is checked instead.
// - a DNS host's API token: its zones are listed (dnsapi), nothing is changed.
// - a lexicon provider's credential: the TXT records of its zone are listed, nothing is changed.
// The answer never carries a secret.

#include "base/Async.h"
#include "credentials/CredentialStore.h"
#include "logging/Logger.h"
#include "model/ApiResults.h"
#include "model/DnsCatalogue.h"
#include "model/StoredCredential.h"
#include "process/ChildProcess.h"

namespace ck::preview {

// Throws MalformedInputError(field "zone") when an rfc2136 credential names no zone.
awaitable<CredentialTest> testStoredCredential(StoredCredential credential,
                                               credentials::CredentialStore& credentials,
                                               process::ProcessRunner& runner, logging::Logger& log,
                                               const LiveDnsCatalogue& dns);

} // namespace ck::preview
