#pragma once
// Azure DNS through Azure Resource Manager (https://learn.microsoft.com/rest/api/dns/), with an
// app registration's client secret exchanged for a token (OAuth 2.0 client credentials,
// https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow):
//   POST {authority}/{tenant}/oauth2/v2.0/token                      the access token
//   GET  {arm}/subscriptions/{sub}[/resourceGroups/{rg}]/providers/Microsoft.Network/dnszones
//   GET|PUT|DELETE {arm}/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/
//        dnsZones/{zone}/TXT/{relative name}?api-version=2018-05-01
// A record set is written whole: a value is added or removed by writing the set read back with
// If-Match on its etag (If-None-Match: * when it is new), so a set changed meanwhile is refused
// (412) and read again instead of losing the other writer's value. The authority and Resource
// Manager addresses are settings, for the sovereign clouds (Azure US Government, China).

#include "dnsapi/HttpDnsProvider.h"

#include <QHash>
#include <QUrl>

namespace ck::dnsapi {

struct AzureDnsSettings {
    QString tenantId;
    QString clientId;
    QString clientSecret; // a secret: only ever in the token request's body
    QString subscriptionId;
    QString resourceGroup; // optional: only the zones of this group
    QString apiUrl;        // Resource Manager; empty: https://management.azure.com
    QString authorityUrl;  // Entra ID; empty: https://login.microsoftonline.com
    int ttl = 60;
};

class AzureDnsProvider final : public HttpDnsProvider {
public:
    // Throws InvalidInputError naming the field when the settings cannot work.
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

} // namespace ck::dnsapi
