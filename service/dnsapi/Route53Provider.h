#pragma once
// Amazon Route 53 through its REST API (https://docs.aws.amazon.com/Route53/latest/APIReference/),
// every request signed with Signature Version 4 (dnsapi/AwsSigV4.h):
//   GET  {api}/2013-04-01/hostedzone?maxitems=100[&marker=..]        ListHostedZones
//   GET  {api}/2013-04-01/hostedzonesbyname?dnsname={zone}           ListHostedZonesByName
//   GET  {api}/2013-04-01/hostedzone/{id}                            GetHostedZone (name servers)
//   GET  {api}/2013-04-01/hostedzone/{id}/rrset?name=..&type=TXT     ListResourceRecordSets
//   POST {api}/2013-04-01/hostedzone/{id}/rrset/                     ChangeResourceRecordSets
//   GET  {api}/2013-04-01/change/{id}                                GetChange, until INSYNC
// A TXT record set is written whole, so a value is added or removed with one change batch that
// DELETEs the set as read and CREATEs it with the value added or removed: Route 53 applies the
// batch atomically and refuses it when the set changed meanwhile (then it is read again).

#include "dnsapi/AwsSigV4.h"
#include "dnsapi/HttpDnsProvider.h"

#include <memory>

namespace ck::dnsapi {

struct Route53Settings {
    QString accessKeyId;
    QString secretAccessKey; // a secret: only ever an HMAC key
    QString sessionToken;    // optional, for temporary credentials
    QString apiUrl;          // empty: https://route53.amazonaws.com
    QString region;          // the signing region; empty: us-east-1 (the global endpoint's)
    int ttl = 60;
    std::chrono::seconds insyncTimeout{300}; // waiting for a change to reach every server
};

// Throws InvalidInputError naming the field when the settings cannot work.
std::unique_ptr<HttpDnsProvider> makeRoute53Provider(process::ProcessRunner& runner,
                                                     Route53Settings settings,
                                                     HttpDnsOptions options);

} // namespace ck::dnsapi
