#include "dnsapi/LexiconProvider.h"

#include "dnsapi/HttpDnsProvider.h"
#include "logging/ItemLog.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>

namespace ck::dnsapi {

namespace {
using namespace std::chrono_literals;
using challenges::DnsTxtRecord;
namespace dns = challenges::dns;

constexpr auto kQueryTimeout = 3s;
constexpr int kLoggedLines = 20;

InvalidInputError unusable(const QString& detail) {
    return InvalidInputError(detail, QStringLiteral("requestConfig.challenges"));
}

// One change at a time per record name at one provider, for every provider object of this
// service: lexicon's providers often read the record set and write it back whole, and a
// wildcard and its base name share one name.
struct NameLock {
    QString key;
    static QSet<QString>& held() {
        static QSet<QString> names; // network thread only
        return names;
    }
    ~NameLock() { held().remove(key); }
};

awaitable<std::unique_ptr<NameLock>> lockName(QString key) {
    while (NameLock::held().contains(key))
        co_await sleepFor(50ms);
    NameLock::held().insert(key);
    auto lock = std::make_unique<NameLock>();
    lock->key = std::move(key);
    co_return lock;
}

// The first name server of /etc/resolv.conf: the system's resolver, asked with recursion on
// when no server is named (lexicon's hosts are public, their zones found as anyone finds them).
dns::DnsServer systemResolver() {
    QFile file(QStringLiteral("/etc/resolv.conf"));
    if (file.open(QIODevice::ReadOnly)) {
        static const QRegularExpression line(QStringLiteral("^\\s*nameserver\\s+(\\S+)"));
        while (!file.atEnd()) {
            const auto match = line.match(QString::fromUtf8(file.readLine()));
            if (match.hasMatch())
                return dns::DnsServer{match.captured(1), 53, {}};
        }
    }
    throw UpstreamError(QStringLiteral("This machine names no DNS resolver (/etc/resolv.conf), "
                                       "so the zone cannot be found: set the zone in the rule or "
                                       "the credential, or the credential's dnsServer"));
}

// SOA queries walking up from `name` through a resolver (recursion on). Blocking.
QString findZoneThroughResolver(const dns::DnsServer& resolver, const QString& name) {
    QString current = dns::absoluteName(name);
    while (current != QLatin1String(".") && !current.isEmpty()) {
        const dns::DnsAnswer a =
            dns::query(resolver, current, dns::RecordType::SOA, kQueryTimeout, true);
        if (!a.ok())
            throw UpstreamError(
                QStringLiteral("Could not find the DNS zone of %1: %2").arg(name, a.error));
        if (!a.values(current, dns::RecordType::SOA).isEmpty())
            return current;
        for (const auto& r : a.authority)
            if (r.type == dns::RecordType::SOA && dns::isInZone(current, r.owner) &&
                r.owner != QLatin1String("."))
                return r.owner;
        current = current.mid(current.indexOf(u'.') + 1);
    }
    throw UpstreamError(QStringLiteral("The resolver %1 knows no zone holding %2; set the zone in "
                                       "the rule or the credential")
                            .arg(resolver.display(), name));
}

// The zone's name servers as the resolver names them. Blocking.
QList<dns::DnsServer> nameServersThroughResolver(const dns::DnsServer& resolver,
                                                 const QString& zone) {
    const dns::DnsAnswer a = dns::query(resolver, zone, dns::RecordType::NS, kQueryTimeout, true);
    QList<dns::DnsServer> servers;
    for (const QString& ns : a.values(zone, dns::RecordType::NS))
        servers.append(dns::DnsServer{ns.chopped(1), 53, ns.chopped(1)});
    if (servers.isEmpty())
        throw UpstreamError(
            QStringLiteral("%1 gives no name servers for the zone %2 (%3); set "
                           "the credential's dnsServer to one that serves it")
                .arg(resolver.display(), zone, a.ok() ? dns::rcodeName(a.rcode) : a.error));
    return servers;
}

QString lastLineStarting(const QStringList& lines, const QString& prefix) {
    for (auto it = lines.crbegin(); it != lines.crend(); ++it)
        if (it->startsWith(prefix))
            return *it;
    return {};
}
} // namespace

LexiconProvider::LexiconProvider(process::ProcessRunner& runner, const LiveDnsCatalogue& catalogue,
                                 LexiconSettings settings)
    : m_runner(runner), m_catalogue(catalogue), m_settings(std::move(settings)) {
    if (m_settings.timeout < 5s)
        throw InvalidInputError(QStringLiteral("The time limit must be at least 5 s"),
                                QStringLiteral("timeoutSeconds"));
    if (!m_settings.dnsServer.isEmpty() && parseDnsServer(m_settings.dnsServer).host.isEmpty())
        throw InvalidInputError(QStringLiteral("'%1' is not a DNS server: give host or host:port")
                                    .arg(m_settings.dnsServer),
                                QStringLiteral("dnsServer"));
}

QString LexiconProvider::title() const {
    const auto catalogue = m_catalogue.current();
    if (const DnsProviderType* t =
            catalogue->find(QLatin1String(kLexiconPrefix) + m_settings.provider))
        return t->title;
    return QStringLiteral("lexicon's %1 provider").arg(m_settings.provider);
}

QString LexiconProvider::masked(QString text) const {
    QStringList values;
    for (const auto& [option, value] : m_settings.options)
        if (value.size() >= 4 || (isSecretOption(option) && !value.isEmpty()))
            values << value;
    // Longest first: a value that holds another is masked whole.
    std::sort(values.begin(), values.end(),
              [](const QString& a, const QString& b) { return a.size() > b.size(); });
    for (const QString& v : values)
        text.replace(v, QStringLiteral("***"));
    return text;
}

awaitable<LexiconProvider::Answer> LexiconProvider::run(const QString& action, const QString& zone,
                                                        const QString& name, const QString& value,
                                                        const QString& what) {
    const auto catalogue = co_await settledCatalogue(m_catalogue);
    const QString id = QLatin1String(kLexiconPrefix) + m_settings.provider;
    if (!catalogue->find(id))
        throw unusable(QStringLiteral("'%1' is not a DNS provider of this service: %2")
                           .arg(id, m_catalogue.note()));
    const LexiconRuntime runtime = findLexiconRuntime(m_settings.searchPath);
    if (!runtime.ok())
        throw UpstreamError(
            QStringLiteral("%1: could not %2: %3").arg(title(), what, runtime.problem));
    QList<QPair<QString, QString>> environment;
    for (const auto& [option, v] : m_settings.options)
        environment.append({lexiconVariable(m_settings.provider, option), v});
    const process::ProcessSpec spec =
        bridgeSpec(runtime,
                   {QStringLiteral("run"), m_settings.provider, action, withoutDot(zone),
                    withoutDot(name), value},
                   std::move(environment), m_settings.timeout);
    const process::ProcessResult result = co_await m_runner.run(spec);

    QStringList lines;
    for (const QString& line : masked(QString::fromUtf8(result.output)).split(u'\n'))
        if (!line.trimmed().isEmpty())
            lines << line.trimmed();
    Answer answer;
    const QString last = lastLineStarting(lines, QStringLiteral("{"));
    answer.result = QJsonDocument::fromJson(last.toUtf8()).object();
    if (m_log) {
        int logged = 0;
        for (const QString& line : lines)
            if (line != last && logged++ < kLoggedLines)
                m_log->info(QStringLiteral("lexicon %1: %2").arg(m_settings.provider, line));
    }
    if (result.ok() && answer.result.value("ok").toBool())
        co_return answer;

    QString why = QStringLiteral("lexicon %1").arg(result.summary(spec.timeout));
    QString said = lastLineStarting(lines, QStringLiteral("error: ")).mid(7);
    if (said.isEmpty() && !result.timedOut)
        said = masked(result.tail(3)).simplified();
    if (!said.isEmpty())
        why += QStringLiteral(": ") + said;
    QString advice;
    if (result.timedOut)
        advice = QStringLiteral("check that %1's API answers from this machine (address, proxy, "
                                "firewall), or raise the rule's timeoutSeconds")
                     .arg(m_settings.provider);
    else if (!result.startError.isEmpty())
        advice = QStringLiteral("check lexicon's installation (%1)").arg(runtime.lexicon);
    else
        advice = QStringLiteral("check the credential's fields against lexicon's help for %1; "
                                "Test on the credential asks lexicon to list the zone's TXT "
                                "records without changing anything")
                     .arg(m_settings.provider);
    throw UpstreamError(QStringLiteral("%1: could not %2 in the zone %3: %4; %5")
                            .arg(title(), what, zone, why, advice));
}

awaitable<QString> LexiconProvider::zoneFor(const QString& name) {
    if (!m_settings.zone.trimmed().isEmpty()) {
        const QString zone = dns::absoluteName(m_settings.zone.trimmed());
        if (!dns::isInZone(dns::absoluteName(name), zone))
            throw unusable(QStringLiteral("The record %1 is not inside the zone %2 set for %3")
                               .arg(name, zone, title()));
        co_return zone;
    }
    if (auto known = m_zones.constFind(name); known != m_zones.constEnd())
        co_return *known;
    QString zone;
    if (!m_settings.dnsServer.isEmpty()) {
        auto find = [server = parseDnsServer(m_settings.dnsServer), name] {
            return dns::findZone(server, name, kQueryTimeout);
        };
        zone = co_await m_runner.offload(std::move(find));
    } else {
        auto find = [name] { return findZoneThroughResolver(systemResolver(), name); };
        zone = co_await m_runner.offload(std::move(find));
    }
    m_zones.insert(name, zone);
    co_return zone;
}

awaitable<void> LexiconProvider::change(const DnsTxtRecord& r, bool add) {
    const QString name = dns::absoluteName(r.name);
    // Locals, not temporaries, in co_await expressions: GCC 12 may destroy those twice.
    const QString key = m_settings.provider + u' ' + name;
    auto lock = co_await lockName(key);
    const QString zone = co_await zoneFor(name);
    const QString what = add ? QStringLiteral("add the TXT record %1").arg(name)
                             : QStringLiteral("remove the TXT record %1").arg(name);
    const QString action = add ? QStringLiteral("create") : QStringLiteral("delete");
    co_await run(action, zone, name, r.value, what);
}

awaitable<void> LexiconProvider::present(const DnsTxtRecord& r) {
    co_await change(r, true);
}

awaitable<void> LexiconProvider::cleanup(const DnsTxtRecord& r) {
    co_await change(r, false);
}

awaitable<void> LexiconProvider::waitForPropagation(const DnsTxtRecord& r,
                                                    std::chrono::seconds timeout) {
    if (m_settings.propagation.count() > 0)
        co_await sleepFor(m_settings.propagation);
    const QString name = dns::absoluteName(r.name);
    QList<dns::DnsServer> servers;
    if (!m_settings.dnsServer.isEmpty()) {
        servers.append(parseDnsServer(m_settings.dnsServer));
    } else {
        const QString zone = co_await zoneFor(name);
        auto lookup = [zone] { return nameServersThroughResolver(systemResolver(), zone); };
        servers = co_await m_runner.offload(std::move(lookup));
    }
    co_await dns::waitForTxt(m_runner, servers, name, r.value, timeout);
}

awaitable<QStringList> LexiconProvider::listTxt(const QString& zone) {
    const QString absolute = dns::absoluteName(zone);
    const QString action = QStringLiteral("list");
    const QString what = QStringLiteral("list the TXT records");
    const QString noValue;
    const Answer answer = co_await run(action, absolute, absolute, noValue, what);
    QStringList records;
    for (const auto& v : answer.result.value("records").toArray())
        records << v.toObject().value("name").toString() + u' ' +
                       v.toObject().value("content").toString();
    co_return records;
}

namespace {
LexiconSettings settingsFor(const QString& provider, const QJsonObject& values,
                            const QJsonObject& parameters) {
    LexiconSettings s;
    s.provider = provider;
    for (auto it = values.begin(); it != values.end(); ++it) {
        const QString value = it.value().toString().trimmed();
        if (it.key() == QLatin1String("zone") || it.key() == QLatin1String("dnsServer") ||
            value.isEmpty())
            continue;
        s.options.append({it.key(), value});
    }
    s.zone = parameters.value("zone").toString().trimmed();
    if (s.zone.isEmpty())
        s.zone = values.value("zone").toString().trimmed();
    s.dnsServer = values.value("dnsServer").toString().trimmed();
    s.timeout =
        std::chrono::seconds(std::clamp(parameters.value("timeoutSeconds").toInt(120), 1, 3600));
    s.propagation = std::chrono::seconds(
        std::clamp(parameters.value("propagationDelaySeconds").toInt(0), 0, 3600));
    s.searchPath = qEnvironmentVariable("PATH");
    return s;
}
} // namespace

challenges::DnsProviderFactory withLexiconProviders(challenges::DnsProviderFactory next,
                                                    const LiveDnsCatalogue& catalogue,
                                                    credentials::CredentialStore& credentials,
                                                    process::ProcessRunner& runner) {
    return [next = std::move(next), &catalogue, &credentials,
            &runner](const ChallengeConfig& config) -> std::unique_ptr<challenges::DnsProvider> {
        const QString provider = lexiconProviderName(config.provider);
        if (provider.isEmpty())
            return next(config);
        const auto credential = credentials.find(config.credentialId);
        if (config.credentialId.isEmpty() || !credential)
            throw unusable(QStringLiteral("dns-01 by lexicon's %1 provider needs a stored %2 "
                                          "credential: add one under Stored credentials and "
                                          "choose it")
                               .arg(provider, config.provider));
        if (credential->type != config.provider)
            throw unusable(QStringLiteral("The credential '%1' is a %2 credential, not a %3 one")
                               .arg(credential->title, credential->type, config.provider));
        try {
            return std::make_unique<LexiconProvider>(
                runner, catalogue,
                settingsFor(provider, credentials.values(config.credentialId), config.parameters));
        } catch (const InvalidInputError& e) {
            throw unusable(QStringLiteral("lexicon's %1 provider cannot be used as set up: %2")
                               .arg(provider, e.message()));
        }
    };
}

awaitable<CredentialTest> testLexiconCredential(StoredCredential credential,
                                                credentials::CredentialStore& credentials,
                                                process::ProcessRunner& runner,
                                                const LiveDnsCatalogue& catalogue) {
    const QString provider = lexiconProviderName(credential.type);
    const QJsonObject values = credentials.values(credential.id);
    const QString zone = values.value("zone").toString().trimmed();
    if (zone.isEmpty())
        co_return CredentialTest{
            std::nullopt,
            QStringLiteral("lexicon's providers cannot list the zones a credential sees, so this "
                           "one is tested on a zone it may change: add that zone (the field "
                           "\"zone\", e.g. example.com) to the credential '%1' and test again")
                .arg(credential.title),
            {},
            {},
            {}};
    QString error;
    QStringList records;
    std::unique_ptr<LexiconProvider> lexicon;
    try {
        lexicon =
            std::make_unique<LexiconProvider>(runner, catalogue, settingsFor(provider, values, {}));
        records = co_await lexicon->listTxt(zone);
    } catch (const DomainError& e) {
        error = e.message();
    }
    if (!error.isEmpty())
        co_return CredentialTest{
            false,
            error,
            QStringLiteral("Check the fields of the credential '%1' against lexicon's help for "
                           "%2; nothing was changed")
                .arg(credential.title, provider),
            {},
            {}};
    QStringList names;
    for (const QString& r : records)
        if (!names.contains(r.section(u' ', 0, 0)))
            names << r.section(u' ', 0, 0);
    co_return CredentialTest{
        true,
        QStringLiteral("%1 accepted the credential: lexicon lists %2 TXT record(s) in the zone "
                       "%3%4; nothing was changed.")
            .arg(lexicon->title())
            .arg(records.size())
            .arg(dns::absoluteName(zone), names.isEmpty()
                                              ? QString()
                                              : QStringLiteral(" (%1)").arg(lexicon->masked(
                                                    names.mid(0, 10).join(QStringLiteral(", "))))),
        {},
        {dns::absoluteName(zone)},
        {}};
}

} // namespace ck::dnsapi
