#pragma once
// Where a name points, as Test needs to know it: the A and AAAA addresses from the resolver the
// service is told to use (serviceconfig.json "dnsResolver", asked with recursion desired), or
// from the system's resolver when none is set. Blocking: run it through ProcessRunner::offload.

#include <QString>
#include <QStringList>

#include <chrono>

namespace ck::preview {

struct NameAddresses {
    QString name;
    QStringList addresses; // IPv6 first, as CAs try them
    QString resolver;      // "the system's resolver" or "9.9.9.9:53": for messages
    // Why there are no addresses, to follow the name: "does not exist (NXDOMAIN)", "has no A or
    // AAAA record", "could not be looked up: no answer from ... within 3 s"; empty when there
    // are some.
    QString problem;
    bool ok() const { return !addresses.isEmpty(); }
};

// `resolverSetting`: empty, or "address[:port]" (see parseDnsResolver).
NameAddresses lookupAddresses(const QString& name, const QString& resolverSetting,
                              std::chrono::milliseconds timeout);

} // namespace ck::preview
