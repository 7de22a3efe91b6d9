#include "client/ConnectionDiagnosis.h"

#include "config/DataPaths.h"
#include "config/FaultRecord.h"

#include <QLocale>

namespace ck {

namespace {
QString hostPort(const ServerEntry& s) {
    return s.host.contains(u':') ? QStringLiteral("[%1]:%2").arg(s.host).arg(s.port)
                                 : QStringLiteral("%1:%2").arg(s.host).arg(s.port);
}

// The entry servers.json holds now for the server that was tried, if it names another address.
std::optional<ServerEntry> movedEntry(const QString& dataDir, const ServerEntry& tried) {
    auto loaded = ServersConfig::load(paths::file(dataDir, paths::kServers));
    const auto* config = std::get_if<ServersConfig>(&loaded);
    if (!config)
        return std::nullopt;
    const ServerEntry* now = config->find(tried.id);
    if (!now || (now->host == tried.host && now->port == tried.port))
        return std::nullopt;
    return *now;
}

QString faultExplanation(const FaultRecord& fault, const ServerEntry& server) {
    const QString when = fault.time.isValid()
                             ? QLocale().toString(fault.time.toLocalTime(), QLocale::ShortFormat)
                             : QStringLiteral("an unknown time");
    return QStringLiteral("The Certkeeper service is not running: it stopped at %1 because it "
                          "could not start.\n%2\n(Nothing is listening on %3.)")
        .arg(when, fault.message, hostPort(server));
}

QString notRunning(const ConnectionAttempt& a) {
    QString text = QStringLiteral("The Certkeeper service is not running (nothing is listening on "
                                  "%1). Start it with `systemctl start certkeeper-service` or "
                                  "`make run`.")
                       .arg(hostPort(a.server));
    if (a.token.status == ApiToken::Status::Missing && !a.token.path.isEmpty())
        text += QStringLiteral("\nIts token file %1 does not exist either, so it has perhaps never "
                               "run with this data directory (%2).")
                    .arg(a.token.path, a.dataDir);
    return text;
}

QString unauthorized(const ConnectionAttempt& a, bool* tokenProblem) {
    if (!a.token.ok()) {
        *tokenProblem = true;
        return a.token.problem;
    }
    QString text = QStringLiteral("The token in %1 does not match the service's: the service on "
                                  "%2 may use another data directory than %3. Start it with "
                                  "--data-dir %3, or point this program at its data directory.")
                       .arg(a.token.path, hostPort(a.server), a.dataDir);
    if (!a.serviceDetail.isEmpty())
        text += QStringLiteral("\n(The service said: %1)").arg(a.serviceDetail);
    return text;
}
} // namespace

ConnectionFailure classifyNetworkError(QNetworkReply::NetworkError error) {
    switch (error) {
    case QNetworkReply::ConnectionRefusedError:
    case QNetworkReply::RemoteHostClosedError:
        return ConnectionFailure::Refused;
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError: // what a transfer timeout reports
        return ConnectionFailure::Timeout;
    case QNetworkReply::AuthenticationRequiredError:
        return ConnectionFailure::Unauthorized;
    default:
        return ConnectionFailure::Other;
    }
}

ConnectionDiagnosis ConnectionDiagnosis::diagnose(const ConnectionAttempt& a) {
    ConnectionDiagnosis d;
    switch (a.failure) {
    case ConnectionFailure::Refused:
        // Moved first: a fault record may be older than the start that moved the service.
        if (auto moved = movedEntry(a.dataDir, a.server)) {
            d.movedTo = moved;
            d.explanation = QStringLiteral("The service moved to port %1 (it was on %2); "
                                           "reconnecting.")
                                .arg(moved->port)
                                .arg(a.server.port);
        } else if (auto fault = FaultRecord::read(a.dataDir)) {
            d.explanation = faultExplanation(*fault, a.server);
        } else {
            d.explanation = notRunning(a);
        }
        break;
    case ConnectionFailure::Timeout:
        d.explanation = QStringLiteral("The service on %1 did not answer within %2 s. It may be "
                                       "busy or stuck, or security software may be holding the "
                                       "connection. Its log is in %3/logs/service.log.")
                            .arg(hostPort(a.server))
                            .arg(a.timeoutSeconds)
                            .arg(a.dataDir);
        break;
    case ConnectionFailure::Unauthorized:
        d.explanation = unauthorized(a, &d.tokenProblem);
        break;
    case ConnectionFailure::Other:
        d.explanation = QStringLiteral("Cannot reach the Certkeeper service at %1: %2")
                            .arg(a.server.baseUrl(), a.errorText);
        break;
    }
    return d;
}

} // namespace ck
