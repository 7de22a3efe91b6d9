#pragma once
// DigitalOcean's API v2 with a personal access token (Authorization: Bearer), as documented at
// https://docs.digitalocean.com/reference/api/api-reference/#tag/Domains and #tag/Domain-Records:
//   GET    {api}/domains?page=..&per_page=200                          the zones
//   GET    {api}/domains/{zone}/records?type=TXT&name={name}          the TXT records at a name
//   GET    {api}/domains/{zone}/records?type=NS&name={zone}           its name servers
//   POST   {api}/domains/{zone}/records                               one new TXT record
//   DELETE {api}/domains/{zone}/records/{record id}                   one record
// Every value is a record of its own, so adding never touches the others at the name.

#include "dnsapi/HttpDnsProvider.h"

#include <QSet>
#include <QUrl>

namespace ck::dnsapi {

struct DigitalOceanSettings {
    QString apiToken; // a secret: only ever in the Authorization header
    QString apiUrl;   // empty: https://api.digitalocean.com/v2
    int ttl = 30;     // DigitalOcean's lowest
};

class DigitalOceanProvider final : public HttpDnsProvider {
public:
    // Throws InvalidInputError naming the field when the settings cannot work.
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

} // namespace ck::dnsapi
