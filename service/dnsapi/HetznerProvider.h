#pragma once
// Hetzner DNS (the DNS Console's API) with an API token in the Auth-API-Token header, as
// documented at https://dns.hetzner.com/api-docs :
//   GET    {api}/zones?page=..&per_page=100        the zones, with their name servers
//   GET    {api}/zones?name={zone}                 one zone the user named
//   GET    {api}/records?zone_id={id}              the zone's records (TXT ones are used)
//   POST   {api}/records                           one new TXT record
//   DELETE {api}/records/{record id}               one record
// Every value is a record of its own, so adding never touches the others at the name. A token
// holds for every zone of its account; there is no narrower one.

#include "dnsapi/HttpDnsProvider.h"

#include <QHash>
#include <QUrl>

namespace ck::dnsapi {

struct HetznerSettings {
    QString apiToken; // a secret: only ever in the Auth-API-Token header
    QString apiUrl;   // empty: https://dns.hetzner.com/api/v1
    int ttl = 60;
};

class HetznerProvider final : public HttpDnsProvider {
public:
    // Throws InvalidInputError naming the field when the settings cannot work.
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

} // namespace ck::dnsapi
