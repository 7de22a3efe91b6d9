#include "dnsapi/HttpDnsProvider.h"

#include "base/Clock.h"
#include "process/ChildProcess.h"

#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QLocale>
#include <QSet>

#include <algorithm>

namespace ck::dnsapi {

namespace {
constexpr auto kLockPoll = std::chrono::milliseconds(25);

// One change at a time per record name at one API, for every provider object of this service
// (each placed record has its own). Used on the network thread only.
QSet<QString>& namesInChange() {
    static QSet<QString> names;
    return names;
}

struct NameLock {
    QString key;
    ~NameLock() { namesInChange().remove(key); }
};

awaitable<std::unique_ptr<NameLock>> lockName(QString key) {
    while (namesInChange().contains(key))
        co_await sleepFor(kLockPoll);
    namesInChange().insert(key);
    co_return std::make_unique<NameLock>(NameLock{std::move(key)});
}

QString genericAdvice(int status) {
    switch (status) {
    case 401:
        return QStringLiteral("; the provider did not accept the credential: check the key or "
                              "token in the stored credential");
    case 403:
        return QStringLiteral("; the credential is not allowed to do this: give its token "
                              "access to the zone's DNS records");
    case 404:
        return QStringLiteral("; the provider does not know it: check the zone and the API "
                              "address");
    case 400:
    case 409:
    case 422:
        return QStringLiteral("; the provider refused the change");
    default:
        return status >= 500 ? QStringLiteral("; the provider failed: try again later") : QString();
    }
}
} // namespace

awaitable<void> sleepFor(std::chrono::milliseconds duration) {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    timer.expires_after(duration);
    co_await timer.async_wait(use_awaitable);
}

QString absolute(const QString& name) {
    return challenges::dns::absoluteName(name);
}

challenges::dns::DnsServer parseDnsServer(const QString& text) {
    const QString given = text.trimmed();
    const QUrl parsed(QStringLiteral("dns://") + given);
    const bool bareV6 = given.count(u':') > 1 && !given.startsWith(u'[');
    challenges::dns::DnsServer server;
    server.host = bareV6 || !parsed.isValid() ? given : parsed.host();
    server.port = bareV6 || !parsed.isValid() ? 53 : parsed.port(53);
    if (server.port < 1 || server.port > 65535 || given.contains(u'/'))
        server.host.clear();
    return server;
}

QUrl apiBaseUrl(const QString& given, const QString& fallback, const QString& field) {
    QString url = given.trimmed().isEmpty() ? fallback : given.trimmed();
    while (url.endsWith(u'/'))
        url.chop(1);
    const QUrl api(url, QUrl::StrictMode);
    if (!api.isValid() || api.host().isEmpty() ||
        (api.scheme() != QLatin1String("http") && api.scheme() != QLatin1String("https")) ||
        !api.userInfo().isEmpty() || api.hasQuery() || api.hasFragment())
        throw InvalidInputError(
            QStringLiteral("The API address must be an http(s) URL like %1, not '%2'")
                .arg(fallback, given),
            field);
    return api;
}

net::OutgoingHttp jsonRequest(const QString& method, const QString& url, const QByteArray& authName,
                              const QByteArray& authValue) {
    net::OutgoingHttp r;
    r.method = method;
    r.url = url;
    r.headers = {{"Accept", "application/json"}};
    if (!authName.isEmpty())
        r.headers.append(qMakePair(authName, authValue));
    return r;
}

void setJsonBody(net::OutgoingHttp& request, const QJsonObject& body) {
    request.headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
    request.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
}

QString headerToken(const QString& given, const QString& what, const QString& field) {
    const QString token = given.trimmed();
    if (token.isEmpty())
        throw InvalidInputError(QStringLiteral("%1 is missing").arg(what), field);
    if (token.contains(u'\r') || token.contains(u'\n') || token.contains(u' '))
        throw InvalidInputError(QStringLiteral("%1 cannot hold spaces or line breaks").arg(what),
                                field);
    return token;
}

void checkCommonOptions(const HttpDnsOptions& options) {
    if (!options.caFile.isEmpty()) {
        QFile file(options.caFile);
        if (!file.open(QIODevice::ReadOnly) || !file.read(64 * 1024).contains("-----BEGIN"))
            throw InvalidInputError(
                QStringLiteral("The trusted root file %1 cannot be read by the service or holds "
                               "no PEM certificate")
                    .arg(options.caFile),
                QStringLiteral("trustedRootFile"));
    }
    if (!options.dnsServer.trimmed().isEmpty() && parseDnsServer(options.dnsServer).host.isEmpty())
        throw InvalidInputError(
            QStringLiteral("The DNS server to check must be a host or host:port, not '%1'")
                .arg(options.dnsServer),
            QStringLiteral("dnsServer"));
}

QString withoutDot(const QString& name) {
    return name.endsWith(u'.') ? name.chopped(1) : name;
}

QString relativeName(const QString& name, const QString& zone) {
    if (name == zone)
        return QStringLiteral("@");
    return withoutDot(name.endsWith(u'.' + zone) ? name.chopped(zone.size() + 1) : name);
}

QString urlPart(const QString& text) {
    return QString::fromLatin1(QUrl::toPercentEncoding(text));
}

QString unquotedTxt(const QString& content) {
    if (!content.contains(u'"'))
        return content;
    QString out;
    bool inside = false;
    for (qsizetype i = 0; i < content.size(); ++i) {
        const QChar c = content[i];
        if (c == u'"')
            inside = !inside;
        else if (c == u'\\' && inside && i + 1 < content.size())
            out += content[++i];
        else if (inside)
            out += c;
    }
    return out;
}

int retryAfterSeconds(const QByteArray& value) {
    const QByteArray v = value.trimmed();
    if (v.isEmpty())
        return -1;
    bool ok = false;
    const int seconds = v.toInt(&ok);
    if (ok)
        return seconds < 0 ? -1 : seconds;
    // RFC 9110 §10.2.3: an IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT".
    const QDateTime read = QLocale::c().toDateTime(
        QString::fromLatin1(v.left(64)), QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"));
    if (!read.isValid())
        return -1;
    const QDateTime at(read.date(), read.time(), Qt::UTC);
    const qint64 from = Clock::system().now().secsTo(at);
    return static_cast<int>(std::clamp<qint64>(from, 0, 24 * 3600));
}

HttpDnsProvider::HttpDnsProvider(process::ProcessRunner& runner, const DnsProviderType& type,
                                 HttpDnsOptions options)
    : m_runner(runner), m_type(type), m_options(std::move(options)) {
    if (m_options.requestTimeout.count() < 1)
        m_options.requestTimeout = std::chrono::seconds(1);
    m_options.maxAttempts = std::max(1, m_options.maxAttempts);
}

QString HttpDnsProvider::title() const {
    return QStringLiteral("%1 at %2").arg(m_type.title, endpoint());
}

UpstreamError HttpDnsProvider::failure(const QString& action, const QString& zone,
                                       const QString& why) const {
    const QString where = zone.isEmpty() ? QString() : QStringLiteral(" in the zone %1").arg(zone);
    return UpstreamError(QStringLiteral("%1: could not %2%3: %4").arg(title(), action, where, why));
}

awaitable<void> HttpDnsProvider::untilUnchanged(const QString& zone, const QString& action,
                                                RecordChange change,
                                                const RecordSetAttempt& attempt) {
    for (int i = 0; i < 3; ++i)
        if (co_await attempt())
            co_return;
    throw failure(action, zone,
                  QStringLiteral("the TXT records at the name kept changing while this one was "
                                 "%1; another program is changing them")
                      .arg(change == RecordChange::Add ? QStringLiteral("added")
                                                       : QStringLiteral("removed")));
}

bool HttpDnsProvider::isRateLimited(const net::OutgoingHttpResult& answer) const {
    return answer.status == 429 ||
           (answer.status == 503 && retryAfterSeconds(answer.header("retry-after")) >= 0);
}

QString HttpDnsProvider::adviceFor(const net::OutgoingHttpResult& answer, const QString&) const {
    return genericAdvice(answer.status);
}

QJsonObject HttpDnsProvider::jsonObject(const net::OutgoingHttpResult& answer, const QString& zone,
                                        const QString& action) const {
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(answer.body, &error);
    if (!doc.isObject())
        throw failure(action, zone,
                      QStringLiteral("the answer (HTTP %1) is not the JSON the API sends; is %2 "
                                     "the right API address?")
                          .arg(QString::number(answer.status), endpoint()));
    return doc.object();
}

QList<challenges::dns::DnsServer> HttpDnsProvider::checkServers(const QString& zone) const {
    if (!m_options.dnsServer.trimmed().isEmpty())
        return {parseDnsServer(m_options.dnsServer)};
    QList<challenges::dns::DnsServer> servers;
    for (const QString& host : m_nameServers.value(zone))
        servers.append(challenges::dns::DnsServer{host, 53, {}});
    return servers;
}

void HttpDnsProvider::rememberNameServers(const QString& zone, const QStringList& hosts) {
    QStringList names;
    for (const QString& h : hosts)
        if (!h.trimmed().isEmpty())
            names.append(h.trimmed());
    m_nameServers.insert(absolute(zone), names);
}

QString HttpDnsProvider::providerText(const net::OutgoingHttpResult& answer) const {
    return QString::fromUtf8(answer.body).section(u'\n', 0, 0).trimmed().left(300);
}

awaitable<net::OutgoingHttpResult>
HttpDnsProvider::send(net::OutgoingHttp request, const QString& zone, const QString& action) {
    request.timeout = m_options.requestTimeout;
    request.caFile = m_options.caFile;
    request.maxBody = std::max<qsizetype>(request.maxBody, 8 * 1024 * 1024);
    std::chrono::seconds waited{0};
    for (int attempt = 1;; ++attempt) {
        auto work = [request] { return net::sendHttpBlocking(request); };
        net::OutgoingHttpResult answer = co_await m_runner.offload(std::move(work));
        if (!answer.error.isEmpty()) {
            // (Texts from elsewhere are joined, not passed through arg(): they may hold "%1".)
            const QString noAnswer =
                answer.error.contains(QLatin1String("timed out"), Qt::CaseInsensitive)
                    ? QStringLiteral("no answer within %1 s").arg(m_options.requestTimeout.count())
                    : QStringLiteral("no answer");
            throw failure(action, zone,
                          noAnswer + QStringLiteral(" (") + answer.error +
                              QStringLiteral("); check the API address and that this machine "
                                             "can reach it"));
        }
        const int asked = retryAfterSeconds(answer.header("retry-after"));
        if (!isRateLimited(answer))
            co_return answer;
        // Without Retry-After: 1, 2, 4... seconds.
        const auto wait =
            std::chrono::seconds(asked >= 0 ? asked : (1 << std::min(attempt - 1, 5)));
        const QString text = providerText(answer);
        const QString said =
            text.isEmpty() ? QString() : QStringLiteral(" (\"") + text + QStringLiteral("\")");
        if (attempt >= m_options.maxAttempts || waited + wait > m_options.maxRetryWait)
            throw failure(
                action, zone,
                QStringLiteral("the provider still limits the rate of requests (HTTP %1")
                        .arg(answer.status) +
                    said +
                    QStringLiteral(") after %1 tries and %2 s of waiting%3; wait a while and "
                                   "try again, or make fewer requests with this credential")
                        .arg(QString::number(attempt), QString::number(waited.count()),
                             asked > 0 && waited + wait > m_options.maxRetryWait
                                 ? QStringLiteral(" (it asked for %1 s more)").arg(asked)
                                 : QString()));
        waited += wait;
        co_await sleepFor(wait);
    }
}

awaitable<net::OutgoingHttpResult>
HttpDnsProvider::sendOk(net::OutgoingHttp request, const QString& zone, const QString& action) {
    net::OutgoingHttpResult answer = co_await send(std::move(request), zone, action);
    if (!answer.ok())
        throw refusal(answer, zone, action);
    co_return answer;
}

UpstreamError HttpDnsProvider::refusal(const net::OutgoingHttpResult& answer, const QString& zone,
                                       const QString& action) const {
    const QString text = providerText(answer);
    const QString said =
        text.isEmpty() ? QString() : QStringLiteral(" \"") + text + QStringLiteral("\"");
    return failure(action, zone,
                   QStringLiteral("HTTP %1").arg(answer.status) + said + adviceFor(answer, zone));
}

awaitable<QStringList> HttpDnsProvider::listZones() {
    QStringList names;
    for (const QString& zone : co_await zones())
        names.append(absolute(zone));
    names.removeDuplicates();
    names.sort();
    co_return names;
}

awaitable<QString> HttpDnsProvider::zoneFor(const QString& recordName) {
    const QString name = absolute(recordName);
    if (auto known = m_zones.constFind(name); known != m_zones.constEnd())
        co_return *known;
    QString zone;
    if (!m_options.zone.trimmed().isEmpty()) {
        zone = absolute(m_options.zone);
        if (!challenges::dns::isInZone(name, zone))
            throw InvalidInputError(
                QStringLiteral("%1: the record %2 is not inside the zone %3 named in the "
                               "challenge settings")
                    .arg(title(), name, zone),
                QStringLiteral("requestConfig.challenges"));
    } else {
        const QStringList candidates = co_await listZones();
        for (const QString& z : candidates)
            if (challenges::dns::isInZone(name, z) && z.size() > zone.size())
                zone = z;
        if (zone.isEmpty())
            throw failure(
                QStringLiteral("find the zone for %1").arg(name), QString(),
                candidates.isEmpty()
                    ? QStringLiteral("the credential sees no zone at all; give it access to "
                                     "the zone that holds the name")
                    : QStringLiteral("none of the zones the credential can see holds it (%1); "
                                     "add the zone there, give the credential access to it, or "
                                     "name the zone in the challenge settings")
                          .arg(candidates.mid(0, 20).join(QStringLiteral(", "))));
    }
    m_zones.insert(name, zone);
    co_return zone;
}

awaitable<void> HttpDnsProvider::change(const challenges::DnsTxtRecord& r, bool add) {
    const QString name = absolute(r.name);
    const QString zone = co_await zoneFor(name);
    auto lock = co_await lockName(endpoint() + u' ' + name);
    if (add)
        co_await addTxt(zone, name, r.value);
    else
        co_await removeTxt(zone, name, r.value);
}

awaitable<void> HttpDnsProvider::present(const challenges::DnsTxtRecord& r) {
    co_await change(r, true);
}

awaitable<void> HttpDnsProvider::cleanup(const challenges::DnsTxtRecord& r) {
    co_await change(r, false);
}

awaitable<void> HttpDnsProvider::waitForPropagation(const challenges::DnsTxtRecord& r,
                                                    std::chrono::seconds timeout) {
    if (m_options.propagation.count() > 0)
        co_await sleepFor(m_options.propagation);
    const QString zone = co_await zoneFor(r.name);
    const QList<challenges::dns::DnsServer> servers = checkServers(zone);
    if (!servers.isEmpty())
        co_await challenges::dns::waitForTxt(m_runner, servers, checkedName(absolute(r.name)),
                                             r.value, timeout);
}

} // namespace ck::dnsapi
