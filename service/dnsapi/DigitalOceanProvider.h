#pragma once
// DigitalOcean's API v2 with a personal access token (Authorization: Bearer), as documented at
// https://docs.digitalocean.com/reference/api/api-reference/#tag/Domains and #tag/Domain-Records:
//   GET    {api}/domains?page=..&per_page=200                          the zones
//   GET    {api}/domains/{zone}/records?type=TXT&name={name}          the TXT records at a name
//   GET    {api}/domains/{zone}/records?type=NS&name={zone}           its name servers
//   POST   {api}/domains/{zone}/records                               one new TXT record
//   DELETE {api}/domains/{zone}/records/{record id}                   one record
// Every value is a record of its own, so adding never touches the others at the name.

#include "dnsapi/HttpDnsProvider.h"

#include <memory>

#include <QSet>

namespace ck::dnsapi {

struct DigitalOceanSettings {
    QString apiToken; // a secret: only ever in the Authorization header
    QString apiUrl;   // empty: https://api.digitalocean.com/v2
    int ttl = 30;     // DigitalOcean's lowest
};

// Throws InvalidInputError naming the field when the settings cannot work.
std::unique_ptr<HttpDnsProvider> makeDigitalOceanProvider(process::ProcessRunner& runner,
                                                          DigitalOceanSettings settings,
                                                          HttpDnsOptions options);

} // namespace ck::dnsapi
