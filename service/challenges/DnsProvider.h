#pragma once
// Where dns-01 challenge records (RFC 8555 §8.4) are created: a TXT record
// "_acme-challenge.<name>." whose value is base64url(SHA-256(keyAuthorization)). One provider
// per way of changing a zone (RFC 2136 dynamic update, a user's script, later DNS APIs).

#include "ApiError.h"
#include "DomainError.h"
#include "base/Async.h"
#include "logging/ItemLog.h"

#include <QString>

#include <chrono>

namespace ck::challenges {

struct DnsTxtRecord {
    QString name;   // "_acme-challenge.www.example.com." (absolute)
    QString value;  // base64url(SHA-256(keyAuthorization))
    QString domain; // "www.example.com" or "*.example.com" as the user wrote it
};

class DnsProvider {
public:
    virtual ~DnsProvider() = default;

    // "RFC 2136 dynamic update (ns1.example.com:53)": names the provider in logs and errors.
    virtual QString title() const = 0;

    // Creates the record. Adds it: other TXT values at the same name are kept (a wildcard and
    // its base name share one name). Throws UpstreamError or InvalidInputError naming the
    // record and the server's answer in words a user can act on.
    virtual awaitable<void> present(const DnsTxtRecord& r) = 0;

    // Removes exactly this value. Does not throw when it is already gone.
    virtual awaitable<void> cleanup(const DnsTxtRecord& r) = 0;

    // Waits until the record is visible where the CA will look (authoritative servers),
    // polling fast at first then backing off, up to `timeout`; throws UpstreamError saying
    // which server does not show it yet.
    virtual awaitable<void> waitForPropagation(const DnsTxtRecord& r,
                                               std::chrono::seconds timeout) = 0;

    // The log of the certificate the records are for, for providers that run another program
    // and show what it said (secrets masked). Not called when there is none (clean-up at start).
    virtual void attachLog(logging::ItemLog& log) { (void)log; }
};

} // namespace ck::challenges
