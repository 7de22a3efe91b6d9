#pragma once
// serviceconfig.json: how the service listens and behaves. Created with defaults on first start;
// a malformed file stops the service with an error naming the file, line and field, because
// starting on guesses (another port, another host) would strand the app.

#include "config/JsonFile.h"
#include "config/ProxySettings.h"
#include "config/StoreSettings.h"

#include <QJsonObject>
#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace ck {

struct ServiceConfig {
    QString host = QStringLiteral("127.0.0.1");
    int port = 9696;
    bool enableAutoPortNegotiation = true;
    int portNegotiationRange = 10; // how many ports after `port` may be tried
    int httpChallengeServerPort = 80;
    // The CA connects from outside, over IPv4 or IPv6: "::" listens on both.
    QString httpChallengeServerHost = QStringLiteral("::");
    int tlsAlpnChallengeServerPort = 443; // the tls-alpn-01 listener, on httpChallengeServerHost
    int maxConcurrentRequests = 16;       // certificate requests running at once
    // Each step of an exchange with a CA (name lookup, connecting with TLS, sending a request
    // and reading the answer) fails after this long.
    int acmeRequestTimeoutSeconds = 30;
    // The DNS server Test asks about names ("192.0.2.53" or "192.0.2.53:5353", asked with
    // recursion desired), e.g. a public resolver, to see names as a CA would rather than as
    // this machine's (perhaps split-horizon) resolver does. Empty: the system's resolver.
    QString dnsResolver;
    // Where failure mail to root is handed over first (service/notifications/SystemNotices.h):
    // the machine's own mail server, by plain SMTP without login, as "host:port" ("localhost:25",
    // "127.0.0.1:25", "[::1]:25"). When nothing accepts it there, the local sendmail is run.
    // Empty: sendmail only.
    QString localMailServer = QStringLiteral("localhost:25");
    QString logLevel = QStringLiteral("information");
    int maxConnections = 64;
    int maxBodyBytes = 1024 * 1024;
    // A client must send a request's header, and then its body, within these (as nginx's
    // client_header_timeout and client_body_timeout); a slow body is answered 408.
    int requestHeaderTimeoutSeconds = 10;
    int requestBodyTimeoutSeconds = 30;
    // Where the managed certificates are kept: SQLite in the data directory, or PostgreSQL.
    StoreSettings store;
    // The HTTP proxy for every outgoing HTTPS request (config/ProxySettings.h). Not set: the
    // https_proxy / HTTPS_PROXY and no_proxy variables, else direct.
    ProxyConfig proxy;

    QJsonObject toJson() const;
    static std::variant<ServiceConfig, ConfigError>
    fromJson(const QJsonObject& o, const QString& file, const QString& text);
    // Reads `path`, or writes the defaults there when it does not exist.
    static std::variant<ServiceConfig, ConfigError> loadOrCreate(const QString& path);
};

// The address and port of a dnsResolver setting; std::nullopt when it is not one.
std::optional<std::pair<QString, int>> parseDnsResolver(const QString& text);

// The host (a name, or an IP address without brackets) and port of a localMailServer setting
// "host:port"; std::nullopt when it is not one (an empty one too).
std::optional<std::pair<QString, int>> parseMailServerAddress(const QString& text);

} // namespace ck
