#include "dnsapi/GoogleCloudDnsProvider.h"

#include "base/Clock.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

namespace ck::dnsapi {

namespace {
const QString kScope = QStringLiteral("https://www.googleapis.com/auth/ndev.clouddns.readwrite");
const QString kIamPage = QStringLiteral("https://console.cloud.google.com/iam-admin/iam");

QString quotedTxt(const QString& value) {
    return u'"' + value + u'"';
}
} // namespace

namespace {
class GoogleCloudDnsProvider final : public HttpDnsProvider {
public:
    GoogleCloudDnsProvider(process::ProcessRunner& runner, GoogleCloudDnsSettings settings,
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
    awaitable<QByteArray> token();
    awaitable<net::OutgoingHttp> request(const QString& method, const QString& path);
    awaitable<QString> zonePath(const QString& zone, const QString& action);
    awaitable<QJsonObject> readTxt(const QString& zone, const QString& name, const QString& action);
    // Replaces `before` (an empty object: none) with `values` (none: no set); false when Cloud
    // DNS refused it because the set changed.
    awaitable<bool> change(const QString& zone, const QString& name, const QJsonObject& before,
                           const QStringList& values, const QString& action);

    GoogleCloudDnsSettings m_settings;
    GoogleServiceAccount m_account;
    QUrl m_api;
    QByteArray m_token;
    qint64 m_tokenExpires = 0;           // ms since the epoch
    QHash<QString, QString> m_zoneNames; // zone (DNS name) -> the managed zone's name
};
} // namespace

GoogleCloudDnsProvider::GoogleCloudDnsProvider(process::ProcessRunner& runner,
                                               GoogleCloudDnsSettings settings,
                                               HttpDnsOptions options)
    : HttpDnsProvider(runner, *findDnsProviderType(QStringLiteral("googleclouddns")),
                      std::move(options)),
      m_settings(std::move(settings)),
      m_account(GoogleServiceAccount::fromJson(m_settings.serviceAccountKey,
                                               QStringLiteral("serviceAccountKey"))) {
    m_api = apiBaseUrl(m_settings.apiUrl, QStringLiteral("https://dns.googleapis.com/dns/v1"),
                       QStringLiteral("apiUrl"));
    m_settings.projectId = m_settings.projectId.trimmed();
    if (m_settings.projectId.isEmpty())
        m_settings.projectId = m_account.projectId;
    if (m_settings.projectId.isEmpty() || m_settings.projectId.contains(u'/'))
        throw InvalidInputError(QStringLiteral("The Google Cloud project id is missing or "
                                               "malformed"),
                                QStringLiteral("projectId"));
    checkCommonOptions(this->options());
}

QString GoogleCloudDnsProvider::endpoint() const {
    return m_api.toString();
}

QString GoogleCloudDnsProvider::credentialScope() const {
    return QStringLiteral("Google Cloud does not say what %1 may do: to change records it needs "
                          "the role DNS Administrator (roles/dns.admin) on the project %2; DNS "
                          "Reader lets it only list the zones.")
        .arg(m_account.clientEmail, m_settings.projectId);
}

QString GoogleCloudDnsProvider::providerText(const net::OutgoingHttpResult& answer) const {
    // {"error": {"code": 403, "message": "...", "errors": [{"reason": "forbidden", ...}]}};
    // the token endpoint: {"error": "invalid_grant", "error_description": "..."}.
    const QJsonObject o = QJsonDocument::fromJson(answer.body).object();
    const QJsonValue error = o.value("error");
    if (error.isObject()) {
        const QString reason =
            error[QLatin1String("errors")][0][QLatin1String("reason")].toString();
        const QString message = error[QLatin1String("message")].toString().trimmed();
        return (reason.isEmpty() ? message : reason + QStringLiteral(": ") + message).left(400);
    }
    if (error.isString())
        return (error.toString() + QStringLiteral(": ") +
                o.value("error_description").toString().trimmed())
            .left(400);
    return HttpDnsProvider::providerText(answer);
}

QString GoogleCloudDnsProvider::adviceFor(const net::OutgoingHttpResult& answer,
                                          const QString& zone) const {
    if (QJsonDocument::fromJson(answer.body).object().value("error").isString() ||
        answer.status == 401)
        return QStringLiteral("; Google did not accept the service account %1: check that the "
                              "key is current (a deleted key stops working) and paste a new JSON "
                              "key into the credential")
            .arg(m_account.clientEmail);
    if (answer.status == 403)
        return QStringLiteral("; %1 lacks the role DNS Administrator (roles/dns.admin) on the "
                              "project %2%3: grant it at %4")
            .arg(m_account.clientEmail, m_settings.projectId,
                 zone.isEmpty() ? QString() : QStringLiteral(" (zone %1)").arg(withoutDot(zone)),
                 kIamPage);
    return HttpDnsProvider::adviceFor(answer, zone);
}

awaitable<QByteArray> GoogleCloudDnsProvider::token() {
    const qint64 now = Clock::system().now().toMSecsSinceEpoch();
    if (!m_token.isEmpty() && now < m_tokenExpires)
        co_return m_token;
    const QString action = QStringLiteral("get an access token for %1").arg(m_account.clientEmail);
    net::OutgoingHttp post;
    post.method = QStringLiteral("POST");
    post.url = m_account.tokenUri;
    post.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                    {"Accept", "application/json"}};
    post.body =
        "grant_type=" +
        QUrl::toPercentEncoding(QStringLiteral("urn:ietf:params:oauth:grant-type:jwt-bearer")) +
        "&assertion=" + m_account.assertion(kScope, Clock::system().now());
    const net::OutgoingHttpResult answer = co_await sendOk(std::move(post), {}, action);
    const QJsonObject o = jsonObject(answer, {}, action);
    m_token = o.value("access_token").toString().toUtf8();
    if (m_token.isEmpty())
        throw failure(action, {}, QStringLiteral("the answer holds no access token"));
    m_tokenExpires = now + 1000LL * std::max(0, o.value("expires_in").toInt() - 60);
    co_return m_token;
}

awaitable<net::OutgoingHttp> GoogleCloudDnsProvider::request(const QString& method,
                                                             const QString& path) {
    const QByteArray bearer = "Bearer " + co_await token();
    co_return jsonRequest(method,
                          m_api.toString() + QStringLiteral("/projects/") +
                              urlPart(m_settings.projectId) + path,
                          "Authorization", bearer);
}

awaitable<QStringList> GoogleCloudDnsProvider::zones() {
    const QString action = QStringLiteral("list the zones");
    QStringList names;
    QString pageToken;
    for (int page = 0; page < 50; ++page) {
        net::OutgoingHttp get = co_await request(
            QStringLiteral("GET"),
            QStringLiteral("/managedZones") +
                (pageToken.isEmpty() ? QString()
                                     : QStringLiteral("?pageToken=") + urlPart(pageToken)));
        const net::OutgoingHttpResult answer = co_await sendOk(std::move(get), {}, action);
        const QJsonObject o = jsonObject(answer, {}, action);
        for (const QJsonValue z : o.value("managedZones").toArray()) {
            // A private zone is not what the CA sees: never a candidate.
            if (z[QLatin1String("visibility")].toString() == QLatin1String("private"))
                continue;
            const QString name = absolute(z[QLatin1String("dnsName")].toString());
            m_zoneNames.insert(name, z[QLatin1String("name")].toString());
            QStringList servers;
            for (const QJsonValue ns : z[QLatin1String("nameServers")].toArray())
                servers.append(ns.toString());
            rememberNameServers(name, servers);
            names.append(name);
        }
        pageToken = o.value("nextPageToken").toString();
        if (pageToken.isEmpty())
            break;
    }
    co_return names;
}

awaitable<QString> GoogleCloudDnsProvider::zonePath(const QString& zone, const QString& action) {
    if (!m_zoneNames.contains(zone))
        co_await zones(); // a zone the user named: its managed zone's name is in the list
    if (!m_zoneNames.contains(zone))
        throw failure(action, zone,
                      QStringLiteral("the project %1 has no public managed zone of that name; "
                                     "check the zone's name and the project")
                          .arg(m_settings.projectId));
    co_return QStringLiteral("/managedZones/") + urlPart(m_zoneNames.value(zone));
}

awaitable<QJsonObject> GoogleCloudDnsProvider::readTxt(const QString& zone, const QString& name,
                                                       const QString& action) {
    const QString path = co_await zonePath(zone, action);
    net::OutgoingHttp get = co_await request(
        QStringLiteral("GET"), path + QStringLiteral("/rrsets?type=TXT&name=") + urlPart(name));
    const net::OutgoingHttpResult answer = co_await sendOk(std::move(get), zone, action);
    for (const QJsonValue set : jsonObject(answer, zone, action).value("rrsets").toArray())
        if (absolute(set[QLatin1String("name")].toString()) == name &&
            set[QLatin1String("type")].toString() == QLatin1String("TXT"))
            co_return set.toObject();
    co_return QJsonObject();
}

awaitable<bool> GoogleCloudDnsProvider::change(const QString& zone, const QString& name,
                                               const QJsonObject& before, const QStringList& values,
                                               const QString& action) {
    QJsonObject body;
    if (!before.isEmpty())
        body.insert("deletions", QJsonArray{before});
    if (!values.isEmpty()) {
        QJsonArray datas;
        for (const QString& v : values)
            datas.append(v);
        const int ttl = before.value("ttl").toInt(m_settings.ttl);
        body.insert("additions",
                    QJsonArray{QJsonObject{
                        {"name", name}, {"type", "TXT"}, {"ttl", ttl}, {"rrdatas", datas}}});
    }
    const QString path = co_await zonePath(zone, action);
    net::OutgoingHttp post =
        co_await request(QStringLiteral("POST"), path + QStringLiteral("/changes"));
    setJsonBody(post, body);
    const net::OutgoingHttpResult answer = co_await send(std::move(post), zone, action);
    if (answer.status == 412 || answer.status == 409) // the set changed since it was read
        co_return false;
    if (!answer.ok())
        throw refusal(answer, zone, action);
    QJsonObject status = jsonObject(answer, zone, action);
    const QString id = status.value("id").toString();
    const auto start = std::chrono::steady_clock::now();
    for (int round = 0; status.value("status").toString() != QLatin1String("done"); ++round) {
        if (std::chrono::steady_clock::now() - start > m_settings.doneTimeout)
            throw failure(action, zone,
                          QStringLiteral("the change %1 is still %2 after %3 s; try again later")
                              .arg(id, status.value("status").toString())
                              .arg(m_settings.doneTimeout.count()));
        co_await sleepFor(std::chrono::milliseconds(500 * std::min(1 << std::min(round, 3), 8)));
        net::OutgoingHttp get = co_await request(QStringLiteral("GET"),
                                                 path + QStringLiteral("/changes/") + urlPart(id));
        status = jsonObject(co_await sendOk(std::move(get), zone, action), zone, action);
    }
    co_return true;
}

awaitable<void> GoogleCloudDnsProvider::addTxt(const QString& zone, const QString& name,
                                               const QString& value) {
    const QString action = QStringLiteral("add the TXT record %1").arg(name);
    const RecordSetAttempt attempt = [&]() -> awaitable<bool> {
        const QJsonObject before = co_await readTxt(zone, name, action);
        QStringList values;
        for (const QJsonValue v : before.value("rrdatas").toArray())
            values.append(v.toString());
        for (const QString& v : values)
            if (unquotedTxt(v) == value)
                co_return true;
        values.append(quotedTxt(value));
        co_return co_await change(zone, name, before, values, action);
    };
    co_await untilUnchanged(zone, action, RecordChange::Add, attempt);
}

awaitable<void> GoogleCloudDnsProvider::removeTxt(const QString& zone, const QString& name,
                                                  const QString& value) {
    const QString action = QStringLiteral("remove the TXT record %1").arg(name);
    const RecordSetAttempt attempt = [&]() -> awaitable<bool> {
        const QJsonObject before = co_await readTxt(zone, name, action);
        QStringList values;
        bool found = false;
        for (const QJsonValue v : before.value("rrdatas").toArray()) {
            if (unquotedTxt(v.toString()) == value)
                found = true;
            else
                values.append(v.toString());
        }
        if (!found)
            co_return true;
        co_return co_await change(zone, name, before, values, action);
    };
    co_await untilUnchanged(zone, action, RecordChange::Remove, attempt);
}

std::unique_ptr<HttpDnsProvider> makeGoogleCloudDnsProvider(process::ProcessRunner& runner,
                                                            GoogleCloudDnsSettings settings,
                                                            HttpDnsOptions options) {
    return std::make_unique<GoogleCloudDnsProvider>(runner, std::move(settings),
                                                    std::move(options));
}

} // namespace ck::dnsapi
