#pragma once
// Google Cloud DNS (https://cloud.google.com/dns/docs/reference/rest/v1), with a service
// account's JSON key exchanged for an OAuth token (dnsapi/GoogleServiceAccount.h):
//   POST {token_uri}                                           grant type jwt-bearer
//   GET  {api}/projects/{project}/managedZones                 the zones (public ones are used)
//   GET  {api}/projects/{project}/managedZones/{zone}/rrsets?name=..&type=TXT
//   POST {api}/projects/{project}/managedZones/{zone}/changes  deletions + additions, atomic
//   GET  {api}/projects/{project}/managedZones/{zone}/changes/{id}   until "done"
// A record set is written whole: one change deletes it as read and adds it with the value added
// or removed; Cloud DNS refuses it (412 conditionNotMet, 409 alreadyExists) when the set
// changed meanwhile, and it is read again.

#include "dnsapi/GoogleServiceAccount.h"
#include "dnsapi/HttpDnsProvider.h"

#include <memory>

namespace ck::dnsapi {

struct GoogleCloudDnsSettings {
    QByteArray serviceAccountKey; // the JSON key file's text; a secret
    QString projectId;            // empty: the key's project_id
    QString apiUrl;               // empty: https://dns.googleapis.com/dns/v1
    int ttl = 60;
    std::chrono::seconds doneTimeout{300}; // waiting for a change to be "done"
};

// Throws InvalidInputError naming the field when the settings cannot work.
std::unique_ptr<HttpDnsProvider> makeGoogleCloudDnsProvider(process::ProcessRunner& runner,
                                                            GoogleCloudDnsSettings settings,
                                                            HttpDnsOptions options);

} // namespace ck::dnsapi
