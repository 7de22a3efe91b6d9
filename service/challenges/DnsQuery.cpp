#include "challenges/DnsQuery.h"

#include "DomainError.h"
#include "process/ChildProcess.h"

#include <boost/asio/this_coro.hpp>

#include <ldns/ldns.h>

#include <netdb.h>

#include <algorithm>
#include <cstdlib>

namespace ck::challenges::dns {
namespace {

using namespace std::chrono_literals;

struct PktDeleter {
    void operator()(ldns_pkt* p) const { ldns_pkt_free(p); }
};
using PktPtr = std::unique_ptr<ldns_pkt, PktDeleter>;

QString rdfText(const ldns_rdf* rdf) {
    char* text = ldns_rdf2str(rdf);
    QString result = QString::fromUtf8(text);
    std::free(text);
    return result;
}

// An address for ldns (it takes no host names): the system resolver's first answer (an IP
// address comes back as it is, without a lookup).
QString resolveHost(const QString& host) {
    QByteArray h = host.toUtf8();
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    addrinfo* found = nullptr;
    if (int rc = getaddrinfo(h.constData(), nullptr, &hints, &found); rc != 0 || !found)
        throw UpstreamError(QStringLiteral("the DNS server name '%1' does not resolve (%2)")
                                .arg(host, QString::fromLocal8Bit(gai_strerror(rc))));
    char text[NI_MAXHOST] = {};
    getnameinfo(found->ai_addr, found->ai_addrlen, text, sizeof text, nullptr, 0, NI_NUMERICHOST);
    freeaddrinfo(found);
    return QString::fromLatin1(text);
}

std::optional<DnsRecord> toRecord(const ldns_rr* rr) {
    DnsRecord record;
    record.owner = rdfText(ldns_rr_owner(rr)).toLower();
    record.type = static_cast<RecordType>(ldns_rr_get_type(rr));
    switch (record.type) {
    case RecordType::TXT: {
        // A long value may be split into several character-strings; the CA joins them.
        QByteArray joined;
        for (size_t i = 0; i < ldns_rr_rd_count(rr); ++i) {
            const ldns_rdf* rdf = ldns_rr_rdf(rr, i);
            const uint8_t* d = ldns_rdf_data(rdf);
            if (ldns_rdf_size(rdf) > 0)
                joined.append(reinterpret_cast<const char*>(d + 1),
                              std::min<qsizetype>(d[0], ldns_rdf_size(rdf) - 1));
        }
        record.data = QString::fromUtf8(joined);
        return record;
    }
    case RecordType::NS:
    case RecordType::CNAME:
    case RecordType::SOA:
        record.data = rdfText(ldns_rr_rdf(rr, 0)).toLower();
        return record;
    case RecordType::A:
    case RecordType::AAAA:
        record.data = rdfText(ldns_rr_rdf(rr, 0));
        return record;
    }
    return std::nullopt;
}

// One polling round of waitForTxt: the servers that do not show the value yet, and why.
struct RoundResult {
    QList<DnsServer> missing;
    QStringList problems;
};

void collect(const ldns_rr_list* list, QList<DnsRecord>& into) {
    for (size_t i = 0; list && i < ldns_rr_list_rr_count(list); ++i)
        if (auto record = toRecord(ldns_rr_list_rr(list, i)))
            into.append(*record);
}

// The records of a parsed message, as every check here reads them.
DnsAnswer answerOf(const ldns_pkt* packet) {
    DnsAnswer out;
    out.rcode = ldns_pkt_get_rcode(packet);
    collect(ldns_pkt_answer(packet), out.answer);
    collect(ldns_pkt_authority(packet), out.authority);
    return out;
}

} // namespace

DnsAnswer readAnswer(const QByteArray& wire) {
    ldns_pkt* packet = nullptr;
    const ldns_status status =
        ldns_wire2pkt(&packet, reinterpret_cast<const uint8_t*>(wire.constData()),
                      static_cast<size_t>(wire.size()));
    PktPtr owned(packet);
    if (status != LDNS_STATUS_OK || !owned) {
        DnsAnswer out;
        out.error = QStringLiteral("the answer is not a DNS message (%1)")
                        .arg(QString::fromLatin1(ldns_get_errorstr_by_id(status)));
        return out;
    }
    return answerOf(owned.get());
}

QString DnsServer::display() const {
    QString where = QStringLiteral("%1:%2").arg(host).arg(port);
    return label.isEmpty() || label == host ? where : QStringLiteral("%1 (%2)").arg(label, where);
}

QStringList DnsAnswer::values(const QString& owner, RecordType type) const {
    QStringList result;
    const QString wanted = absoluteName(owner);
    for (const auto& r : answer)
        if (r.type == type && r.owner == wanted)
            result.append(r.data);
    return result;
}

QString DnsAnswer::describeTxt(const QString& owner) const {
    if (!ok())
        return error;
    if (rcode != LDNS_RCODE_NOERROR)
        return QStringLiteral("answers %1").arg(rcodeName(rcode));
    const auto count = values(owner, RecordType::TXT).size();
    if (count == 0)
        return QStringLiteral("has no TXT record there");
    return count == 1 ? QStringLiteral("has one other value")
                      : QStringLiteral("has %1 other values").arg(count);
}

QString rcodeName(int rcode) {
    static const char* const names[] = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN",
                                        "NOTIMP",  "REFUSED", "YXDOMAIN", "YXRRSET",
                                        "NXRRSET", "NOTAUTH", "NOTZONE"};
    if (rcode >= 0 && rcode < static_cast<int>(std::size(names)))
        return QString::fromLatin1(names[rcode]);
    return QStringLiteral("RCODE %1").arg(rcode);
}

QString absoluteName(const QString& name) {
    QString n = name.trimmed().toLower();
    return n.endsWith(u'.') ? n : n + u'.';
}

bool isInZone(const QString& name, const QString& zone) {
    const QString n = absoluteName(name);
    const QString z = absoluteName(zone);
    return z == QLatin1String(".") || n == z || n.endsWith(u'.' + z);
}

void ResolverDeleter::operator()(ldns_struct_resolver* r) const {
    ldns_resolver_deep_free(r);
}

QList<DnsServer> systemResolvers() {
    ldns_resolver* system = nullptr;
    QList<DnsServer> servers;
    if (ldns_resolver_new_frm_file(&system, nullptr) != LDNS_STATUS_OK || !system)
        return servers;
    ResolverPtr owned(system);
    ldns_rdf** addresses = ldns_resolver_nameservers(system);
    for (size_t i = 0; i < ldns_resolver_nameserver_count(system); ++i) {
        DnsServer s;
        s.host = rdfText(addresses[i]);
        s.port = 53;
        servers.append(s);
    }
    return servers;
}

ResolverPtr makeResolver(const DnsServer& server, std::chrono::milliseconds timeoutPerTry,
                         int tries) {
    const QString address = resolveHost(server.host);
    ResolverPtr resolver(ldns_resolver_new());
    ldns_rdf* ns =
        ldns_rdf_new_frm_str(address.contains(u':') ? LDNS_RDF_TYPE_AAAA : LDNS_RDF_TYPE_A,
                             address.toLatin1().constData());
    ldns_resolver_push_nameserver(resolver.get(), ns); // copies the address
    ldns_rdf_deep_free(ns);
    ldns_resolver_set_port(resolver.get(), static_cast<uint16_t>(server.port));
    ldns_resolver_set_recursive(resolver.get(), false);
    ldns_resolver_set_defnames(resolver.get(), false);
    ldns_resolver_set_dnsrch(resolver.get(), false);
    ldns_resolver_set_fallback(resolver.get(), true); // TCP when the UDP answer is truncated
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(timeoutPerTry.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((timeoutPerTry.count() % 1000) * 1000);
    ldns_resolver_set_timeout(resolver.get(), tv);
    ldns_resolver_set_retry(resolver.get(), static_cast<uint8_t>(std::clamp(tries, 1, 10)));
    return resolver;
}

DnsAnswer query(const DnsServer& server, const QString& name, RecordType type,
                std::chrono::milliseconds timeout, bool recursionDesired) {
    DnsAnswer out;
    ResolverPtr resolver;
    try {
        resolver = makeResolver(server, timeout, 1);
    } catch (const DomainError& e) {
        out.error = e.message();
        return out;
    }
    ldns_rdf* qname = ldns_dname_new_frm_str(absoluteName(name).toUtf8().constData());
    if (!qname) {
        out.error = QStringLiteral("'%1' is not a valid DNS name").arg(name);
        return out;
    }
    PktPtr q(ldns_pkt_query_new(qname, static_cast<ldns_rr_type>(type), LDNS_RR_CLASS_IN,
                                recursionDesired ? LDNS_RD : 0));
    ldns_pkt_set_random_id(q.get());
    ldns_pkt* reply = nullptr;
    ldns_status status = ldns_resolver_send_pkt(&reply, resolver.get(), q.get());
    PktPtr answer(reply);
    if (status != LDNS_STATUS_OK || !answer) {
        out.error = QStringLiteral("no answer from %1 within %2 s")
                        .arg(server.display(),
                             QString::number(std::chrono::duration<double>(timeout).count()));
        return out;
    }
    return answerOf(answer.get());
}

QString findZone(const DnsServer& server, const QString& name, std::chrono::milliseconds timeout) {
    QString current = absoluteName(name);
    QString lastAnswer;
    while (current != QLatin1String(".")) {
        DnsAnswer a = query(server, current, RecordType::SOA, timeout);
        if (!a.ok())
            throw UpstreamError(
                QStringLiteral("Could not find the DNS zone of %1: %2").arg(name, a.error));
        if (a.rcode == LDNS_RCODE_NOERROR || a.rcode == LDNS_RCODE_NXDOMAIN) {
            if (!a.values(current, RecordType::SOA).isEmpty())
                return current;
            // An authoritative "no such name" or "no SOA here" carries the zone's SOA.
            for (const auto& r : a.authority)
                if (r.type == RecordType::SOA && isInZone(current, r.owner))
                    return r.owner;
        }
        lastAnswer = rcodeName(a.rcode);
        current = current.mid(current.indexOf(u'.') + 1);
        if (current.isEmpty())
            current = QStringLiteral(".");
    }
    throw UpstreamError(QStringLiteral("%1 is not authoritative for any zone containing %2 (it "
                                       "answers %3); check the server, or set the zone")
                            .arg(server.display(), name, lastAnswer));
}

QList<DnsServer> zoneNameservers(const DnsServer& server, const QString& zone,
                                 std::chrono::milliseconds timeout) {
    DnsAnswer a = query(server, zone, RecordType::NS, timeout);
    QStringList names = a.values(zone, RecordType::NS);
    if (!a.ok() || names.isEmpty())
        throw UpstreamError(
            QStringLiteral("%1 gives no NS records for the zone %2 (%3)")
                .arg(server.display(), zone, a.ok() ? rcodeName(a.rcode) : a.error));
    QList<DnsServer> result;
    for (const QString& ns : names) {
        DnsServer s;
        s.label = ns.chopped(1);
        s.host = s.label; // the system resolver's address unless the server has glue
        for (RecordType t : {RecordType::A, RecordType::AAAA}) {
            QStringList glue = query(server, ns, t, timeout).values(ns, t);
            if (!glue.isEmpty()) {
                s.host = glue.first();
                break;
            }
        }
        result.append(s);
    }
    return result;
}

awaitable<void> waitForTxt(process::ProcessRunner& runner, const QList<DnsServer>& servers,
                           const QString& name, const QString& value,
                           std::chrono::seconds timeout) {
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + timeout;
    auto executor = co_await asio::this_coro::executor;
    asio::steady_timer timer(executor);
    std::chrono::milliseconds delay = 250ms;
    QList<DnsServer> pending = servers;
    const QString owner = absoluteName(name);
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        const std::chrono::milliseconds perQuery = std::clamp<std::chrono::milliseconds>(
            left, std::chrono::milliseconds(500), std::chrono::milliseconds(2000));
        auto round = [pending, owner, value, perQuery] {
            RoundResult r;
            for (const auto& s : pending) {
                DnsAnswer a = query(s, owner, RecordType::TXT, perQuery);
                if (a.ok() && a.values(owner, RecordType::TXT).contains(value))
                    continue;
                r.missing.append(s);
                // An error names the server itself ("no answer from ... within 2 s").
                r.problems.append(
                    a.ok() ? QStringLiteral("%1 %2").arg(s.display(), a.describeTxt(owner))
                           : a.error);
            }
            return r;
        };
        RoundResult result = co_await runner.offload(std::move(round));
        if (result.missing.isEmpty())
            co_return;
        pending = result.missing;
        const auto now = Clock::now();
        if (now >= deadline)
            throw UpstreamError(QStringLiteral("The TXT record %1 with the value %2 is not visible "
                                               "after %3 s: %4")
                                    .arg(owner, value, QString::number(timeout.count()),
                                         result.problems.join(QStringLiteral("; "))));
        timer.expires_after(
            std::min(delay, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now)));
        co_await timer.async_wait(use_awaitable);
        delay = std::min<std::chrono::milliseconds>(delay * 2, std::chrono::seconds(5));
    }
}

} // namespace ck::challenges::dns
