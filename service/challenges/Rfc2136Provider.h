#pragma once
// dns-01 records through RFC 2136 dynamic updates signed with TSIG (RFC 8945): BIND, Knot,
// PowerDNS and Windows DNS (with a TSIG-capable front) all accept them, so one provider covers
// every self-hosted DNS server. Packets are built, signed and checked by ldns; the blocking
// ldns calls run on the ProcessRunner's threads.
//
// Not safe for concurrent use from several threads: use one provider from one executor.

#include "challenges/DnsProvider.h"
#include "process/ChildProcess.h"

#include <QHash>
#include <QString>

#include <chrono>

namespace ck::challenges {

struct Rfc2136Settings {
    QString server; // where updates go: an IP address or a host name (the zone's primary)
    int port = 53;
    QString zone; // e.g. "example.com"; empty: found with SOA queries at the server
    QString tsigKeyName;
    QString tsigAlgorithm = QStringLiteral("hmac-sha256"); // or hmac-sha512, hmac-sha1, hmac-md5
    QString tsigSecretBase64; // a secret: never logged, never in a message
    int ttl = 60;
    // Also wait until every NS of the zone (queried on port 53) serves the record, not only
    // the server updates go to: secondaries may lag behind the primary.
    bool checkNameservers = false;
    std::chrono::seconds timeout{10}; // for one update or lookup, tries included
};

class Rfc2136Provider final : public DnsProvider {
public:
    // Throws InvalidInputError, naming the setting, when the settings cannot work (no
    // server, unknown algorithm, a secret that is not base64...).
    Rfc2136Provider(process::ProcessRunner& runner, Rfc2136Settings settings);

    QString title() const override;
    awaitable<void> present(const DnsTxtRecord& r) override;
    awaitable<void> cleanup(const DnsTxtRecord& r) override;
    awaitable<void> waitForPropagation(const DnsTxtRecord& r,
                                       std::chrono::seconds timeout) override;

    // The zone the record's updates go to ("example.com."): the setting, or the SOA walk's
    // answer, remembered per name.
    awaitable<QString> zoneFor(const DnsTxtRecord& r);

private:
    awaitable<void> update(const DnsTxtRecord& r, bool add);

    process::ProcessRunner& m_runner;
    Rfc2136Settings m_settings;
    QHash<QString, QString> m_zones; // record name -> zone found for it
};

} // namespace ck::challenges
