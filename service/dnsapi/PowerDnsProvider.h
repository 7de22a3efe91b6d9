#pragma once
// PowerDNS Authoritative through its HTTP API (api=yes in pdns.conf), X-API-Key header:
//   GET   {api}/api/v1/servers/{server}/zones                       the zones
//   GET   {api}/api/v1/servers/{server}/zones/{zone}?rrset_name=..  the TXT record set
//   PATCH {api}/api/v1/servers/{server}/zones/{zone}                REPLACE or DELETE the set
// PATCH REPLACE replaces the whole record set, so a value is added by writing back the values
// read with it added (and removed likewise); HttpDnsProvider makes changes at one name one at
// a time, and an added value is read back to be sure no other writer replaced it meanwhile.

#include "dnsapi/HttpDnsProvider.h"

#include <QHash>
#include <QUrl>

namespace ck::dnsapi {

struct PowerDnsSettings {
    QString apiUrl; // "http://ns1.example.com:8081" (the web server; /api/v1 is added)
    QString apiKey; // a secret: only ever in the X-API-Key header
    QString serverId = QStringLiteral("localhost");
    QString dnsServer; // "host" or "host:port" asked for propagation; empty: the API's host:53
    int ttl = 60;
};

class PowerDnsProvider final : public HttpDnsProvider {
public:
    // Throws InvalidInputError naming the field when the settings cannot work.
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

} // namespace ck::dnsapi
