#include "dnsapi/DigitalOceanProvider.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUrl>

namespace ck::dnsapi {

namespace {
const QString kTokensPage = QStringLiteral("https://cloud.digitalocean.com/account/api/tokens");
constexpr int kPageSize = 200; // DigitalOcean's largest page
} // namespace

namespace {
class DigitalOceanProvider final : public HttpDnsProvider {
public:
    DigitalOceanProvider(process::ProcessRunner& runner, DigitalOceanSettings settings,
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
        qint64 id = 0;
        QString value;
    };
    net::OutgoingHttp request(const QString& method, const QString& path) const;
    awaitable<QList<Record>> readTxt(const QString& zone, const QString& name,
                                     const QString& action);
    awaitable<void> readNameServers(const QString& zone, const QString& action);

    DigitalOceanSettings m_settings;
    QUrl m_api;
    QSet<QString> m_nameServersRead; // zones whose NS records were read
};
} // namespace

DigitalOceanProvider::DigitalOceanProvider(process::ProcessRunner& runner,
                                           DigitalOceanSettings settings, HttpDnsOptions options)
    : HttpDnsProvider(runner, *findDnsProviderType(QStringLiteral("digitalocean")),
                      std::move(options)),
      m_settings(std::move(settings)) {
    m_api = apiBaseUrl(m_settings.apiUrl, QStringLiteral("https://api.digitalocean.com/v2"),
                       QStringLiteral("apiUrl"));
    m_settings.apiToken =
        headerToken(m_settings.apiToken, QStringLiteral("The DigitalOcean API token"),
                    QStringLiteral("apiToken"));
    checkCommonOptions(this->options());
}

QString DigitalOceanProvider::endpoint() const {
    return m_api.toString();
}

QString DigitalOceanProvider::credentialScope() const {
    return QStringLiteral("A DigitalOcean token holds for every domain of its team; to change "
                          "records it needs the domain:create and domain:delete scopes (or full "
                          "write access), which only a request shows.");
}

QString DigitalOceanProvider::providerText(const net::OutgoingHttpResult& answer) const {
    // {"id": "forbidden", "message": "You are not authorized to perform this operation"}
    const QJsonObject o = QJsonDocument::fromJson(answer.body).object();
    const QString message = o.value("message").toString().trimmed();
    if (message.isEmpty())
        return HttpDnsProvider::providerText(answer);
    const QString id = o.value("id").toString();
    return (id.isEmpty() ? message : QStringLiteral("%1 (%2)").arg(message, id)).left(300);
}

QString DigitalOceanProvider::adviceFor(const net::OutgoingHttpResult& answer,
                                        const QString& zone) const {
    if (answer.status == 401)
        return QStringLiteral("; DigitalOcean did not accept the token: check the personal "
                              "access token in the stored credential at ") +
               kTokensPage;
    if (answer.status == 403)
        return QStringLiteral("; the token may not change the records of %1: make a token with "
                              "the domain:create and domain:delete scopes (or write access) at "
                              "%2")
            .arg(withoutDot(zone), kTokensPage);
    return HttpDnsProvider::adviceFor(answer, zone);
}

net::OutgoingHttp DigitalOceanProvider::request(const QString& method, const QString& path) const {
    return jsonRequest(method, m_api.toString() + path, "Authorization",
                       "Bearer " + m_settings.apiToken.toUtf8());
}

awaitable<QStringList> DigitalOceanProvider::zones() {
    const QString action = QStringLiteral("list the zones");
    QStringList names;
    for (int page = 1, pages = 1; page <= pages && page <= 50; ++page) {
        const net::OutgoingHttpResult answer = co_await sendOk(
            request(QStringLiteral("GET"),
                    QStringLiteral("/domains?page=%1&per_page=%2").arg(page).arg(kPageSize)),
            {}, action);
        const QJsonObject o = jsonObject(answer, {}, action);
        const int total = o.value("meta").toObject().value("total").toInt();
        pages = (total + kPageSize - 1) / kPageSize;
        for (const QJsonValue d : o.value("domains").toArray())
            names.append(absolute(d[QLatin1String("name")].toString()));
    }
    co_return names;
}

awaitable<QList<DigitalOceanProvider::Record>>
DigitalOceanProvider::readTxt(const QString& zone, const QString& name, const QString& action) {
    // The name filter takes the full name; the records carry it relative to the zone.
    const net::OutgoingHttpResult answer =
        co_await sendOk(request(QStringLiteral("GET"),
                                QStringLiteral("/domains/%1/records?type=TXT&name=%2&per_page=%3")
                                    .arg(urlPart(withoutDot(zone)), urlPart(withoutDot(name)))
                                    .arg(kPageSize)),
                        zone, action);
    QList<Record> records;
    const QString relative = relativeName(name, zone);
    for (const QJsonValue r : jsonObject(answer, zone, action).value("domain_records").toArray())
        if (r[QLatin1String("type")].toString() == QLatin1String("TXT") &&
            r[QLatin1String("name")].toString().toLower() == relative)
            records.append({r[QLatin1String("id")].toVariant().toLongLong(),
                            unquotedTxt(r[QLatin1String("data")].toString())});
    co_return records;
}

awaitable<void> DigitalOceanProvider::readNameServers(const QString& zone, const QString& action) {
    if (m_nameServersRead.contains(zone))
        co_return;
    const net::OutgoingHttpResult answer = co_await sendOk(
        request(
            QStringLiteral("GET"),
            QStringLiteral("/domains/%1/records?type=NS&name=%1").arg(urlPart(withoutDot(zone)))),
        zone, action);
    QStringList servers;
    for (const QJsonValue r : jsonObject(answer, zone, action).value("domain_records").toArray())
        if (r[QLatin1String("type")].toString() == QLatin1String("NS"))
            servers.append(r[QLatin1String("data")].toString());
    rememberNameServers(zone, servers);
    m_nameServersRead.insert(zone);
}

awaitable<void> DigitalOceanProvider::addTxt(const QString& zone, const QString& name,
                                             const QString& value) {
    const QString action = QStringLiteral("add the TXT record %1").arg(name);
    if (options().dnsServer.isEmpty())
        co_await readNameServers(zone, action);
    for (const Record& r : co_await readTxt(zone, name, action))
        if (r.value == value)
            co_return;
    net::OutgoingHttp post =
        request(QStringLiteral("POST"),
                QStringLiteral("/domains/%1/records").arg(urlPart(withoutDot(zone))));
    setJsonBody(post, {{"type", "TXT"},
                       {"name", relativeName(name, zone)},
                       {"data", value},
                       {"ttl", m_settings.ttl}});
    co_await sendOk(std::move(post), zone, action);
}

awaitable<void> DigitalOceanProvider::removeTxt(const QString& zone, const QString& name,
                                                const QString& value) {
    const QString action = QStringLiteral("remove the TXT record %1").arg(name);
    for (const Record& r : co_await readTxt(zone, name, action)) {
        if (r.value != value)
            continue;
        const net::OutgoingHttpResult answer =
            co_await send(request(QStringLiteral("DELETE"),
                                  QStringLiteral("/domains/%1/records/%2")
                                      .arg(urlPart(withoutDot(zone)), QString::number(r.id))),
                          zone, action);
        if (!answer.ok() && answer.status != 404) // 404: someone removed it meanwhile
            throw refusal(answer, zone, action);
    }
}

std::unique_ptr<HttpDnsProvider> makeDigitalOceanProvider(process::ProcessRunner& runner,
                                                          DigitalOceanSettings settings,
                                                          HttpDnsOptions options) {
    return std::make_unique<DigitalOceanProvider>(runner, std::move(settings), std::move(options));
}

} // namespace ck::dnsapi
