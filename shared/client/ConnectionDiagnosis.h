#pragma once
// Why the app or CLI could not talk to the service, in words a user can act on. "Service not
// started" is what users of this kind of tool report most, and a bare "connection refused" helps
// nobody: the service may have moved to another port, failed to start (and said why in its fault
// record), be stuck, or use another data directory. Pure: reads only files, never the network.

#include "client/ApiToken.h"
#include "config/ServersConfig.h"

#include <QNetworkReply>
#include <QString>

#include <optional>

namespace ck {

enum class ConnectionFailure {
    Refused,      // nothing listening (or the connection was dropped before an answer)
    Timeout,      // connected or connecting, but no answer in time
    Unauthorized, // the service answered 401
    Other,        // host not found, protocol errors, ...
};

ConnectionFailure classifyNetworkError(QNetworkReply::NetworkError error);

struct ConnectionAttempt {
    QString dataDir;    // where servers.json and the service's fault record are
    ServerEntry server; // the entry the request went to
    ConnectionFailure failure = ConnectionFailure::Other;
    QString errorText; // Qt's words, for Other
    int timeoutSeconds = 0;
    ApiToken token;        // the token the request carried (or why it carried none)
    QString serviceDetail; // the service's own detail, for Unauthorized
};

struct ConnectionDiagnosis {
    QString explanation;
    // Set when servers.json now names another address for this server: the service moved
    // (port negotiation), and the caller should retry once with this entry.
    std::optional<ServerEntry> movedTo;
    // True when the explanation is about the token file rather than the connection.
    bool tokenProblem = false;

    static ConnectionDiagnosis diagnose(const ConnectionAttempt& attempt);
};

} // namespace ck
