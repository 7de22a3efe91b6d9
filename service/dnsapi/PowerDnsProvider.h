#pragma once
// PowerDNS Authoritative through its HTTP API (api=yes in pdns.conf), X-API-Key header:
//   GET   {api}/api/v1/servers/{server}/zones                       the zones
//   GET   {api}/api/v1/servers/{server}/zones/{zone}?rrset_name=..  the TXT record set
//   PATCH {api}/api/v1/servers/{server}/zones/{zone}                REPLACE or DELETE the set
// PATCH REPLACE replaces the whole record set, so a value is added by writing back the values
// read with it added (and removed likewise); HttpDnsProvider makes changes at one name one at
// a time, and an added value is read back to be sure no other writer replaced it meanwhile.

#include "dnsapi/HttpDnsProvider.h"

#include <memory>

namespace ck::dnsapi {

struct PowerDnsSettings {
    QString apiUrl; // "http://ns1.example.com:8081" (the web server; /api/v1 is added)
    QString apiKey; // a secret: only ever in the X-API-Key header
    QString serverId = QStringLiteral("localhost");
    QString dnsServer; // "host" or "host:port" asked for propagation; empty: the API's host:53
    int ttl = 60;
};

// Throws InvalidInputError naming the field when the settings cannot work.
std::unique_ptr<HttpDnsProvider> makePowerDnsProvider(process::ProcessRunner& runner,
                                                      PowerDnsSettings settings,
                                                      HttpDnsOptions options);

} // namespace ck::dnsapi
