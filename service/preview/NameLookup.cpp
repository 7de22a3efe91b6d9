#include "preview/NameLookup.h"

#include "challenges/DnsQuery.h"
#include "config/ServiceConfig.h"

#include <QUrl>

#include <netdb.h>
#include <sys/socket.h>

namespace ck::preview {

namespace {
namespace dns = challenges::dns;

constexpr int kNxDomain = 3;

NameAddresses fromSystem(const QString& name) {
    NameAddresses out;
    out.name = name;
    out.resolver = QStringLiteral("the system's resolver");
    const QByteArray host = QUrl::toAce(name);
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    const int rc = getaddrinfo(host.constData(), nullptr, &hints, &found);
    if (rc != 0) {
        out.problem = rc == EAI_NONAME || rc == EAI_NODATA
                          ? QStringLiteral("does not resolve (%1)")
                                .arg(QString::fromLocal8Bit(gai_strerror(rc)))
                          : QStringLiteral("could not be looked up (%1)")
                                .arg(QString::fromLocal8Bit(gai_strerror(rc)));
        return out;
    }
    QStringList v4, v6;
    for (const addrinfo* a = found; a; a = a->ai_next) {
        char text[NI_MAXHOST] = {};
        if (getnameinfo(a->ai_addr, a->ai_addrlen, text, sizeof text, nullptr, 0, NI_NUMERICHOST) !=
            0)
            continue;
        QStringList& list = a->ai_family == AF_INET6 ? v6 : v4;
        if (!list.contains(QString::fromLatin1(text)))
            list.append(QString::fromLatin1(text));
    }
    freeaddrinfo(found);
    out.addresses = v6 + v4;
    if (out.addresses.isEmpty())
        out.problem = QStringLiteral("has no A or AAAA record");
    return out;
}

NameAddresses fromResolver(const QString& name, const QString& host, int port,
                           std::chrono::milliseconds timeout) {
    NameAddresses out;
    out.name = name;
    const dns::DnsServer server{host, port, {}};
    out.resolver = server.display();
    QStringList problems;
    bool nxdomain = false;
    for (const auto type : {dns::RecordType::AAAA, dns::RecordType::A}) {
        const dns::DnsAnswer a = dns::query(server, name, type, timeout, true);
        if (!a.ok()) {
            problems.append(a.error);
            continue;
        }
        nxdomain = nxdomain || a.rcode == kNxDomain;
        if (a.rcode != 0 && a.rcode != kNxDomain)
            problems.append(QStringLiteral("the resolver answers %1").arg(dns::rcodeName(a.rcode)));
        // The whole answer section: a CNAME chain ends in records owned by its target.
        for (const auto& r : a.answer)
            if (r.type == type && !out.addresses.contains(r.data))
                out.addresses.append(r.data);
    }
    if (!out.addresses.isEmpty())
        return out;
    if (nxdomain)
        out.problem = QStringLiteral("does not exist (NXDOMAIN)");
    else if (!problems.isEmpty())
        out.problem =
            QStringLiteral("could not be looked up: %1").arg(problems.join(QStringLiteral("; ")));
    else
        out.problem = QStringLiteral("has no A or AAAA record");
    return out;
}
} // namespace

NameAddresses lookupAddresses(const QString& name, const QString& resolverSetting,
                              std::chrono::milliseconds timeout) {
    if (resolverSetting.trimmed().isEmpty())
        return fromSystem(name);
    const auto resolver = parseDnsResolver(resolverSetting);
    if (!resolver) { // the config loader refuses such a setting; kept safe anyway
        NameAddresses out;
        out.name = name;
        out.resolver = resolverSetting;
        out.problem = QStringLiteral("could not be looked up: the dnsResolver setting '%1' is "
                                     "not an address")
                          .arg(resolverSetting);
        return out;
    }
    return fromResolver(name, resolver->first, resolver->second, timeout);
}

} // namespace ck::preview
