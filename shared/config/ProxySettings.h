#pragma once
// The HTTP proxy every outgoing HTTPS request of the service goes through (ACME to the CAs over
// Beast, DNS provider APIs, webhooks and notifications over libcurl): serviceconfig.json's
// "proxy" object, else the standard https_proxy / HTTPS_PROXY and no_proxy / NO_PROXY variables.
// An https:// destination is reached through a CONNECT tunnel, so the proxy sees only the host
// and port, never what is said inside. Qt Core only: the service, its tests and the diagnostics
// page read it alike.

#include <QJsonObject>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <optional>

namespace ck {

// serviceconfig.json: "proxy": {"url": "http://proxy.example.net:3128", "credentialId": "...",
// "noProxy": "localhost,.internal.example"}. No url: the environment's proxy, if any.
struct ProxyConfig {
    QString url;
    QString credentialId; // a stored credential of type "proxy" (user, password): Basic auth
    QString noProxy;      // comma-separated names, domain suffixes, IP addresses, or "*"
    bool isSet() const { return !url.isEmpty(); }
    QJsonObject toJson() const;
    bool operator==(const ProxyConfig&) const = default;
};

// Why `url` is not a proxy address this service can use (empty when it is one):
// http://host:port, no path, no user name (that is the credential's), port 1-65535.
// `allowUserInfo`: the environment's form, where user:password@ is the usual way to give them.
QString proxyUrlProblem(const QString& url, bool allowUserInfo = false);

// The proxy in use, resolved at start: where, with which Basic credentials, and for which
// destinations not.
struct OutgoingProxy {
    QString host; // empty: no proxy, every connection is direct
    int port = 0;
    QString user;
    QString password;    // never shown, logged or put in a message
    QStringList noProxy; // lower case: "*", "example.com" (itself and below), "10.0.0.1"
    QString source;      // "serviceconfig.json" or the variable it came from ("https_proxy")

    bool enabled() const { return !host.isEmpty(); }
    // Whether a connection to `destinationHost` goes direct (no proxy, or no_proxy names it).
    bool bypasses(const QString& destinationHost) const;
    // Whether a connection to `destinationHost` goes through the proxy.
    bool appliesTo(const QString& destinationHost) const {
        return enabled() && !bypasses(destinationHost);
    }
    QString address() const; // "http://host:port" (an IPv6 host in brackets); never the password
    // For diagnostics and the log: "http://proxy:3128 (from serviceconfig.json, as user alice;
    // not for localhost, .internal)" or "none (direct connections)".
    QString describe() const;
    bool operator==(const OutgoingProxy&) const = default;
};

// The comma (or space) separated no_proxy form, lower-cased, leading dots and ports dropped.
QStringList parseNoProxy(const QString& text);

// A proxy from its URL (already checked by proxyUrlProblem) and no_proxy text.
OutgoingProxy proxyFromUrl(const QString& url, const QString& noProxy, const QString& source);

// The environment's proxy for https: https_proxy, else HTTPS_PROXY (curl's order), with
// no_proxy, else NO_PROXY. std::nullopt when neither is set; `problem` set (and std::nullopt)
// when the variable holds no usable proxy address.
std::optional<OutgoingProxy> proxyFromEnvironment(const QProcessEnvironment& environment,
                                                  QString* problem);

} // namespace ck
