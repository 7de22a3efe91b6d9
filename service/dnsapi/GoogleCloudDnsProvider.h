#pragma once
// Google Cloud DNS (https://cloud.google.com/dns/docs/reference/rest/v1), with a service
// account's JSON key exchanged for an OAuth token (dnsapi/GoogleServiceAccount.h):
//   POST {token_uri}                                           grant type jwt-bearer
//   GET  {api}/projects/{project}/managedZones                 the zones (public ones are used)
//   GET  {api}/projects/{project}/managedZones/{zone}/rrsets?name=..&type=TXT
//   POST {api}/projects/{project}/managedZones/{zone}/changes  deletions + additions, atomic
//   GET  {api}/projects/{project}/managedZones/{zone}/changes/{id}   until "done"
// A record set is written whole: one change deletes it as read and adds it with the value added
// or removed; Cloud DNS refuses it (412 conditionNotMet, 409 alreadyExists) when the set
// changed meanwhile, and it is read again.

#include "dnsapi/GoogleServiceAccount.h"
#include "dnsapi/HttpDnsProvider.h"

#include <QHash>
#include <QJsonObject>
#include <QUrl>

namespace ck::dnsapi {

struct GoogleCloudDnsSettings {
    QByteArray serviceAccountKey; // the JSON key file's text; a secret
    QString projectId;            // empty: the key's project_id
    QString apiUrl;               // empty: https://dns.googleapis.com/dns/v1
    int ttl = 60;
    std::chrono::seconds doneTimeout{300}; // waiting for a change to be "done"
};

class GoogleCloudDnsProvider final : public HttpDnsProvider {
public:
    // Throws InvalidInputError naming the field when the settings cannot work.
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

} // namespace ck::dnsapi
