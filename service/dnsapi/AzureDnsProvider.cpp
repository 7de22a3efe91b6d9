#include "dnsapi/AzureDnsProvider.h"

#include "base/Clock.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QUrl>

namespace ck::dnsapi {

namespace {
const QString kApiVersion = QStringLiteral("api-version=2018-05-01");
const QString kAppsPage =
    QStringLiteral("https://portal.azure.com/#view/Microsoft_AAD_RegisteredApps");

bool plainId(const QString& s) {
    static const QRegularExpression id(QStringLiteral("^[A-Za-z0-9._()-]+$"));
    return id.match(s).hasMatch();
}

qint64 nowMs() {
    return Clock::system().now().toMSecsSinceEpoch();
}
} // namespace

namespace {
class AzureDnsProvider final : public HttpDnsProvider {
public:
    AzureDnsProvider(process::ProcessRunner& runner, AzureDnsSettings settings,
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
    struct TxtSet {
        QString etag; // empty: the set does not exist
        int ttl = 0;
        QStringList values;
    };
    awaitable<QByteArray> token();
    awaitable<net::OutgoingHttp> request(const QString& method, const QString& path);
    awaitable<QString> zonePath(const QString& zone, const QString& action);
    awaitable<TxtSet> readTxt(const QString& zone, const QString& name, const QString& action);
    // Writes `values` (none: deletes the set) if it is still as `read`; false when it was not.
    awaitable<bool> writeTxt(const QString& zone, const QString& name, const TxtSet& read,
                             const QStringList& values, const QString& action);

    AzureDnsSettings m_settings;
    QUrl m_arm;
    QUrl m_authority;
    QByteArray m_token;
    qint64 m_tokenExpires = 0;            // ms since the epoch
    QHash<QString, QString> m_zoneGroups; // zone name -> its resource group
};
} // namespace

AzureDnsProvider::AzureDnsProvider(process::ProcessRunner& runner, AzureDnsSettings settings,
                                   HttpDnsOptions options)
    : HttpDnsProvider(runner, *findDnsProviderType(QStringLiteral("azure")), std::move(options)),
      m_settings(std::move(settings)) {
    m_arm = apiBaseUrl(m_settings.apiUrl, QStringLiteral("https://management.azure.com"),
                       QStringLiteral("apiUrl"));
    m_authority =
        apiBaseUrl(m_settings.authorityUrl, QStringLiteral("https://login.microsoftonline.com"),
                   QStringLiteral("authorityUrl"));
    const std::pair<QString*, const char*> ids[] = {{&m_settings.tenantId, "tenantId"},
                                                    {&m_settings.clientId, "clientId"},
                                                    {&m_settings.subscriptionId, "subscriptionId"}};
    for (const auto& [value, field] : ids) {
        *value = value->trimmed();
        if (!plainId(*value))
            throw InvalidInputError(QStringLiteral("The Azure %1 is missing or malformed: '%2'")
                                        .arg(QLatin1String(field), *value),
                                    QLatin1String(field));
    }
    m_settings.resourceGroup = m_settings.resourceGroup.trimmed();
    if (!m_settings.resourceGroup.isEmpty() && !plainId(m_settings.resourceGroup))
        throw InvalidInputError(QStringLiteral("The resource group name is malformed"),
                                QStringLiteral("resourceGroup"));
    if (m_settings.clientSecret.isEmpty())
        throw InvalidInputError(QStringLiteral("The client secret is missing"),
                                QStringLiteral("clientSecret"));
    checkCommonOptions(this->options());
}

QString AzureDnsProvider::endpoint() const {
    return m_arm.toString();
}

QString AzureDnsProvider::credentialScope() const {
    return QStringLiteral("Azure does not say what the app registration may do: to change "
                          "records it needs the role DNS Zone Contributor on each zone (or its "
                          "resource group); Reader lets it only list them.");
}

QString AzureDnsProvider::providerText(const net::OutgoingHttpResult& answer) const {
    // Resource Manager: {"error": {"code", "message"}}; Entra ID: {"error": "invalid_client",
    // "error_description": "AADSTS7000215: Invalid client secret provided. ...\r\nTrace ID: ..."}.
    const QJsonObject o = QJsonDocument::fromJson(answer.body).object();
    const QJsonValue error = o.value("error");
    if (error.isObject()) {
        const QString code = error[QLatin1String("code")].toString();
        const QString message = error[QLatin1String("message")].toString().trimmed();
        return (code.isEmpty() ? message : code + QStringLiteral(": ") + message).left(400);
    }
    if (error.isString())
        return (error.toString() + QStringLiteral(": ") +
                o.value("error_description").toString().section(u'\n', 0, 0).trimmed())
            .left(400);
    return HttpDnsProvider::providerText(answer);
}

QString AzureDnsProvider::adviceFor(const net::OutgoingHttpResult& answer,
                                    const QString& zone) const {
    const QJsonObject o = QJsonDocument::fromJson(answer.body).object();
    if (o.value("error").isString() || answer.status == 401)
        return QStringLiteral("; Microsoft Entra ID did not accept the app registration: check "
                              "the tenant, client id and client secret (secrets expire) at ") +
               kAppsPage;
    if (answer.status == 403)
        return QStringLiteral("; the app registration lacks the role DNS Zone Contributor on %1: "
                              "assign it under the zone's Access control (IAM)")
            .arg(zone.isEmpty() ? QStringLiteral("the zones") : withoutDot(zone));
    return HttpDnsProvider::adviceFor(answer, zone);
}

awaitable<QByteArray> AzureDnsProvider::token() {
    if (!m_token.isEmpty() && nowMs() < m_tokenExpires)
        co_return m_token;
    const QString action =
        QStringLiteral("get an access token from %1").arg(m_authority.toString());
    net::OutgoingHttp post;
    post.method = QStringLiteral("POST");
    post.url = m_authority.toString() + u'/' + urlPart(m_settings.tenantId) +
               QStringLiteral("/oauth2/v2.0/token");
    post.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                    {"Accept", "application/json"}};
    post.body = "grant_type=client_credentials&client_id=" + urlPart(m_settings.clientId).toUtf8() +
                "&client_secret=" + urlPart(m_settings.clientSecret).toUtf8() +
                "&scope=" + urlPart(m_arm.toString() + QStringLiteral("/.default")).toUtf8();
    const net::OutgoingHttpResult answer = co_await sendOk(std::move(post), {}, action);
    const QJsonObject o = jsonObject(answer, {}, action);
    m_token = o.value("access_token").toString().toUtf8();
    if (m_token.isEmpty())
        throw failure(action, {}, QStringLiteral("the answer holds no access token"));
    // Renewed a minute early; expires_in is seconds (a number, or a string on older tenants).
    const int seconds = o.value("expires_in").toVariant().toInt();
    m_tokenExpires = nowMs() + 1000LL * std::max(0, seconds - 60);
    co_return m_token;
}

awaitable<net::OutgoingHttp> AzureDnsProvider::request(const QString& method, const QString& path) {
    const QString url =
        path.startsWith(QLatin1String("https://")) || path.startsWith(QLatin1String("http://"))
            ? path
            : m_arm.toString() + path + (path.contains(u'?') ? u'&' : u'?') + kApiVersion;
    const QByteArray bearer = "Bearer " + co_await token();
    co_return jsonRequest(method, url, "Authorization", bearer);
}

awaitable<QStringList> AzureDnsProvider::zones() {
    const QString action = QStringLiteral("list the zones");
    QString next = QStringLiteral("/subscriptions/") + urlPart(m_settings.subscriptionId) +
                   (m_settings.resourceGroup.isEmpty()
                        ? QString()
                        : QStringLiteral("/resourceGroups/") + urlPart(m_settings.resourceGroup)) +
                   QStringLiteral("/providers/Microsoft.Network/dnszones");
    QStringList names;
    static const QRegularExpression group(QStringLiteral("/resourceGroups/([^/]+)/"),
                                          QRegularExpression::CaseInsensitiveOption);
    for (int page = 0; page < 50 && !next.isEmpty(); ++page) {
        // nextLink is absolute; only one on the Resource Manager's own host is followed.
        if (next.contains(QLatin1String("://")) && QUrl(next).host() != m_arm.host())
            break;
        net::OutgoingHttp get = co_await request(QStringLiteral("GET"), next);
        const net::OutgoingHttpResult answer = co_await sendOk(std::move(get), {}, action);
        const QJsonObject o = jsonObject(answer, {}, action);
        for (const QJsonValue z : o.value("value").toArray()) {
            const QString name = absolute(z[QLatin1String("name")].toString());
            m_zoneGroups.insert(name, group.match(z[QLatin1String("id")].toString()).captured(1));
            QStringList servers;
            for (const QJsonValue ns :
                 z[QLatin1String("properties")][QLatin1String("nameServers")].toArray())
                servers.append(ns.toString());
            rememberNameServers(name, servers);
            names.append(name);
        }
        next = o.value("nextLink").toString();
    }
    co_return names;
}

awaitable<QString> AzureDnsProvider::zonePath(const QString& zone, const QString& action) {
    QString group = m_zoneGroups.value(zone, m_settings.resourceGroup);
    if (group.isEmpty()) {
        co_await zones(); // a zone the user named: its resource group is in the list
        group = m_zoneGroups.value(zone);
    }
    if (group.isEmpty())
        throw failure(action, zone,
                      QStringLiteral("the subscription %1 has no such zone that the app "
                                     "registration may see; check the zone's name, or give the "
                                     "app a role on it")
                          .arg(m_settings.subscriptionId));
    co_return QStringLiteral("/subscriptions/%1/resourceGroups/%2/providers/Microsoft.Network/"
                             "dnsZones/%3")
        .arg(urlPart(m_settings.subscriptionId), urlPart(group), urlPart(withoutDot(zone)));
}

awaitable<AzureDnsProvider::TxtSet>
AzureDnsProvider::readTxt(const QString& zone, const QString& name, const QString& action) {
    const QString path = co_await zonePath(zone, action) + QStringLiteral("/TXT/") +
                         urlPart(relativeName(name, zone));
    net::OutgoingHttp get = co_await request(QStringLiteral("GET"), path);
    const net::OutgoingHttpResult answer = co_await send(std::move(get), zone, action);
    TxtSet set;
    const QJsonObject o = QJsonDocument::fromJson(answer.body).object();
    if (answer.status == 404 &&
        o.value("error").toObject().value("code").toString() == QLatin1String("NotFound"))
        co_return set; // no TXT record at the name yet
    if (!answer.ok())
        throw refusal(answer, zone, action);
    set.etag = o.value("etag").toString();
    const QJsonObject properties = o.value("properties").toObject();
    set.ttl = properties.value("TTL").toInt();
    for (const QJsonValue record : properties.value("TXTRecords").toArray()) {
        QString joined;
        for (const QJsonValue part : record[QLatin1String("value")].toArray())
            joined += part.toString();
        set.values.append(joined);
    }
    co_return set;
}

awaitable<bool> AzureDnsProvider::writeTxt(const QString& zone, const QString& name,
                                           const TxtSet& read, const QStringList& values,
                                           const QString& action) {
    const QString path = co_await zonePath(zone, action) + QStringLiteral("/TXT/") +
                         urlPart(relativeName(name, zone));
    net::OutgoingHttp r =
        co_await request(values.isEmpty() ? QStringLiteral("DELETE") : QStringLiteral("PUT"), path);
    if (read.etag.isEmpty())
        r.headers.append(qMakePair(QByteArray("If-None-Match"), QByteArray("*")));
    else
        r.headers.append(qMakePair(QByteArray("If-Match"), read.etag.toUtf8()));
    if (!values.isEmpty()) {
        QJsonArray records;
        for (const QString& v : values)
            records.append(QJsonObject{{"value", QJsonArray{v}}});
        setJsonBody(r,
                    {{"properties", QJsonObject{{"TTL", read.ttl > 0 ? read.ttl : m_settings.ttl},
                                                {"TXTRecords", records}}}});
    }
    const net::OutgoingHttpResult answer = co_await send(std::move(r), zone, action);
    if (answer.status == 412) // the set changed since it was read
        co_return false;
    if (!answer.ok() && !(values.isEmpty() && answer.status == 404))
        throw refusal(answer, zone, action);
    co_return true;
}

awaitable<void> AzureDnsProvider::addTxt(const QString& zone, const QString& name,
                                         const QString& value) {
    const QString action = QStringLiteral("add the TXT record %1").arg(name);
    const RecordSetAttempt attempt = [&]() -> awaitable<bool> {
        const TxtSet set = co_await readTxt(zone, name, action);
        if (set.values.contains(value))
            co_return true;
        QStringList values = set.values;
        values.append(value);
        co_return co_await writeTxt(zone, name, set, values, action);
    };
    co_await untilUnchanged(zone, action, RecordChange::Add, attempt);
}

awaitable<void> AzureDnsProvider::removeTxt(const QString& zone, const QString& name,
                                            const QString& value) {
    const QString action = QStringLiteral("remove the TXT record %1").arg(name);
    const RecordSetAttempt attempt = [&]() -> awaitable<bool> {
        const TxtSet set = co_await readTxt(zone, name, action);
        if (!set.values.contains(value))
            co_return true;
        QStringList kept = set.values;
        kept.removeAll(value);
        co_return co_await writeTxt(zone, name, set, kept, action);
    };
    co_await untilUnchanged(zone, action, RecordChange::Remove, attempt);
}

std::unique_ptr<HttpDnsProvider> makeAzureDnsProvider(process::ProcessRunner& runner,
                                                      AzureDnsSettings settings,
                                                      HttpDnsOptions options) {
    return std::make_unique<AzureDnsProvider>(runner, std::move(settings), std::move(options));
}

} // namespace ck::dnsapi
