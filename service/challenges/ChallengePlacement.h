#pragma once
// Placing challenge responses for one order and removing every one of them afterwards. Each
// placement records how to undo itself, so cleanup happens even when a later step fails.

#include "base/Async.h"
#include "logging/ItemLog.h"
#include "model/ManagedCertificate.h"
#include "process/ChildProcess.h"

#include <QString>

#include <functional>
#include <memory>
#include <vector>

namespace ck::challenges {

class Http01Listener;
class TlsAlpnListener;
class DnsProvider;
struct DnsTxtRecord;
class DnsRecordJournal;
class WebrootJournal;
struct CnameChain;

// Builds the DNS provider a challenge configuration names (RFC 2136 with a stored TSIG key, a
// script, ...). Throws InvalidInputError naming the field when it cannot.
using DnsProviderFactory =
    std::function<std::unique_ptr<challenges::DnsProvider>(const ChallengeConfig&)>;

// What answers challenges: the two built-in listeners and the DNS providers.
struct ChallengeResponders {
    challenges::Http01Listener& http01;
    challenges::TlsAlpnListener& tlsAlpn;
    DnsProviderFactory dnsProviders;
    QString dataDir; // the service's data directory: no challenge file may be written into it
    process::ProcessRunner& processes; // for DNS lookups, which block
    // The resolver for CNAME lookups as set now (serviceconfig.json "dnsResolver"); empty or
    // unset: the system's.
    std::function<QString()> dnsResolver;
};

// "_acme-challenge.example.com." for "example.com" and for "*.example.com" (RFC 8555 §8.4).
QString dnsChallengeName(const QString& name);

// The CNAME chain at `name` as the service's resolver sees it (see CnameChain.h), on the
// responders' threads.
awaitable<CnameChain> followCnamesFor(const ChallengeResponders& responders, const QString& name);

// The challenge configuration for a name: the first entry whose domainMatch covers it (exact,
// "*.example.com" style, or a list separated by ';' or ','), else the first entry with an empty
// match, else the http-01 listener.
ChallengeConfig challengeConfigFor(const RequestConfig& rc, const QString& name);

class ChallengePlacement {
public:
    ChallengePlacement(ChallengeResponders& responders, logging::ItemLog& log);
    ~ChallengePlacement();

    // Puts the response for one authorization in place. Throws InvalidInputError when the
    // configuration cannot be used (webroot missing, listener port taken, no DNS credential),
    // UpstreamError when a DNS provider refuses.
    awaitable<void> place(const ChallengeConfig& config, const QString& name, const QString& token,
                          const QString& keyAuthorization);
    // Waits until every DNS record placed is visible at the zone's authoritative servers.
    awaitable<void> waitUntilVisible(std::chrono::seconds timeout);
    // Removes everything placed, newest first; failures are logged, never thrown.
    awaitable<void> removeAll();

private:
    void placeWebroot(const ChallengeConfig& config, const QString& name, const QString& token,
                      const QString& keyAuthorization);
    awaitable<void> placeDns(const ChallengeConfig& config, const QString& name,
                             const QString& keyAuthorization);
    // Where the TXT record for `name` goes: the rule's delegation, else the end of the CNAME
    // chain at "_acme-challenge.<name>", else that name itself. Says which in the log.
    awaitable<QString> dnsRecordNameFor(const ChallengeConfig& config, const QString& name);

    struct PlacedRecord;
    ChallengeResponders& m_responders;
    logging::ItemLog& m_log;
    std::vector<std::function<void()>> m_localUndo;       // files and listener entries
    std::vector<std::unique_ptr<PlacedRecord>> m_records; // DNS records, removed asynchronously
    std::unique_ptr<DnsRecordJournal> m_journal;          // the DNS records on disk, for a restart
    std::unique_ptr<WebrootJournal> m_webrootJournal;     // the webroot files on disk, likewise
};

} // namespace ck::challenges
