#pragma once
// Amazon Route 53 through its REST API (https://docs.aws.amazon.com/Route53/latest/APIReference/),
// every request signed with Signature Version 4 (dnsapi/AwsSigV4.h):
//   GET  {api}/2013-04-01/hostedzone?maxitems=100[&marker=..]        ListHostedZones
//   GET  {api}/2013-04-01/hostedzonesbyname?dnsname={zone}           ListHostedZonesByName
//   GET  {api}/2013-04-01/hostedzone/{id}                            GetHostedZone (name servers)
//   GET  {api}/2013-04-01/hostedzone/{id}/rrset?name=..&type=TXT     ListResourceRecordSets
//   POST {api}/2013-04-01/hostedzone/{id}/rrset/                     ChangeResourceRecordSets
//   GET  {api}/2013-04-01/change/{id}                                GetChange, until INSYNC
// A TXT record set is written whole, so a value is added or removed with one change batch that
// DELETEs the set as read and CREATEs it with the value added or removed: Route 53 applies the
// batch atomically and refuses it when the set changed meanwhile (then it is read again).

#include "dnsapi/AwsSigV4.h"
#include "dnsapi/HttpDnsProvider.h"

#include <QHash>
#include <QUrl>

namespace ck::dnsapi {

struct Route53Settings {
    QString accessKeyId;
    QString secretAccessKey; // a secret: only ever an HMAC key
    QString sessionToken;    // optional, for temporary credentials
    QString apiUrl;          // empty: https://route53.amazonaws.com
    QString region;          // the signing region; empty: us-east-1 (the global endpoint's)
    int ttl = 60;
    std::chrono::seconds insyncTimeout{300}; // waiting for a change to reach every server
};

class Route53Provider final : public HttpDnsProvider {
public:
    // Throws InvalidInputError naming the field when the settings cannot work.
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

} // namespace ck::dnsapi
