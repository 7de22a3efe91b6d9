#pragma once
// acme-dns (https://github.com/joohoi/acme-dns, README "API"): a small DNS server that holds the
// TXT values of one name per registration. The user makes _acme-challenge.<their name> a CNAME
// to that name once; afterwards no credential for their real zone is needed.
//   POST {api}/register   {"allowfrom": [...]}        -> username, password, subdomain, fulldomain
//   POST {api}/update     X-Api-User, X-Api-Key        {"subdomain", "txt"}
//   GET  {api}/health                                  200 when the server runs
// Registration happens once, in the credential test, which stores what the server returned in
// the credential and says which CNAME records to create. acme-dns keeps the two latest values
// of a registration (a wildcard and its base name fit) and cannot delete one: a value placed is
// pushed out by the next ones, so nothing is removed afterwards.

#include "credentials/CredentialStore.h"
#include "dnsapi/HttpDnsProvider.h"
#include "model/ApiResults.h"

#include <QUrl>

#include <memory>

namespace ck::dnsapi {

struct AcmeDnsSettings {
    QString apiUrl;     // empty: https://auth.acme-dns.io
    QString username;   // the registration; empty until registered
    QString password;   // a secret: only ever in the X-Api-Key header
    QString subdomain;  // "8e5700ea-..."
    QString fulldomain; // "8e5700ea-....auth.acme-dns.io": the CNAME's target
    QString allowFrom;  // networks sent when registering, "192.0.2.0/24, 2001:db8::/32"
};

class AcmeDnsProvider final : public HttpDnsProvider {
public:
    // Throws InvalidInputError naming the field when the settings cannot work.
    AcmeDnsProvider(process::ProcessRunner& runner, AcmeDnsSettings settings,
                    HttpDnsOptions options);

    QString credentialScope() const override;
    // The registration's name, for every record name (the CNAME leads there). Throws
    // InvalidInputError when the credential is not registered yet.
    awaitable<QString> zoneFor(const QString& name) override;

    // POST /api/credentials/{id}/test for an acme-dns credential: registers it when it is not
    // yet, storing what the server returned in `credential`, and says which CNAME records to
    // create; otherwise asks /health. Changes no TXT value. Never shows the password.
    awaitable<CredentialTest> testCredential(const StoredCredential& credential,
                                             credentials::CredentialStore& store);

protected:
    QString endpoint() const override;
    awaitable<QStringList> zones() override;
    awaitable<void> addTxt(const QString& zone, const QString& name, const QString& value) override;
    awaitable<void> removeTxt(const QString& zone, const QString& name,
                              const QString& value) override;
    QList<challenges::dns::DnsServer> checkServers(const QString& zone) const override;
    QString checkedName(const QString& name) const override;
    QString providerText(const net::OutgoingHttpResult& answer) const override;
    QString adviceFor(const net::OutgoingHttpResult& answer, const QString& zone) const override;

private:
    awaitable<void> registerAccount();
    net::OutgoingHttp request(const QString& path) const;
    QString cnameAdvice() const;

    AcmeDnsSettings m_settings;
    QUrl m_api;
};

// The same, for the table of providers (DnsApiProviders.cpp).
std::unique_ptr<HttpDnsProvider> makeAcmeDnsProvider(process::ProcessRunner& runner,
                                                     AcmeDnsSettings settings,
                                                     HttpDnsOptions options);

} // namespace ck::dnsapi
