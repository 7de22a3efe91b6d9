#include "dnsapi/CloudflareProvider.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUrl>

namespace ck::dnsapi {

namespace {
const QString kTokensPage = QStringLiteral("https://dash.cloudflare.com/profile/api-tokens");

// Cloudflare's error codes for a token it does not know (9109, 1000) or a malformed one (6003
// with 6111 in its chain).
bool unknownToken(const QJsonObject& body) {
    for (const QJsonValue e : body.value("errors").toArray()) {
        const int code = e[QLatin1String("code")].toInt();
        if (code == 9109 || code == 1000 || code == 6003 || code == 6111)
            return true;
    }
    return false;
}
} // namespace

namespace {
class CloudflareProvider final : public HttpDnsProvider {
public:
    CloudflareProvider(process::ProcessRunner& runner, CloudflareSettings settings,
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
    awaitable<QString> zoneId(const QString& zone, const QString& action);
    awaitable<QList<Record>> readTxt(const QString& zone, const QString& name,
                                     const QString& action);

    CloudflareSettings m_settings;
    QUrl m_api;
    QHash<QString, QString> m_zoneIds;   // zone name -> id
    QHash<QString, bool> m_zoneEditable; // zone name -> the token may edit its DNS records
};
} // namespace

CloudflareProvider::CloudflareProvider(process::ProcessRunner& runner, CloudflareSettings settings,
                                       HttpDnsOptions options)
    : HttpDnsProvider(runner, *findDnsProviderType(QStringLiteral("cloudflare")),
                      std::move(options)),
      m_settings(std::move(settings)) {
    m_api = apiBaseUrl(m_settings.apiUrl, QStringLiteral("https://api.cloudflare.com/client/v4"),
                       QStringLiteral("apiUrl"));
    m_settings.apiToken =
        headerToken(m_settings.apiToken, QStringLiteral("The Cloudflare API token"),
                    QStringLiteral("apiToken"));
    checkCommonOptions(this->options());
}

QString CloudflareProvider::endpoint() const {
    return m_api.toString();
}

QString CloudflareProvider::credentialScope() const {
    QStringList edit;
    QStringList readOnly;
    for (auto it = m_zoneEditable.constBegin(); it != m_zoneEditable.constEnd(); ++it)
        (it.value() ? edit : readOnly).append(withoutDot(it.key()));
    edit.sort();
    readOnly.sort();
    if (edit.isEmpty() && readOnly.isEmpty())
        return QStringLiteral("Cloudflare does not say what the token may change; it needs "
                              "Zone › DNS › Edit on the zones you issue for.");
    QString text;
    if (!edit.isEmpty())
        text = QStringLiteral("The token may change DNS records in %1.")
                   .arg(edit.join(QStringLiteral(", ")));
    if (!readOnly.isEmpty())
        text += (text.isEmpty() ? QString() : QStringLiteral(" ")) +
                QStringLiteral("It may not change DNS records in %1 (it lacks Zone › DNS › "
                               "Edit there).")
                    .arg(readOnly.join(QStringLiteral(", ")));
    return text;
}

QString CloudflareProvider::providerText(const net::OutgoingHttpResult& answer) const {
    // {"success": false, "errors": [{"code": 10000, "message": "Authentication error"}], ...}
    const QJsonObject o = QJsonDocument::fromJson(answer.body).object();
    QStringList words;
    for (const QJsonValue e : o.value("errors").toArray())
        words.append(QStringLiteral("%1 (code %2)")
                         .arg(e[QLatin1String("message")].toString().trimmed().left(200),
                              QString::number(e[QLatin1String("code")].toInt())));
    return words.isEmpty() ? HttpDnsProvider::providerText(answer)
                           : words.join(QStringLiteral("; ")).left(400);
}

QString CloudflareProvider::adviceFor(const net::OutgoingHttpResult& answer,
                                      const QString& zone) const {
    const int status = answer.status;
    const bool tokenUnknown = (status == 400 || status == 403) &&
                              unknownToken(QJsonDocument::fromJson(answer.body).object());
    if (status == 401 || tokenUnknown || (status == 403 && zone.isEmpty()))
        return QStringLiteral("; Cloudflare did not accept the token: check the API token in the "
                              "stored credential (an API token, not the Global API Key) at ") +
               kTokensPage;
    if (status == 403)
        return QStringLiteral("; the token lacks Zone › DNS › Edit on %1: add it to the token "
                              "at %2")
            .arg(withoutDot(zone), kTokensPage);
    return HttpDnsProvider::adviceFor(answer, zone);
}

net::OutgoingHttp CloudflareProvider::request(const QString& method, const QString& path) const {
    return jsonRequest(method, m_api.toString() + path, "Authorization",
                       "Bearer " + m_settings.apiToken.toUtf8());
}

awaitable<QStringList> CloudflareProvider::zones() {
    const QString action = QStringLiteral("list the zones");
    QStringList names;
    for (int page = 1, pages = 1; page <= pages && page <= 100; ++page) {
        const net::OutgoingHttpResult answer = co_await sendOk(
            request(QStringLiteral("GET"), QStringLiteral("/zones?per_page=50&page=%1").arg(page)),
            {}, action);
        const QJsonObject o = jsonObject(answer, {}, action);
        pages = o.value("result_info").toObject().value("total_pages").toInt(1);
        for (const QJsonValue z : o.value("result").toArray()) {
            const QString name = absolute(z[QLatin1String("name")].toString());
            m_zoneIds.insert(name, z[QLatin1String("id")].toString());
            QStringList servers;
            for (const QJsonValue ns : z[QLatin1String("name_servers")].toArray())
                servers.append(ns.toString());
            rememberNameServers(name, servers);
            const QJsonArray rights = z[QLatin1String("permissions")].toArray();
            if (!rights.isEmpty())
                m_zoneEditable.insert(name, rights.contains(QStringLiteral("#dns_records:edit")));
            names.append(name);
        }
    }
    co_return names;
}

awaitable<QString> CloudflareProvider::zoneId(const QString& zone, const QString& action) {
    if (auto known = m_zoneIds.constFind(zone); known != m_zoneIds.constEnd())
        co_return *known;
    // A zone the user named: looked up by name, as the zone list may be long.
    const net::OutgoingHttpResult answer = co_await sendOk(
        request(QStringLiteral("GET"), QStringLiteral("/zones?name=") + urlPart(withoutDot(zone))),
        zone, action);
    for (const QJsonValue z : jsonObject(answer, zone, action).value("result").toArray())
        if (absolute(z[QLatin1String("name")].toString()) == zone) {
            m_zoneIds.insert(zone, z[QLatin1String("id")].toString());
            QStringList servers;
            for (const QJsonValue ns : z[QLatin1String("name_servers")].toArray())
                servers.append(ns.toString());
            rememberNameServers(zone, servers);
            co_return m_zoneIds.value(zone);
        }
    throw failure(action, zone,
                  QStringLiteral("Cloudflare has no such zone that the token can see; check the "
                                 "zone's name, and that the token's Zone Resources include it"));
}

awaitable<QList<CloudflareProvider::Record>>
CloudflareProvider::readTxt(const QString& zone, const QString& name, const QString& action) {
    const QString id = co_await zoneId(zone, action);
    const net::OutgoingHttpResult answer = co_await sendOk(
        request(QStringLiteral("GET"), QStringLiteral("/zones/%1/dns_records?type=TXT&name=%2"
                                                      "&per_page=100")
                                           .arg(urlPart(id), urlPart(withoutDot(name)))),
        zone, action);
    QList<Record> records;
    for (const QJsonValue r : jsonObject(answer, zone, action).value("result").toArray())
        if (absolute(r[QLatin1String("name")].toString()) == name)
            records.append({r[QLatin1String("id")].toString(),
                            unquotedTxt(r[QLatin1String("content")].toString())});
    co_return records;
}

awaitable<void> CloudflareProvider::addTxt(const QString& zone, const QString& name,
                                           const QString& value) {
    const QString action = QStringLiteral("add the TXT record %1").arg(name);
    for (const Record& r : co_await readTxt(zone, name, action))
        if (r.value == value)
            co_return;
    net::OutgoingHttp post = request(
        QStringLiteral("POST"),
        QStringLiteral("/zones/%1/dns_records").arg(urlPart(co_await zoneId(zone, action))));
    setJsonBody(post, {{"type", "TXT"},
                       {"name", withoutDot(name)},
                       {"content", value},
                       {"ttl", m_settings.ttl},
                       {"comment", "ACME challenge (certkeeper)"}});
    co_await sendOk(std::move(post), zone, action);
}

awaitable<void> CloudflareProvider::removeTxt(const QString& zone, const QString& name,
                                              const QString& value) {
    const QString action = QStringLiteral("remove the TXT record %1").arg(name);
    for (const Record& r : co_await readTxt(zone, name, action)) {
        if (r.value != value)
            continue;
        const net::OutgoingHttpResult answer =
            co_await send(request(QStringLiteral("DELETE"),
                                  QStringLiteral("/zones/%1/dns_records/%2")
                                      .arg(urlPart(co_await zoneId(zone, action)), urlPart(r.id))),
                          zone, action);
        if (!answer.ok() && answer.status != 404) // 404: someone removed it meanwhile
            throw refusal(answer, zone, action);
    }
}

std::unique_ptr<HttpDnsProvider> makeCloudflareProvider(process::ProcessRunner& runner,
                                                        CloudflareSettings settings,
                                                        HttpDnsOptions options) {
    return std::make_unique<CloudflareProvider>(runner, std::move(settings), std::move(options));
}

} // namespace ck::dnsapi
