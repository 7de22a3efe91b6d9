#pragma once
// Azure DNS through Azure Resource Manager (https://learn.microsoft.com/rest/api/dns/), with an
// app registration's client secret exchanged for a token (OAuth 2.0 client credentials,
// https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow):
//   POST {authority}/{tenant}/oauth2/v2.0/token                      the access token
//   GET  {arm}/subscriptions/{sub}[/resourceGroups/{rg}]/providers/Microsoft.Network/dnszones
//   GET|PUT|DELETE {arm}/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/
//        dnsZones/{zone}/TXT/{relative name}?api-version=2018-05-01
// A record set is written whole: a value is added or removed by writing the set read back with
// If-Match on its etag (If-None-Match: * when it is new), so a set changed meanwhile is refused
// (412) and read again instead of losing the other writer's value. The authority and Resource
// Manager addresses are settings, for the sovereign clouds (Azure US Government, China).

#include "dnsapi/HttpDnsProvider.h"

#include <memory>

namespace ck::dnsapi {

struct AzureDnsSettings {
    QString tenantId;
    QString clientId;
    QString clientSecret; // a secret: only ever in the token request's body
    QString subscriptionId;
    QString resourceGroup; // optional: only the zones of this group
    QString apiUrl;        // Resource Manager; empty: https://management.azure.com
    QString authorityUrl;  // Entra ID; empty: https://login.microsoftonline.com
    int ttl = 60;
};

// Throws InvalidInputError naming the field when the settings cannot work.
std::unique_ptr<HttpDnsProvider> makeAzureDnsProvider(process::ProcessRunner& runner,
                                                      AzureDnsSettings settings,
                                                      HttpDnsOptions options);

} // namespace ck::dnsapi
