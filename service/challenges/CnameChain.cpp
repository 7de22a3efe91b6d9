#include "challenges/CnameChain.h"

#include "challenges/DnsQuery.h"
#include "config/ServiceConfig.h"

namespace ck::challenges {

namespace {
constexpr int kMaxCnames = 8; // resolvers give up after a few more; a longer chain is a mistake
constexpr int kNxDomain = 3;

// The CNAME at `name`, empty when it has none; `problem` when no server answered usably.
QString cnameAt(const QList<dns::DnsServer>& servers, const QString& name,
                std::chrono::milliseconds timeout, QString& problem) {
    QStringList errors;
    for (const dns::DnsServer& server : servers) {
        const dns::DnsAnswer a = dns::query(server, name, dns::RecordType::CNAME, timeout, true);
        if (!a.ok()) {
            errors.append(a.error);
            continue;
        }
        if (a.rcode != 0 && a.rcode != kNxDomain) {
            errors.append(
                QStringLiteral("%1 answers %2").arg(server.display(), dns::rcodeName(a.rcode)));
            continue;
        }
        const QStringList targets = a.values(name, dns::RecordType::CNAME);
        return targets.isEmpty() ? QString() : dns::absoluteName(targets.first());
    }
    problem = errors.join(QStringLiteral("; "));
    return {};
}
} // namespace

bool CnameChain::contains(const QString& name) const {
    return names.contains(dns::absoluteName(name));
}

QString CnameChain::display() const {
    return names.join(QStringLiteral(" → "));
}

CnameChain followCnames(const QString& name, const QString& resolverSetting,
                        std::chrono::milliseconds timeout) {
    CnameChain chain;
    chain.names.append(dns::absoluteName(name));
    QList<dns::DnsServer> servers;
    if (resolverSetting.trimmed().isEmpty()) {
        servers = dns::systemResolvers();
        chain.resolver = QStringLiteral("the system's resolver");
    } else if (const auto resolver = parseDnsResolver(resolverSetting)) {
        servers.append(dns::DnsServer{resolver->first, resolver->second, {}});
        chain.resolver = servers.first().display();
    }
    if (servers.isEmpty()) {
        chain.problem = resolverSetting.trimmed().isEmpty()
                            ? QStringLiteral("no resolver is listed in /etc/resolv.conf")
                            : QStringLiteral("the dnsResolver setting '%1' is not an address")
                                  .arg(resolverSetting);
        return chain;
    }
    while (chain.problem.isEmpty()) {
        const QString next = cnameAt(servers, chain.target(), timeout, chain.problem);
        if (next.isEmpty())
            break;
        if (chain.names.contains(next))
            chain.problem = QStringLiteral("the CNAMEs form a loop at %1").arg(next);
        else if (chain.names.size() > kMaxCnames)
            chain.problem = QStringLiteral("more than %1 CNAMEs follow each other").arg(kMaxCnames);
        else
            chain.names.append(next);
    }
    return chain;
}

} // namespace ck::challenges
