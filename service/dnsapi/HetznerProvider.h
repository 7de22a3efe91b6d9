#pragma once
// Hetzner DNS (the DNS Console's API) with an API token in the Auth-API-Token header, as
// documented at https://dns.hetzner.com/api-docs :
//   GET    {api}/zones?page=..&per_page=100        the zones, with their name servers
//   GET    {api}/zones?name={zone}                 one zone the user named
//   GET    {api}/records?zone_id={id}              the zone's records (TXT ones are used)
//   POST   {api}/records                           one new TXT record
//   DELETE {api}/records/{record id}               one record
// Every value is a record of its own, so adding never touches the others at the name. A token
// holds for every zone of its account; there is no narrower one.

#include "dnsapi/HttpDnsProvider.h"

#include <memory>

namespace ck::dnsapi {

struct HetznerSettings {
    QString apiToken; // a secret: only ever in the Auth-API-Token header
    QString apiUrl;   // empty: https://dns.hetzner.com/api/v1
    int ttl = 60;
};

// Throws InvalidInputError naming the field when the settings cannot work.
std::unique_ptr<HttpDnsProvider> makeHetznerProvider(process::ProcessRunner& runner,
                                                     HetznerSettings settings,
                                                     HttpDnsOptions options);

} // namespace ck::dnsapi
