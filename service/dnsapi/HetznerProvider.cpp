#include "dnsapi/HetznerProvider.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUrl>

namespace ck::dnsapi {

namespace {
const QString kTokensPage = QStringLiteral("https://dns.hetzner.com/settings/api-token");
} // namespace

namespace {
class HetznerProvider final : public HttpDnsProvider {
public:
    HetznerProvider(process::ProcessRunner& runner, HetznerSettings settings,
                    HttpDnsOptions options);

    QString credentialScope() const override;

protected:
    QString endpoint() const override;
    awaitable<QStringList> zones() override;
    awaitable<void> addTxt(const QString& zone, const QString& name, const QString& value) override;
    awaitable<void> removeTxt(const QString& zone, const QString& name,
                              const QString& value) override;
    QString providerText(const net::OutgoingHttpResult& answer) const override;
    QString adviceFor(const net::OutgoingHttpResult& answer, const QString& zone) const override;

private:
    struct Record {
        QString id;
        QString value;
    };
    net::OutgoingHttp request(const QString& method, const QString& path) const;
    void remember(const QJsonObject& zone);
    awaitable<QString> zoneId(const QString& zone, const QString& action);
    awaitable<QList<Record>> readTxt(const QString& zone, const QString& name,
                                     const QString& action);

    HetznerSettings m_settings;
    QUrl m_api;
    QHash<QString, QString> m_zoneIds; // zone name -> id
};
} // namespace

HetznerProvider::HetznerProvider(process::ProcessRunner& runner, HetznerSettings settings,
                                 HttpDnsOptions options)
    : HttpDnsProvider(runner, *findDnsProviderType(QStringLiteral("hetzner")), std::move(options)),
      m_settings(std::move(settings)) {
    m_api = apiBaseUrl(m_settings.apiUrl, QStringLiteral("https://dns.hetzner.com/api/v1"),
                       QStringLiteral("apiUrl"));
    m_settings.apiToken =
        headerToken(m_settings.apiToken, QStringLiteral("The Hetzner DNS API token"),
                    QStringLiteral("apiToken"));
    checkCommonOptions(this->options());
}

QString HetznerProvider::endpoint() const {
    return m_api.toString();
}

QString HetznerProvider::credentialScope() const {
    return QStringLiteral("A Hetzner DNS API token may read and change every zone of its account; "
                          "Hetzner has no narrower token.");
}

QString HetznerProvider::providerText(const net::OutgoingHttpResult& answer) const {
    // {"error": {"message": "zone not found", "code": 404}}, or from the gateway
    // {"message": "Invalid authentication credentials"}.
    const QJsonObject o = QJsonDocument::fromJson(answer.body).object();
    QString text = o.value("error").toObject().value("message").toString().trimmed();
    if (text.isEmpty())
        text = o.value("message").toString().trimmed();
    return text.isEmpty() ? HttpDnsProvider::providerText(answer) : text.left(300);
}

QString HetznerProvider::adviceFor(const net::OutgoingHttpResult& answer,
                                   const QString& zone) const {
    if (answer.status == 401 || answer.status == 403)
        return QStringLiteral("; Hetzner did not accept the token: check the API token in the "
                              "stored credential at ") +
               kTokensPage;
    if (answer.status == 404 && !zone.isEmpty())
        return QStringLiteral("; the token's account has no zone %1: check the zone's name, or "
                              "use a token of the account that holds it (a Hetzner token holds "
                              "for every zone of one account)")
            .arg(withoutDot(zone));
    return HttpDnsProvider::adviceFor(answer, zone);
}

net::OutgoingHttp HetznerProvider::request(const QString& method, const QString& path) const {
    return jsonRequest(method, m_api.toString() + path, "Auth-API-Token",
                       m_settings.apiToken.toUtf8());
}

void HetznerProvider::remember(const QJsonObject& z) {
    const QString name = absolute(z.value("name").toString());
    m_zoneIds.insert(name, z.value("id").toString());
    QStringList servers;
    for (const QJsonValue ns : z.value("ns").toArray())
        servers.append(ns.toString());
    rememberNameServers(name, servers);
}

awaitable<QStringList> HetznerProvider::zones() {
    const QString action = QStringLiteral("list the zones");
    QStringList names;
    for (int page = 1, last = 1; page <= last && page <= 50; ++page) {
        const net::OutgoingHttpResult answer = co_await sendOk(
            request(QStringLiteral("GET"), QStringLiteral("/zones?page=%1&per_page=100").arg(page)),
            {}, action);
        const QJsonObject o = jsonObject(answer, {}, action);
        last =
            o.value("meta").toObject().value("pagination").toObject().value("last_page").toInt(1);
        for (const QJsonValue z : o.value("zones").toArray()) {
            remember(z.toObject());
            names.append(absolute(z[QLatin1String("name")].toString()));
        }
    }
    co_return names;
}

awaitable<QString> HetznerProvider::zoneId(const QString& zone, const QString& action) {
    if (auto known = m_zoneIds.constFind(zone); known != m_zoneIds.constEnd())
        co_return *known;
    // A zone the user named: looked up by name (404 when the account has none).
    const net::OutgoingHttpResult answer = co_await sendOk(
        request(QStringLiteral("GET"), QStringLiteral("/zones?name=") + urlPart(withoutDot(zone))),
        zone, action);
    for (const QJsonValue z : jsonObject(answer, zone, action).value("zones").toArray())
        if (absolute(z[QLatin1String("name")].toString()) == zone) {
            remember(z.toObject());
            co_return m_zoneIds.value(zone);
        }
    throw failure(action, zone, QStringLiteral("Hetzner lists no such zone for this token"));
}

awaitable<QList<HetznerProvider::Record>>
HetznerProvider::readTxt(const QString& zone, const QString& name, const QString& action) {
    const QString id = co_await zoneId(zone, action);
    const net::OutgoingHttpResult answer = co_await sendOk(
        request(QStringLiteral("GET"), QStringLiteral("/records?zone_id=") + urlPart(id)), zone,
        action);
    QList<Record> records;
    const QString relative = relativeName(name, zone);
    for (const QJsonValue r : jsonObject(answer, zone, action).value("records").toArray())
        if (r[QLatin1String("type")].toString() == QLatin1String("TXT") &&
            r[QLatin1String("name")].toString().toLower() == relative)
            records.append({r[QLatin1String("id")].toString(),
                            unquotedTxt(r[QLatin1String("value")].toString())});
    co_return records;
}

awaitable<void> HetznerProvider::addTxt(const QString& zone, const QString& name,
                                        const QString& value) {
    const QString action = QStringLiteral("add the TXT record %1").arg(name);
    for (const Record& r : co_await readTxt(zone, name, action))
        if (r.value == value)
            co_return;
    const QString id = co_await zoneId(zone, action);
    net::OutgoingHttp post = request(QStringLiteral("POST"), QStringLiteral("/records"));
    setJsonBody(post, {{"zone_id", id},
                       {"type", "TXT"},
                       {"name", relativeName(name, zone)},
                       {"value", value},
                       {"ttl", m_settings.ttl}});
    co_await sendOk(std::move(post), zone, action);
}

awaitable<void> HetznerProvider::removeTxt(const QString& zone, const QString& name,
                                           const QString& value) {
    const QString action = QStringLiteral("remove the TXT record %1").arg(name);
    for (const Record& r : co_await readTxt(zone, name, action)) {
        if (r.value != value)
            continue;
        const net::OutgoingHttpResult answer = co_await send(
            request(QStringLiteral("DELETE"), QStringLiteral("/records/") + urlPart(r.id)), zone,
            action);
        if (!answer.ok() && answer.status != 404) // 404: someone removed it meanwhile
            throw refusal(answer, zone, action);
    }
}

std::unique_ptr<HttpDnsProvider> makeHetznerProvider(process::ProcessRunner& runner,
                                                     HetznerSettings settings,
                                                     HttpDnsOptions options) {
    return std::make_unique<HetznerProvider>(runner, std::move(settings), std::move(options));
}

} // namespace ck::dnsapi
