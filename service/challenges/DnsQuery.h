#pragma once
// Asking DNS servers directly (through ldns), for dns-01 challenges: is a TXT value there yet,
// which zone holds a name, which servers are authoritative for a zone. Queries go out with
// recursion off to the server named, not through the system resolver, because the question is
// what the authoritative servers (where the CA looks) answer, not what some cache remembers.
//
// The plain functions block (ldns has no asynchronous API): call them through
// ProcessRunner::offload. waitForTxt does that itself.

#include "base/Async.h"
#include "process/ChildProcess.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <chrono>
#include <memory>

struct ldns_struct_resolver;

namespace ck::challenges::dns {

struct DnsServer {
    QString host; // an IP address or a host name
    int port = 53;
    QString label;           // how messages name it ("ns1.example.com"); empty: the host
    QString display() const; // "ns1.example.com (192.0.2.1:53)" or "192.0.2.1:53"
};

enum class RecordType { A = 1, NS = 2, CNAME = 5, SOA = 6, TXT = 16, AAAA = 28 };

struct DnsRecord {
    QString owner; // absolute, lower case: "_acme-challenge.example.com."
    RecordType type = RecordType::TXT;
    // TXT: the character-strings joined; NS, CNAME: the target; A/AAAA: the address
    QString data;
};

struct DnsAnswer {
    QString error; // why no answer could be used ("no answer from 192.0.2.1:53 within 3 s")
    int rcode = 0; // of the answer, when one came
    QList<DnsRecord> answer;
    QList<DnsRecord> authority;

    bool ok() const { return error.isEmpty(); }
    // The data of the answer records with this owner and type.
    QStringList values(const QString& owner, RecordType type) const;
    // What the server said, for messages: "NXDOMAIN", "2 other values", "no answer from ...".
    QString describeTxt(const QString& owner) const;
};

// A DNS message as received (RFC 1035 wire format) read the way query() reads its answers:
// the rcode and the answer and authority records of the types above. Bytes that are not a
// DNS message give a DnsAnswer with `error` set. Never throws.
DnsAnswer readAnswer(const QByteArray& wire);

// "NOERROR", "NOTAUTH", ... (RFC 1035 / 2136 response codes).
QString rcodeName(int rcode);
// Lower case with a trailing dot: the form every comparison here uses.
QString absoluteName(const QString& name);
// Whether `name` is `zone` or below it (both absolute).
bool isInZone(const QString& name, const QString& zone);

// The resolvers of /etc/resolv.conf, port 53, to be asked with recursion desired. Empty when
// there is none. Blocking (reads the file).
QList<DnsServer> systemResolvers();

// An ldns resolver for one server: recursion off, `tries` tries of `timeoutPerTry` each, no
// search list. A host name is resolved with the system resolver first. Throws
// UpstreamError when the host name does not resolve. Blocking.
struct ResolverDeleter {
    void operator()(ldns_struct_resolver* r) const;
};
using ResolverPtr = std::unique_ptr<ldns_struct_resolver, ResolverDeleter>;
ResolverPtr makeResolver(const DnsServer& server, std::chrono::milliseconds timeoutPerTry,
                         int tries);

// One query, recursion off unless `recursionDesired` (for asking a resolver rather than an
// authoritative server). Never throws: failures are in DnsAnswer::error. Blocking.
DnsAnswer query(const DnsServer& server, const QString& name, RecordType type,
                std::chrono::milliseconds timeout, bool recursionDesired = false);

// The zone holding `name` at this server: SOA queries walking up from `name`. Throws
// UpstreamError when the server is not authoritative for any zone above it. Blocking.
QString findZone(const DnsServer& server, const QString& name, std::chrono::milliseconds timeout);

// The zone's NS records at this server, each with an address: the server's own A/AAAA answer
// (glue) if it has one, else the system resolver's; port 53. Throws UpstreamError when
// the server gives no NS records. Blocking.
QList<DnsServer> zoneNameservers(const DnsServer& server, const QString& zone,
                                 std::chrono::milliseconds timeout);

// Polls every server until each answers `value` among the TXT values at `name` (0.25 s, then
// doubling up to 5 s between rounds), up to `timeout`. Throws UpstreamError naming the
// servers that do not show it yet and what they answered instead.
awaitable<void> waitForTxt(process::ProcessRunner& runner, const QList<DnsServer>& servers,
                           const QString& name, const QString& value, std::chrono::seconds timeout);

} // namespace ck::challenges::dns
