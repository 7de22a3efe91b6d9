#include "dnsapi/Route53Provider.h"

#include "base/Clock.h"

#include <QHash>
#include <QMultiHash>
#include <QUrl>
#include <QXmlStreamReader>
#include <QXmlStreamWriter>

namespace ck::dnsapi {

namespace {
const QString kXmlns = QStringLiteral("https://route53.amazonaws.com/doc/2013-04-01/");
const QString kIamPage = QStringLiteral("https://console.aws.amazon.com/iam/");

using Fields = QMultiHash<QString, QString>;

// Each `block` element of the answer as its descendants' texts by element name (a name may
// repeat: the Value of each ResourceRecord).
QList<Fields> xmlBlocks(const QByteArray& xml, const QString& block) {
    QList<Fields> blocks;
    QXmlStreamReader r(xml);
    int depth = 0; // inside a block: its nesting
    QString leaf;
    while (!r.atEnd()) {
        r.readNext();
        if (r.isStartElement()) {
            if (depth == 0 && r.name() == block) {
                blocks.append(Fields());
                depth = 1;
            } else if (depth > 0) {
                ++depth;
            }
            leaf = r.name().toString();
        } else if (r.isCharacters() && depth > 0 && !r.isWhitespace()) {
            blocks.last().insert(leaf, r.text().toString());
        } else if (r.isEndElement() && depth > 0) {
            --depth;
        }
    }
    return blocks;
}

// The text of the first element named `name` anywhere in the answer.
QString xmlText(const QByteArray& xml, const QString& name) {
    QXmlStreamReader r(xml);
    while (!r.atEnd())
        if (r.readNext() == QXmlStreamReader::StartElement && r.name() == name)
            return r.readElementText(QXmlStreamReader::SkipChildElements).trimmed();
    return {};
}

QString quotedTxt(const QString& value) {
    return u'"' + value + u'"';
}

bool sameSetChanged(const QString& text) {
    // InvalidChangeBatch when the set is not as read: someone changed it meanwhile.
    return text.contains(QLatin1String("but it was not found")) ||
           text.contains(QLatin1String("do not match")) ||
           text.contains(QLatin1String("but it already exists"));
}
} // namespace

namespace {
class Route53Provider final : public HttpDnsProvider {
public:
    Route53Provider(process::ProcessRunner& runner, Route53Settings settings,
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
    bool isRateLimited(const net::OutgoingHttpResult& answer) const override;

private:
    net::OutgoingHttp request(const QString& method, const QString& pathAndQuery,
                              const QByteArray& body = {}) const;
    awaitable<QString> zoneId(const QString& zone, const QString& action);
    awaitable<void> readNameServers(const QString& zone, const QString& id, const QString& action);
    awaitable<QStringList> readTxt(const QString& zone, const QString& name, int* ttl,
                                   const QString& action);
    // DELETE `before` (when not empty) and CREATE `after` (when not empty) in one batch, then
    // wait until the change is INSYNC. False when Route 53 refused it because the set changed.
    awaitable<bool> change(const QString& zone, const QString& name, int ttl,
                           const QStringList& before, const QStringList& after,
                           const QString& action);
    awaitable<void> waitInSync(const QString& changeId, const QString& zone, const QString& action);

    Route53Settings m_settings;
    QUrl m_api;
    QHash<QString, QString> m_zoneIds; // zone name -> "Z123..."
};
} // namespace

Route53Provider::Route53Provider(process::ProcessRunner& runner, Route53Settings settings,
                                 HttpDnsOptions options)
    : HttpDnsProvider(runner, *findDnsProviderType(QStringLiteral("route53")), std::move(options)),
      m_settings(std::move(settings)) {
    m_api = apiBaseUrl(m_settings.apiUrl, QStringLiteral("https://route53.amazonaws.com"),
                       QStringLiteral("apiUrl"));
    m_settings.accessKeyId = m_settings.accessKeyId.trimmed();
    m_settings.secretAccessKey = m_settings.secretAccessKey.trimmed();
    m_settings.region = m_settings.region.trimmed();
    if (m_settings.region.isEmpty())
        m_settings.region = QStringLiteral("us-east-1");
    if (m_settings.accessKeyId.isEmpty() || m_settings.accessKeyId.contains(u' '))
        throw InvalidInputError(QStringLiteral("The AWS access key id is missing or malformed"),
                                QStringLiteral("accessKeyId"));
    if (m_settings.secretAccessKey.isEmpty())
        throw InvalidInputError(QStringLiteral("The AWS secret access key is missing"),
                                QStringLiteral("secretAccessKey"));
    if (m_settings.sessionToken.contains(u'\n') || m_settings.sessionToken.contains(u'\r'))
        throw InvalidInputError(QStringLiteral("The AWS session token cannot hold line breaks"),
                                QStringLiteral("sessionToken"));
    static const QRegularExpression region(QStringLiteral("^[a-z]{2}(-[a-z]+)+-[0-9]+$"));
    if (!region.match(m_settings.region).hasMatch())
        throw InvalidInputError(QStringLiteral("The AWS region must be like us-east-1, not '%1'")
                                    .arg(m_settings.region),
                                QStringLiteral("region"));
    checkCommonOptions(this->options());
}

QString Route53Provider::endpoint() const {
    return m_api.toString();
}

QString Route53Provider::credentialScope() const {
    return QStringLiteral("Route 53 does not say what a key may do: its IAM policy needs "
                          "route53:ListHostedZones, ListHostedZonesByName, GetHostedZone, "
                          "ListResourceRecordSets, ChangeResourceRecordSets (on the zones you "
                          "issue for) and GetChange.");
}

QString Route53Provider::providerText(const net::OutgoingHttpResult& answer) const {
    // <ErrorResponse><Error><Code>AccessDenied</Code><Message>...</Message></Error>, or
    // <InvalidChangeBatch><Messages><Message>...</Message></Messages></InvalidChangeBatch>.
    const QString code = xmlText(answer.body, QStringLiteral("Code"));
    QStringList messages;
    for (const Fields& m : xmlBlocks(answer.body, QStringLiteral("Messages")))
        messages += m.values(QStringLiteral("Message"));
    if (messages.isEmpty())
        messages.append(xmlText(answer.body, QStringLiteral("Message")));
    QString text = messages.join(QStringLiteral("; ")).trimmed();
    if (!code.isEmpty())
        text = code + QStringLiteral(": ") + text;
    if (text.isEmpty() && xmlText(answer.body, QStringLiteral("InvalidChangeBatch")).isEmpty())
        return HttpDnsProvider::providerText(answer);
    return text.isEmpty() ? QStringLiteral("InvalidChangeBatch") : text.left(400);
}

bool Route53Provider::isRateLimited(const net::OutgoingHttpResult& answer) const {
    // Route 53 answers 400 Throttling (and PriorRequestNotComplete) rather than 429.
    if (answer.status == 400) {
        const QString code = xmlText(answer.body, QStringLiteral("Code"));
        if (code == QLatin1String("Throttling") || code == QLatin1String("PriorRequestNotComplete"))
            return true;
    }
    return HttpDnsProvider::isRateLimited(answer);
}

QString Route53Provider::adviceFor(const net::OutgoingHttpResult& answer,
                                   const QString& zone) const {
    const QString code = xmlText(answer.body, QStringLiteral("Code"));
    if (answer.status == 403 && code != QLatin1String("AccessDenied"))
        return QStringLiteral("; AWS did not accept the access key: check its id and secret in "
                              "the stored credential, and the signing region (%1)")
            .arg(m_settings.region);
    if (answer.status == 403)
        return QStringLiteral("; the key's IAM policy does not allow this%1: add the Route 53 "
                              "actions it needs at %2")
            .arg(zone.isEmpty() ? QString()
                                : QStringLiteral(" on the hosted zone %1 (%2)")
                                      .arg(withoutDot(zone), m_zoneIds.value(zone)),
                 kIamPage);
    return HttpDnsProvider::adviceFor(answer, zone);
}

net::OutgoingHttp Route53Provider::request(const QString& method, const QString& pathAndQuery,
                                           const QByteArray& body) const {
    net::OutgoingHttp r;
    r.method = method;
    r.url = m_api.toString() + QStringLiteral("/2013-04-01") + pathAndQuery;
    r.body = body;
    if (!body.isEmpty())
        r.headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("text/xml")));
    sigv4::sign(r, {m_settings.accessKeyId, m_settings.secretAccessKey, m_settings.sessionToken},
                {m_settings.region, QStringLiteral("route53")}, Clock::system().now());
    return r;
}

awaitable<QStringList> Route53Provider::zones() {
    const QString action = QStringLiteral("list the zones");
    QStringList names;
    QString marker;
    for (int page = 0; page < 50; ++page) {
        const net::OutgoingHttpResult answer = co_await sendOk(
            request(
                QStringLiteral("GET"),
                QStringLiteral("/hostedzone?maxitems=100") +
                    (marker.isEmpty() ? QString() : QStringLiteral("&marker=") + urlPart(marker))),
            {}, action);
        for (const Fields& z : xmlBlocks(answer.body, QStringLiteral("HostedZone"))) {
            // A private zone is not what the CA sees: never a candidate.
            if (z.value(QStringLiteral("PrivateZone")) == QLatin1String("true"))
                continue;
            const QString name = absolute(z.value(QStringLiteral("Name")));
            m_zoneIds.insert(name, z.value(QStringLiteral("Id")).section(u'/', -1));
            names.append(name);
        }
        marker = xmlText(answer.body, QStringLiteral("NextMarker"));
        if (xmlText(answer.body, QStringLiteral("IsTruncated")) != QLatin1String("true") ||
            marker.isEmpty())
            break;
    }
    co_return names;
}

awaitable<QString> Route53Provider::zoneId(const QString& zone, const QString& action) {
    if (auto known = m_zoneIds.constFind(zone); known != m_zoneIds.constEnd())
        co_return *known;
    const net::OutgoingHttpResult answer = co_await sendOk(
        request(QStringLiteral("GET"),
                QStringLiteral("/hostedzonesbyname?dnsname=%1&maxitems=10").arg(urlPart(zone))),
        zone, action);
    for (const Fields& z : xmlBlocks(answer.body, QStringLiteral("HostedZone")))
        if (absolute(z.value(QStringLiteral("Name"))) == zone &&
            z.value(QStringLiteral("PrivateZone")) != QLatin1String("true")) {
            m_zoneIds.insert(zone, z.value(QStringLiteral("Id")).section(u'/', -1));
            co_return m_zoneIds.value(zone);
        }
    throw failure(action, zone,
                  QStringLiteral("Route 53 has no public hosted zone of that name for this key; "
                                 "check the zone's name and the key's account"));
}

awaitable<void> Route53Provider::readNameServers(const QString& zone, const QString& id,
                                                 const QString& action) {
    const net::OutgoingHttpResult answer = co_await sendOk(
        request(QStringLiteral("GET"), QStringLiteral("/hostedzone/") + id), zone, action);
    QStringList servers;
    for (const Fields& d : xmlBlocks(answer.body, QStringLiteral("NameServers")))
        servers += d.values(QStringLiteral("NameServer"));
    rememberNameServers(zone, servers);
}

awaitable<QStringList> Route53Provider::readTxt(const QString& zone, const QString& name, int* ttl,
                                                const QString& action) {
    const QString id = co_await zoneId(zone, action);
    const net::OutgoingHttpResult answer =
        co_await sendOk(request(QStringLiteral("GET"),
                                QStringLiteral("/hostedzone/%1/rrset?name=%2&type=TXT&maxitems=1")
                                    .arg(id, urlPart(name))),
                        zone, action);
    QStringList values;
    // The list starts at the name: the first set may be another name's.
    for (const Fields& set : xmlBlocks(answer.body, QStringLiteral("ResourceRecordSet"))) {
        if (absolute(set.value(QStringLiteral("Name"))) != name ||
            set.value(QStringLiteral("Type")) != QLatin1String("TXT"))
            continue;
        *ttl = set.value(QStringLiteral("TTL")).toInt();
        const QStringList raw = set.values(QStringLiteral("Value"));
        for (auto it = raw.crbegin(); it != raw.crend(); ++it) // QMultiHash: newest first
            values.append(*it);
    }
    co_return values;
}

awaitable<bool> Route53Provider::change(const QString& zone, const QString& name, int ttl,
                                        const QStringList& before, const QStringList& after,
                                        const QString& action) {
    QByteArray body;
    QXmlStreamWriter w(&body);
    w.writeStartDocument();
    w.writeStartElement(QStringLiteral("ChangeResourceRecordSetsRequest"));
    w.writeDefaultNamespace(kXmlns);
    w.writeStartElement(QStringLiteral("ChangeBatch"));
    w.writeTextElement(QStringLiteral("Comment"), QStringLiteral("ACME challenge (certkeeper)"));
    w.writeStartElement(QStringLiteral("Changes"));
    const auto writeChange = [&](const char* verb, const QStringList& values, int setTtl) {
        w.writeStartElement(QStringLiteral("Change"));
        w.writeTextElement(QStringLiteral("Action"), QLatin1String(verb));
        w.writeStartElement(QStringLiteral("ResourceRecordSet"));
        w.writeTextElement(QStringLiteral("Name"), name);
        w.writeTextElement(QStringLiteral("Type"), QStringLiteral("TXT"));
        w.writeTextElement(QStringLiteral("TTL"), QString::number(setTtl));
        w.writeStartElement(QStringLiteral("ResourceRecords"));
        for (const QString& v : values) {
            w.writeStartElement(QStringLiteral("ResourceRecord"));
            w.writeTextElement(QStringLiteral("Value"), v);
            w.writeEndElement();
        }
        w.writeEndElement(); // ResourceRecords
        w.writeEndElement(); // ResourceRecordSet
        w.writeEndElement(); // Change
    };
    if (!before.isEmpty())
        writeChange("DELETE", before, ttl);
    if (!after.isEmpty())
        writeChange("CREATE", after, ttl > 0 ? ttl : m_settings.ttl);
    w.writeEndDocument();
    const QString id = co_await zoneId(zone, action);
    const net::OutgoingHttpResult answer = co_await send(
        request(QStringLiteral("POST"), QStringLiteral("/hostedzone/%1/rrset/").arg(id), body),
        zone, action);
    if (answer.status == 400 && sameSetChanged(providerText(answer)))
        co_return false;
    if (!answer.ok())
        throw refusal(answer, zone, action);
    co_await waitInSync(xmlText(answer.body, QStringLiteral("Id")).section(u'/', -1), zone, action);
    co_return true;
}

awaitable<void> Route53Provider::waitInSync(const QString& changeId, const QString& zone,
                                            const QString& action) {
    // PENDING until every Route 53 server has the change: 1, 2, 4, then every 5 seconds.
    const auto start = std::chrono::steady_clock::now();
    for (int round = 0;; ++round) {
        const net::OutgoingHttpResult answer = co_await sendOk(
            request(QStringLiteral("GET"), QStringLiteral("/change/") + urlPart(changeId)), zone,
            action);
        const QString status = xmlText(answer.body, QStringLiteral("Status"));
        if (status == QLatin1String("INSYNC"))
            co_return;
        if (std::chrono::steady_clock::now() - start > m_settings.insyncTimeout)
            throw failure(action, zone,
                          QStringLiteral("the change %1 is still %2 after %3 s; Route 53 usually "
                                         "takes under a minute: try again later")
                              .arg(changeId, status)
                              .arg(m_settings.insyncTimeout.count()));
        co_await sleepFor(std::chrono::milliseconds(1000 * std::min(1 << std::min(round, 3), 5)));
    }
}

awaitable<void> Route53Provider::addTxt(const QString& zone, const QString& name,
                                        const QString& value) {
    const QString action = QStringLiteral("add the TXT record %1").arg(name);
    if (options().dnsServer.isEmpty()) {
        const QString id = co_await zoneId(zone, action);
        co_await readNameServers(zone, id, action);
    }
    const RecordSetAttempt attempt = [&]() -> awaitable<bool> {
        int ttl = 0;
        const QStringList before = co_await readTxt(zone, name, &ttl, action);
        for (const QString& v : before)
            if (unquotedTxt(v) == value)
                co_return true;
        QStringList after = before;
        after.append(quotedTxt(value));
        co_return co_await change(zone, name, ttl, before, after, action);
    };
    co_await untilUnchanged(zone, action, RecordChange::Add, attempt);
}

awaitable<void> Route53Provider::removeTxt(const QString& zone, const QString& name,
                                           const QString& value) {
    const QString action = QStringLiteral("remove the TXT record %1").arg(name);
    const RecordSetAttempt attempt = [&]() -> awaitable<bool> {
        int ttl = 0;
        const QStringList before = co_await readTxt(zone, name, &ttl, action);
        QStringList after = before;
        after.removeIf([&](const QString& v) { return unquotedTxt(v) == value; });
        if (after.size() == before.size())
            co_return true; // already gone
        co_return co_await change(zone, name, ttl, before, after, action);
    };
    co_await untilUnchanged(zone, action, RecordChange::Remove, attempt);
}

std::unique_ptr<HttpDnsProvider> makeRoute53Provider(process::ProcessRunner& runner,
                                                     Route53Settings settings,
                                                     HttpDnsOptions options) {
    return std::make_unique<Route53Provider>(runner, std::move(settings), std::move(options));
}

} // namespace ck::dnsapi
