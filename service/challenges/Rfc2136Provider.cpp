#include "challenges/Rfc2136Provider.h"

#include "challenges/DnsQuery.h"
#include "process/ChildProcess.h"

#include <QRegularExpression>

#include <ldns/ldns.h>

namespace ck::challenges {
namespace {

using dns::absoluteName;

struct PktDeleter {
    void operator()(ldns_pkt* p) const { ldns_pkt_free(p); }
};
using PktPtr = std::unique_ptr<ldns_pkt, PktDeleter>;

// TSIG error codes (RFC 8945 §5.3.2) the server puts in its answer's TSIG record.
constexpr int badSig = 16;
constexpr int badKey = 17;
constexpr int badTime = 18;

InvalidInputError invalid(const QString& detail, const QString& field) {
    return InvalidInputError(detail, field);
}

// ldns knows the algorithms by their absolute names (RFC 8945 §6).
QString ldnsAlgorithm(const QString& algorithm) {
    QString a = algorithm.trimmed().toLower();
    if (a.endsWith(u'.'))
        a.chop(1);
    if (a == QLatin1String("hmac-sha256") || a == QLatin1String("hmac-sha512") ||
        a == QLatin1String("hmac-sha1"))
        return a + u'.';
    if (a == QLatin1String("hmac-md5") || a == QLatin1String("hmac-md5.sig-alg.reg.int"))
        return QStringLiteral("hmac-md5.sig-alg.reg.int.");
    return {};
}

QString keyRefused(const Rfc2136Settings& s, int tsigError) {
    QString why;
    if (tsigError == badKey)
        why = QStringLiteral("; it does not know a key of that name and algorithm");
    else if (tsigError == badSig)
        why = QStringLiteral("; the signature did not verify, so the secret is likely wrong");
    else if (tsigError == badTime)
        why = QStringLiteral("; the clocks of this machine and the server differ by more than "
                             "5 minutes");
    return QStringLiteral("the server refused the TSIG key '%1' (check the key name, algorithm "
                          "and secret)%2")
        .arg(s.tsigKeyName, why);
}

// One signed update, blocking. Adds the TXT value, or deletes exactly that value (class NONE,
// RFC 2136 §2.5.4), which the server treats as done when it is already gone.
bool sendUpdate(const Rfc2136Settings& s, const QString& zone, const DnsTxtRecord& r, bool add) {
    const dns::DnsServer server{s.server, s.port, {}};
    const QString action = add ? QStringLiteral("create") : QStringLiteral("remove");
    auto fail = [&](const QString& why) {
        return UpstreamError(QStringLiteral("Could not %1 the TXT record %2 at %3: %4")
                                 .arg(action, r.name, server.display(), why));
    };
    // Two tries: UDP answers can be lost, and re-sending the same add or delete is harmless.
    const auto perTry = std::chrono::duration_cast<std::chrono::milliseconds>(s.timeout) / 2;
    dns::ResolverPtr resolver = dns::makeResolver(server, perTry, 2);
    const QByteArray keyName = absoluteName(s.tsigKeyName).toUtf8();
    const QByteArray algorithm = ldnsAlgorithm(s.tsigAlgorithm).toUtf8();
    const QByteArray secret = s.tsigSecretBase64.trimmed().toUtf8();
    ldns_resolver_set_tsig_keyname(resolver.get(), keyName.constData());
    ldns_resolver_set_tsig_algorithm(resolver.get(), algorithm.constData());
    ldns_resolver_set_tsig_keydata(resolver.get(), secret.constData());

    ldns_rr* rr = ldns_rr_new();
    ldns_rr_set_owner(rr, ldns_dname_new_frm_str(absoluteName(r.name).toUtf8().constData()));
    ldns_rr_set_type(rr, LDNS_RR_TYPE_TXT);
    ldns_rr_set_class(rr, add ? LDNS_RR_CLASS_IN : LDNS_RR_CLASS_NONE);
    ldns_rr_set_ttl(rr, add ? static_cast<uint32_t>(s.ttl) : 0);
    ldns_rr_push_rdf(rr, ldns_rdf_new_frm_str(LDNS_RDF_TYPE_STR, r.value.toUtf8().constData()));
    ldns_rr_list* updates = ldns_rr_list_new();
    ldns_rr_list_push_rr(updates, rr);
    PktPtr packet(ldns_update_pkt_new(ldns_dname_new_frm_str(zone.toUtf8().constData()),
                                      LDNS_RR_CLASS_IN, nullptr, updates, nullptr));
    ldns_rr_list_deep_free(updates);
    if (!packet)
        throw fail(QStringLiteral("could not build the update for the zone %1").arg(zone));
    ldns_pkt_set_rd(packet.get(), false);
    ldns_pkt_set_random_id(packet.get());
    if (ldns_update_pkt_tsig_add(packet.get(), resolver.get()) != LDNS_STATUS_OK)
        throw invalid(QStringLiteral("Could not sign the update with the TSIG key '%1': check "
                                     "the algorithm and the secret")
                          .arg(s.tsigKeyName),
                      QStringLiteral("tsigSecretBase64"));

    // ldns_send rather than ldns_resolver_send_pkt: the latter drops an answer whose TSIG does
    // not verify, and a refusal of the key is exactly such an answer.
    ldns_pkt* raw = nullptr;
    const ldns_status status = ldns_send(&raw, resolver.get(), packet.get());
    PktPtr reply(raw);
    if (!reply)
        throw fail(QStringLiteral("no answer from %1 within %2 s")
                       .arg(server.display())
                       .arg(s.timeout.count()));
    const int rcode = ldns_pkt_get_rcode(reply.get());
    const ldns_rr* tsig = ldns_pkt_tsig(reply.get());
    const int tsigError =
        tsig && ldns_rr_rd_count(tsig) > 5 ? ldns_rdf2native_int16(ldns_rr_rdf(tsig, 5)) : 0;
    const bool signedByKey = status == LDNS_STATUS_OK;
    if (tsigError != 0 || (rcode == LDNS_RCODE_NOTAUTH && !signedByKey))
        throw fail(keyRefused(s, tsigError));
    switch (rcode) {
    case LDNS_RCODE_NOERROR:
        if (!signedByKey)
            throw fail(QStringLiteral("the answer is not signed with the key '%1', so it cannot "
                                      "be trusted")
                           .arg(s.tsigKeyName));
        return true;
    case LDNS_RCODE_REFUSED:
        throw fail(QStringLiteral("the server refused updates to zone %1 (allow-update or "
                                  "update-policy must allow the key '%2')")
                       .arg(zone, s.tsigKeyName));
    case LDNS_RCODE_NOTAUTH:
        throw fail(QStringLiteral("the server is not authoritative for the zone %1 (check the "
                                  "zone and the server)")
                       .arg(zone));
    case LDNS_RCODE_NOTZONE:
        throw fail(QStringLiteral("the name is not inside the zone %1").arg(zone));
    case LDNS_RCODE_NOTIMPL:
        throw fail(QStringLiteral("the server does not accept dynamic updates (NOTIMP)"));
    default:
        throw fail(
            QStringLiteral("the server answered %1; its log says why").arg(dns::rcodeName(rcode)));
    }
}

} // namespace

Rfc2136Provider::Rfc2136Provider(process::ProcessRunner& runner, Rfc2136Settings settings)
    : m_runner(runner), m_settings(std::move(settings)) {
    const Rfc2136Settings& s = m_settings;
    if (s.server.trimmed().isEmpty())
        throw invalid(QStringLiteral("Name the DNS server that accepts the updates"),
                      QStringLiteral("server"));
    if (s.port < 1 || s.port > 65535)
        throw invalid(QStringLiteral("The port must be between 1 and 65535"),
                      QStringLiteral("port"));
    if (s.tsigKeyName.trimmed().isEmpty())
        throw invalid(QStringLiteral("Name the TSIG key the server knows"),
                      QStringLiteral("tsigKeyName"));
    if (ldnsAlgorithm(s.tsigAlgorithm).isEmpty())
        throw invalid(QStringLiteral("'%1' is not a TSIG algorithm this service supports; use "
                                     "hmac-sha256, hmac-sha512, hmac-sha1 or hmac-md5")
                          .arg(s.tsigAlgorithm),
                      QStringLiteral("tsigAlgorithm"));
    auto decoded = QByteArray::fromBase64Encoding(s.tsigSecretBase64.trimmed().toLatin1(),
                                                  QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.isEmpty())
        throw invalid(QStringLiteral("The TSIG secret must be the base64 text from the key file "
                                     "(the 'secret' line)"),
                      QStringLiteral("tsigSecretBase64"));
    if (s.ttl < 0)
        throw invalid(QStringLiteral("The TTL cannot be negative"), QStringLiteral("ttl"));
    if (s.timeout.count() < 1)
        throw invalid(QStringLiteral("The timeout must be at least 1 s"),
                      QStringLiteral("timeout"));
}

QString Rfc2136Provider::title() const {
    return QStringLiteral("RFC 2136 dynamic update (%1:%2)")
        .arg(m_settings.server)
        .arg(m_settings.port);
}

awaitable<QString> Rfc2136Provider::zoneFor(const DnsTxtRecord& r) {
    if (!m_settings.zone.trimmed().isEmpty()) {
        QString zone = absoluteName(m_settings.zone);
        if (!dns::isInZone(r.name, zone))
            throw invalid(
                QStringLiteral("The record %1 is not inside the zone %2").arg(r.name, zone),
                QStringLiteral("zone"));
        co_return zone;
    }
    const QString name = absoluteName(r.name);
    if (auto known = m_zones.constFind(name); known != m_zones.constEnd())
        co_return *known;
    const dns::DnsServer server{m_settings.server, m_settings.port, {}};
    const auto timeout = std::chrono::duration_cast<std::chrono::milliseconds>(m_settings.timeout);
    auto find = [server, name, timeout] { return dns::findZone(server, name, timeout); };
    QString zone = co_await m_runner.offload(std::move(find));
    m_zones.insert(name, zone);
    co_return zone;
}

awaitable<void> Rfc2136Provider::update(const DnsTxtRecord& r, bool add) {
    // base64url values need no escaping; anything else in a TXT string would need it.
    static const QRegularExpression safe(QStringLiteral("^[A-Za-z0-9_\\-+/=.]{1,255}$"));
    if (!safe.match(r.value).hasMatch())
        throw invalid(QStringLiteral("The TXT value for %1 is not a base64url string").arg(r.name),
                      QStringLiteral("value"));
    QString zone = co_await zoneFor(r);
    auto work = [settings = m_settings, zone, r, add] {
        return sendUpdate(settings, zone, r, add);
    };
    co_await m_runner.offload(std::move(work));
}

awaitable<void> Rfc2136Provider::present(const DnsTxtRecord& r) {
    co_await update(r, true);
}

awaitable<void> Rfc2136Provider::cleanup(const DnsTxtRecord& r) {
    co_await update(r, false);
}

awaitable<void> Rfc2136Provider::waitForPropagation(const DnsTxtRecord& r,
                                                    std::chrono::seconds timeout) {
    QList<dns::DnsServer> servers{dns::DnsServer{m_settings.server, m_settings.port, {}}};
    if (m_settings.checkNameservers) {
        QString zone = co_await zoneFor(r);
        const dns::DnsServer primary = servers.first();
        const auto perQuery =
            std::chrono::duration_cast<std::chrono::milliseconds>(m_settings.timeout);
        auto lookup = [primary, zone, perQuery] {
            return dns::zoneNameservers(primary, zone, perQuery);
        };
        QList<dns::DnsServer> nameservers = co_await m_runner.offload(std::move(lookup));
        for (const auto& ns : nameservers)
            if (ns.host != primary.host || ns.port != primary.port)
                servers.append(ns);
    }
    co_await dns::waitForTxt(m_runner, servers, r.name, r.value, timeout);
}

} // namespace ck::challenges
