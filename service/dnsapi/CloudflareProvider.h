#pragma once
// Cloudflare's API v4 with an API token (Authorization: Bearer), as documented at
// https://developers.cloudflare.com/api/ :
//   GET    {api}/zones?page=..&per_page=50                      the zones, with their name
//                                                                servers and the token's rights
//   GET    {api}/zones/{id}/dns_records?type=TXT&name={name}   the TXT records at a name
//   POST   {api}/zones/{id}/dns_records                         one new TXT record
//   DELETE {api}/zones/{id}/dns_records/{record id}             one record
// Every value is a record of its own, so adding never touches the others at the name.

#include "dnsapi/HttpDnsProvider.h"

#include <QHash>
#include <QUrl>

namespace ck::dnsapi {

struct CloudflareSettings {
    QString apiToken; // a secret: only ever in the Authorization header
    QString apiUrl;   // empty: https://api.cloudflare.com/client/v4
    int ttl = 60;     // Cloudflare's lowest outside Enterprise plans
};

class CloudflareProvider final : public HttpDnsProvider {
public:
    // Throws InvalidInputError naming the field when the settings cannot work.
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

} // namespace ck::dnsapi
