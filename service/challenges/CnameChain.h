#pragma once
// Where the TXT record of a dns-01 challenge really goes. "_acme-challenge.<name>" may be a
// CNAME (or a chain of them) into another zone, the usual way to keep a DNS admin token off a
// server: the CA follows it, so the record is placed at its end, in the zone that holds that,
// and looked for there.
//
// The chain is read from the resolver the service is told to use (serviceconfig.json
// "dnsResolver") or the system's, with recursion desired: what the public DNS says, as the CA
// sees it. Blocking: run it through ProcessRunner::offload.

#include <QString>
#include <QStringList>

#include <chrono>

namespace ck::challenges {

struct CnameChain {
    // The names followed, absolute and in lower case: the start, then each CNAME's target.
    // Only the start when it is no CNAME.
    QStringList names;
    // Why the chain could not be read to its end ("no answer from ... within 3 s", "a loop",
    // "more than 8 CNAMEs"); empty when it was.
    QString problem;
    QString resolver; // "the system's resolver" or "127.0.0.1:5353", for messages

    QString target() const { return names.isEmpty() ? QString() : names.last(); }
    bool followsCname() const { return names.size() > 1; }
    bool contains(const QString& name) const;
    // "_acme-challenge.www.example.com. → _acme-challenge.auth.example.net."
    QString display() const;
};

// `resolverSetting`: empty (the system's resolvers), or "address[:port]".
CnameChain followCnames(const QString& name, const QString& resolverSetting,
                        std::chrono::milliseconds timeout);

} // namespace ck::challenges
