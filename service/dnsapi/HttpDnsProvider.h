#pragma once
// The base of every dns-01 provider that speaks a DNS host's HTTP API. A provider says how to
// list its zones and how to add and remove one TXT value; the base does the rest the same way
// for all of them:
//   - the zone: the one the user named, or the longest zone the credential can see that holds
//     the record's name;
//   - one change at a time per record name (a wildcard and its base name share one name, and an
//     API that rewrites a whole record set would otherwise lose a value);
//   - the transfer: libcurl on the runner's threads with the service's time limit (proxies
//     from the environment, as every libcurl transfer of the service); 429 answers (and 503
//     with Retry-After) are waited out, Retry-After honoured, within a bounded total wait;
//   - errors: UpstreamError naming the provider, the zone, what was being done, the provider's
//     own words and what to do. The credential's secrets are never in a message;
//   - propagation: the provider's wait, then its DNS servers are asked until they show the
//     value.

#include "challenges/DnsProvider.h"
#include "challenges/DnsQuery.h"
#include "model/DnsProviderTypes.h"
#include "net/CurlTransfer.h"
#include "process/ChildProcess.h"

#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <chrono>
#include <functional>

namespace ck::dnsapi {

struct HttpDnsOptions {
    std::chrono::seconds requestTimeout{30}; // one HTTP exchange, connecting included
    // Waiting on "429 Too Many Requests": at most this long in all for one exchange, and no
    // single Retry-After longer than that is waited for (the request fails saying so).
    std::chrono::seconds maxRetryWait{120};
    int maxAttempts = 5;                 // of one exchange, the first included
    QString zone;                        // the zone the user named; empty: found from the zones
    std::chrono::seconds propagation{0}; // waited after adding, before the servers are asked
    // The credential's optional "trustedRootFile": CA certificates (PEM) trusted for the API's
    // https besides the system's. Checked to be readable when the provider is made.
    QString caFile;
    // The credential's optional "dnsServer" ("host" or "host:port"), asked until it shows a new
    // value; empty: the zone's name servers as the provider listed them, if it did.
    QString dnsServer;
};

class HttpDnsProvider : public challenges::DnsProvider {
public:
    HttpDnsProvider(process::ProcessRunner& runner, const DnsProviderType& type,
                    HttpDnsOptions options);

    // "PowerDNS Authoritative (HTTP API) at http://ns1.example.com:8081"
    QString title() const override;
    awaitable<void> present(const challenges::DnsTxtRecord& r) final;
    awaitable<void> cleanup(const challenges::DnsTxtRecord& r) final;
    awaitable<void> waitForPropagation(const challenges::DnsTxtRecord& r,
                                       std::chrono::seconds timeout) final;

    // The zones the credential can see, absolute and in lower case; reads only.
    awaitable<QStringList> listZones();
    // The zone `name` is changed in: the user's, or the longest listed zone holding it.
    // (acme-dns has no zones: its one name is where every value goes.)
    virtual awaitable<QString> zoneFor(const QString& name);
    // What the credential may do there, in a sentence for the credential test.
    virtual QString credentialScope() const = 0;

protected:
    virtual QString endpoint() const = 0; // where the API is, for titles: no secret in it
    virtual awaitable<QStringList> zones() = 0;
    // Adds `value` at `name` (absolute) and keeps every other value there; done when it is
    // there already. Throws UpstreamError (use failure()).
    virtual awaitable<void> addTxt(const QString& zone, const QString& name,
                                   const QString& value) = 0;
    // Removes exactly `value` at `name`; done when it is not there.
    virtual awaitable<void> removeTxt(const QString& zone, const QString& name,
                                      const QString& value) = 0;
    // The DNS servers asked until they show a new value; empty: only the wait. By default the
    // options' dnsServer, else the name servers remembered for the zone.
    virtual QList<challenges::dns::DnsServer> checkServers(const QString& zone) const;
    // The name asked for a value placed for `name` (absolute): itself, unless the provider
    // places it elsewhere (acme-dns: its own name, which `name` is a CNAME to).
    virtual QString checkedName(const QString& name) const { return name; }
    // The zone's authoritative servers as the provider's API names them (for checkServers).
    void rememberNameServers(const QString& zone, const QStringList& hosts);
    // The provider's own words in an answer that is not a success (its JSON error message);
    // by default the body's first line.
    virtual QString providerText(const net::OutgoingHttpResult& answer) const;
    // Whether the answer asks to slow down (waited out by send()): 429, or 503 with Retry-After.
    virtual bool isRateLimited(const net::OutgoingHttpResult& answer) const;
    // What to do about a failed answer, appended to the error ("; the token lacks ...").
    virtual QString adviceFor(const net::OutgoingHttpResult& answer, const QString& zone) const;

    // One exchange, 429 waited out; any answer is returned, a transfer that got none throws.
    // `action` says what it was for: "list the zones", "add the TXT record ...".
    awaitable<net::OutgoingHttpResult> send(net::OutgoingHttp request, const QString& zone,
                                            const QString& action);
    // send(), and anything but a 2xx answer throws, with advice for the status.
    awaitable<net::OutgoingHttpResult> sendOk(net::OutgoingHttp request, const QString& zone,
                                              const QString& action);
    // "<title>: could not <action> in the zone <zone>: <why>" (no zone: without that part).
    UpstreamError failure(const QString& action, const QString& zone, const QString& why) const;
    // The failure for an answer that is not a success: its status, the provider's words and
    // adviceFor().
    UpstreamError refusal(const net::OutgoingHttpResult& answer, const QString& zone,
                          const QString& action) const;
    // The answer's JSON object; throws failure() when it is not one.
    QJsonObject jsonObject(const net::OutgoingHttpResult& answer, const QString& zone,
                           const QString& action) const;

    // For APIs that rewrite a whole record set: `attempt` reads the set, writes the changed one
    // only if nobody changed it since the read, and says whether it is done (written, or nothing
    // to do). Tried up to three times; then throws failure() saying another program is changing
    // the name. The caller keeps `attempt` in a local (no temporary in a co_await's expression:
    // GCC 12 may destroy such a one twice).
    enum class RecordChange { Add, Remove };
    using RecordSetAttempt = std::function<awaitable<bool>()>;
    awaitable<void> untilUnchanged(const QString& zone, const QString& action, RecordChange change,
                                   const RecordSetAttempt& attempt);

    const DnsProviderType& type() const { return m_type; }
    const HttpDnsOptions& options() const { return m_options; }

private:
    awaitable<void> change(const challenges::DnsTxtRecord& r, bool add);

    process::ProcessRunner& m_runner;
    const DnsProviderType& m_type;
    HttpDnsOptions m_options;
    QHash<QString, QString> m_zones;           // record name -> its zone
    QHash<QString, QStringList> m_nameServers; // zone -> its servers as the provider names them
};

// Waits on the calling coroutine's executor.
awaitable<void> sleepFor(std::chrono::milliseconds duration);
// Lower case with a trailing dot ("example.com."), as zones and names are compared here.
QString absolute(const QString& name);
// "host", "host:port", "[v6]:port" or a bare IPv6 address; port 53 unless given. The host is
// empty when `given` cannot be read.
challenges::dns::DnsServer parseDnsServer(const QString& given);
// An API's base address: `given` (trailing slashes dropped), or `fallback` when it is empty.
// Throws InvalidInputError naming `field` unless it is an http(s) URL without user, query or
// fragment.
QUrl apiBaseUrl(const QString& given, const QString& fallback, const QString& field);
// A token sent in a header, trimmed. Throws InvalidInputError naming `field` when it is empty or
// holds spaces or line breaks: `what` names it ("The Cloudflare API token").
QString headerToken(const QString& given, const QString& what, const QString& field);
// Checks the options' caFile and dnsServer; throws InvalidInputError naming the credential field.
void checkCommonOptions(const HttpDnsOptions& options);
// "example.com." -> "example.com", as most APIs write names.
QString withoutDot(const QString& name);
// `name` (absolute) relative to `zone` (absolute): "_acme-challenge.www", or "@" for the apex.
QString relativeName(const QString& name, const QString& zone);
// Percent-encoded for one segment of a URL's path or a query value.
QString urlPart(const QString& text);
// A TXT value as a DNS API may show it, quoted or not ("\"v\"" -> "v").
QString unquotedTxt(const QString& content);

// A request to a JSON API: Accept: application/json, and the credential's header when
// `authName` is set ("Authorization", "X-API-Key").
net::OutgoingHttp jsonRequest(const QString& method, const QString& url,
                              const QByteArray& authName = {}, const QByteArray& authValue = {});
// `body`, compact, as the request's body, with its Content-Type.
void setJsonBody(net::OutgoingHttp& request, const QJsonObject& body);

// A Retry-After value (seconds, or an HTTP date) as seconds from now; -1 when absent or unreadable.
int retryAfterSeconds(const QByteArray& value);

} // namespace ck::dnsapi
