#include "dnsapi/PowerDnsProvider.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

namespace ck::dnsapi {

namespace {
InvalidInputError invalid(const QString& detail, const QString& field) {
    return InvalidInputError(detail, field);
}

// TXT content as PowerDNS writes it: one quoted character-string. Our values are base64url,
// so there is nothing to escape; anything else is refused before it is sent.
QString quoted(const QString& value) {
    return u'"' + value + u'"';
}

} // namespace

namespace {
class PowerDnsProvider final : public HttpDnsProvider {
public:
    PowerDnsProvider(process::ProcessRunner& runner, PowerDnsSettings settings,
                     HttpDnsOptions options);

    QString credentialScope() const override;

protected:
    QString endpoint() const override;
    awaitable<QStringList> zones() override;
    awaitable<void> addTxt(const QString& zone, const QString& name, const QString& value) override;
    awaitable<void> removeTxt(const QString& zone, const QString& name,
                              const QString& value) override;
    QList<challenges::dns::DnsServer> checkServers(const QString& zone) const override;
    QString providerText(const net::OutgoingHttpResult& answer) const override;

private:
    struct TxtSet {
        int ttl = 0;
        QList<QPair<QString, bool>> records; // content as PowerDNS holds it ("\"v\""), disabled
        bool holds(const QString& value) const;
    };
    net::OutgoingHttp request(const QString& method, const QString& path) const;
    QString zonePath(const QString& zone) const;
    awaitable<TxtSet> readTxt(const QString& zone, const QString& name, const QString& action);
    awaitable<void> writeTxt(const QString& zone, const QString& name, const TxtSet& set,
                             const QString& action);

    PowerDnsSettings m_settings;
    QUrl m_api;
    QHash<QString, QString> m_zoneIds; // zone name -> id in the API's paths
};
} // namespace

bool PowerDnsProvider::TxtSet::holds(const QString& value) const {
    return std::any_of(records.begin(), records.end(),
                       [&](const auto& r) { return unquotedTxt(r.first) == value; });
}

PowerDnsProvider::PowerDnsProvider(process::ProcessRunner& runner, PowerDnsSettings settings,
                                   HttpDnsOptions options)
    : HttpDnsProvider(runner, *findDnsProviderType(QStringLiteral("powerdns")), std::move(options)),
      m_settings(std::move(settings)) {
    QString url = m_settings.apiUrl.trimmed();
    while (url.endsWith(u'/'))
        url.chop(1);
    if (url.endsWith(QLatin1String("/api/v1")))
        url.chop(7);
    m_api = QUrl(url, QUrl::StrictMode);
    if (!m_api.isValid() || m_api.host().isEmpty() ||
        (m_api.scheme() != QLatin1String("http") && m_api.scheme() != QLatin1String("https")) ||
        !m_api.userInfo().isEmpty() || m_api.hasQuery() || m_api.hasFragment())
        throw invalid(QStringLiteral("The PowerDNS API address must be like "
                                     "http://ns1.example.com:8081, not '%1'")
                          .arg(m_settings.apiUrl),
                      QStringLiteral("apiUrl"));
    if (m_settings.apiKey.isEmpty())
        throw invalid(QStringLiteral("The PowerDNS API key is missing"), QStringLiteral("apiKey"));
    if (m_settings.apiKey.contains(u'\r') || m_settings.apiKey.contains(u'\n'))
        throw invalid(QStringLiteral("The PowerDNS API key cannot hold a line break"),
                      QStringLiteral("apiKey"));
    if (const auto servers = checkServers({});
        servers.first().host.isEmpty() || servers.first().port < 1 || servers.first().port > 65535)
        throw invalid(QStringLiteral("The DNS server to check must be a host or host:port, not "
                                     "'%1'")
                          .arg(m_settings.dnsServer),
                      QStringLiteral("dnsServer"));
    checkCommonOptions(this->options());
    m_settings.serverId = m_settings.serverId.trimmed();
    if (m_settings.serverId.isEmpty())
        m_settings.serverId = QStringLiteral("localhost");
}

QString PowerDnsProvider::endpoint() const {
    return m_api.toString(QUrl::RemovePath | QUrl::RemoveUserInfo);
}

QString PowerDnsProvider::credentialScope() const {
    return QStringLiteral("A PowerDNS API key may read and change every zone of the server "
                          "'%1'; PowerDNS has no narrower key.")
        .arg(m_settings.serverId);
}

net::OutgoingHttp PowerDnsProvider::request(const QString& method, const QString& path) const {
    QUrl url = m_api;
    url.setPath(m_api.path() + QStringLiteral("/api/v1/servers/") +
                QString::fromLatin1(QUrl::toPercentEncoding(m_settings.serverId)) + path);
    return jsonRequest(method, url.toString(QUrl::FullyEncoded), "X-API-Key",
                       m_settings.apiKey.toUtf8());
}

QString PowerDnsProvider::zonePath(const QString& zone) const {
    const QString id = m_zoneIds.value(zone, zone);
    return QStringLiteral("/zones/") + QString::fromLatin1(QUrl::toPercentEncoding(id));
}

QString PowerDnsProvider::providerText(const net::OutgoingHttpResult& answer) const {
    // {"error": "RRset ... Name is out of zone"}; a 401 is plain text "Unauthorized".
    const QJsonObject o = QJsonDocument::fromJson(answer.body).object();
    const QString error = o.value("error").toString().trimmed();
    return error.isEmpty() ? HttpDnsProvider::providerText(answer) : error.left(300);
}

awaitable<QStringList> PowerDnsProvider::zones() {
    const QString action = QStringLiteral("list the zones");
    const net::OutgoingHttpResult answer =
        co_await sendOk(request(QStringLiteral("GET"), QStringLiteral("/zones")), {}, action);
    const QJsonDocument doc = QJsonDocument::fromJson(answer.body);
    if (!doc.isArray())
        throw failure(action, {},
                      QStringLiteral("the answer is not a list of zones; is %1 the PowerDNS API?")
                          .arg(endpoint()));
    QStringList names;
    for (const QJsonValue v : doc.array()) {
        const QString name = absolute(v[QLatin1String("name")].toString());
        const QString id = v[QLatin1String("id")].toString();
        if (name.size() < 2)
            continue;
        names.append(name);
        if (!id.isEmpty())
            m_zoneIds.insert(name, id);
    }
    co_return names;
}

awaitable<PowerDnsProvider::TxtSet>
PowerDnsProvider::readTxt(const QString& zone, const QString& name, const QString& action) {
    net::OutgoingHttp get = request(QStringLiteral("GET"), zonePath(zone));
    get.url += QStringLiteral("?rrsets=true&rrset_name=%1&rrset_type=TXT")
                   .arg(QString::fromLatin1(QUrl::toPercentEncoding(name)));
    const net::OutgoingHttpResult answer = co_await sendOk(std::move(get), zone, action);
    const QJsonObject o = QJsonDocument::fromJson(answer.body).object();
    if (!o.value("rrsets").isArray())
        throw failure(action, zone, QStringLiteral("the zone's answer has no record sets"));
    TxtSet set;
    // Filtered again here: a PowerDNS before 4.5 ignores rrset_name and sends the whole zone.
    for (const QJsonValue rrset : o.value("rrsets").toArray()) {
        if (absolute(rrset[QLatin1String("name")].toString()) != name ||
            rrset[QLatin1String("type")].toString() != QLatin1String("TXT"))
            continue;
        set.ttl = rrset[QLatin1String("ttl")].toInt();
        for (const QJsonValue record : rrset[QLatin1String("records")].toArray())
            set.records.append(qMakePair(record[QLatin1String("content")].toString(),
                                         record[QLatin1String("disabled")].toBool()));
    }
    co_return set;
}

awaitable<void> PowerDnsProvider::writeTxt(const QString& zone, const QString& name,
                                           const TxtSet& set, const QString& action) {
    QJsonObject rrset{{"name", name}, {"type", "TXT"}};
    if (set.records.isEmpty()) {
        rrset.insert("changetype", "DELETE");
    } else {
        QJsonArray records;
        for (const auto& [content, disabled] : set.records)
            records.append(QJsonObject{{"content", content}, {"disabled", disabled}});
        rrset.insert("changetype", "REPLACE");
        rrset.insert("ttl", set.ttl > 0 ? set.ttl : m_settings.ttl);
        rrset.insert("records", records);
    }
    net::OutgoingHttp patch = request(QStringLiteral("PATCH"), zonePath(zone));
    setJsonBody(patch, {{"rrsets", QJsonArray{rrset}}});
    co_await sendOk(std::move(patch), zone, action);
}

awaitable<void> PowerDnsProvider::addTxt(const QString& zone, const QString& name,
                                         const QString& value) {
    const QString action = QStringLiteral("add the TXT record %1").arg(name);
    if (value.isEmpty() || value.contains(u'"') || value.contains(u'\\') || value.size() > 255)
        throw failure(action, zone, QStringLiteral("the value is not a base64url digest"));
    // Twice at most: a value another writer replaced between our read and write is written
    // again with what is there now.
    for (int attempt = 0; attempt < 2; ++attempt) {
        TxtSet set = co_await readTxt(zone, name, action);
        if (set.holds(value))
            co_return;
        set.records.append(qMakePair(quoted(value), false));
        co_await writeTxt(zone, name, set, action);
        if ((co_await readTxt(zone, name, action)).holds(value))
            co_return;
    }
    throw failure(action, zone,
                  QStringLiteral("the value was written but is not in the record set when read "
                                 "back; another program is replacing the TXT records at this "
                                 "name"));
}

awaitable<void> PowerDnsProvider::removeTxt(const QString& zone, const QString& name,
                                            const QString& value) {
    const QString action = QStringLiteral("remove the TXT record %1").arg(name);
    TxtSet set = co_await readTxt(zone, name, action);
    const auto before = set.records.size();
    set.records.removeIf([&](const auto& r) { return unquotedTxt(r.first) == value; });
    if (set.records.size() == before)
        co_return; // already gone
    co_await writeTxt(zone, name, set, action);
}

QList<challenges::dns::DnsServer> PowerDnsProvider::checkServers(const QString&) const {
    if (m_settings.dnsServer.trimmed().isEmpty())
        return {challenges::dns::DnsServer{m_api.host(), 53, {}}};
    return {parseDnsServer(m_settings.dnsServer)};
}

std::unique_ptr<HttpDnsProvider> makePowerDnsProvider(process::ProcessRunner& runner,
                                                      PowerDnsSettings settings,
                                                      HttpDnsOptions options) {
    return std::make_unique<PowerDnsProvider>(runner, std::move(settings), std::move(options));
}

} // namespace ck::dnsapi
