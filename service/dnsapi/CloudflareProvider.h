#pragma once
// Cloudflare's API v4 with an API token (Authorization: Bearer), as documented at
// https://developers.cloudflare.com/api/ :
//   GET    {api}/zones?page=..&per_page=50                      the zones, with their name
//                                                                servers and the token's rights
//   GET    {api}/zones/{id}/dns_records?type=TXT&name={name}   the TXT records at a name
//   POST   {api}/zones/{id}/dns_records                         one new TXT record
//   DELETE {api}/zones/{id}/dns_records/{record id}             one record
// Every value is a record of its own, so adding never touches the others at the name.

#include "dnsapi/HttpDnsProvider.h"

#include <memory>

namespace ck::dnsapi {

struct CloudflareSettings {
    QString apiToken; // a secret: only ever in the Authorization header
    QString apiUrl;   // empty: https://api.cloudflare.com/client/v4
    int ttl = 60;     // Cloudflare's lowest outside Enterprise plans
};

// Throws InvalidInputError naming the field when the settings cannot work.
std::unique_ptr<HttpDnsProvider> makeCloudflareProvider(process::ProcessRunner& runner,
                                                        CloudflareSettings settings,
                                                        HttpDnsOptions options);

} // namespace ck::dnsapi
