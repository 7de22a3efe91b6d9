#include "challenges/DnsProviders.h"

#include "challenges/Rfc2136Provider.h"
#include "challenges/ScriptDnsProvider.h"
#include "credentials/CredentialStore.h"

#include <QJsonArray>

namespace ck::challenges {

namespace {
const QString kField = QStringLiteral("requestConfig.challenges");

InvalidInputError unusable(const QString& detail) {
    return InvalidInputError(detail, kField);
}

challenges::ScriptCommand commandFrom(const QJsonValue& value) {
    challenges::ScriptCommand command;
    const QJsonArray parts = value.toArray();
    if (parts.isEmpty())
        return command;
    command.program = parts.first().toString();
    for (qsizetype i = 1; i < parts.size(); ++i)
        command.arguments << parts[i].toString();
    return command;
}

std::unique_ptr<challenges::DnsProvider> rfc2136(const ChallengeConfig& config,
                                                 credentials::CredentialStore& credentials,
                                                 process::ProcessRunner& runner) {
    const auto credential = credentials.find(config.credentialId);
    if (config.credentialId.isEmpty() || !credential)
        throw unusable(QStringLiteral("dns-01 by RFC 2136 needs a stored TSIG credential: add one "
                                      "under Stored credentials and choose it"));
    if (credential->type != QLatin1String("rfc2136"))
        throw unusable(QStringLiteral("The credential '%1' is a %2 credential, not an RFC 2136 "
                                      "TSIG key")
                           .arg(credential->title, credential->type));
    const QJsonObject v = credentials.values(config.credentialId);
    challenges::Rfc2136Settings s;
    s.server = v.value("server").toString();
    s.port = v.value("port").toString(QStringLiteral("53")).toInt();
    s.zone = config.parameters.value("zone").toString(v.value("zone").toString());
    s.tsigKeyName = v.value("keyName").toString();
    s.tsigAlgorithm = v.value("algorithm").toString(s.tsigAlgorithm);
    s.tsigSecretBase64 = v.value("secret").toString();
    s.checkNameservers = config.parameters.value("checkNameservers").toBool();
    return std::make_unique<challenges::Rfc2136Provider>(runner, s);
}

std::unique_ptr<challenges::DnsProvider> script(const ChallengeConfig& config,
                                                process::ProcessRunner& runner) {
    const QJsonObject& p = config.parameters;
    challenges::ScriptDnsSettings s;
    s.presentCommand = commandFrom(p.value("presentCommand"));
    s.cleanupCommand = commandFrom(p.value("cleanupCommand"));
    if (p.contains("timeoutSeconds"))
        s.timeout = std::chrono::seconds(p.value("timeoutSeconds").toInt(120));
    s.propagationDelaySeconds = p.value("propagationDelaySeconds").toInt(0);
    s.checkServer = p.value("checkServer").toString();
    s.checkPort = p.value("checkPort").toInt(53);
    return std::make_unique<challenges::ScriptDnsProvider>(runner, s);
}
} // namespace

DnsProviderFactory makeDnsProviderFactory(credentials::CredentialStore& credentials,
                                          process::ProcessRunner& runner) {
    return [&credentials,
            &runner](const ChallengeConfig& config) -> std::unique_ptr<challenges::DnsProvider> {
        if (config.provider == QLatin1String("rfc2136"))
            return rfc2136(config, credentials, runner);
        if (config.provider == QLatin1String("script"))
            return script(config, runner);
        throw unusable(config.provider.isEmpty()
                           ? QStringLiteral("dns-01 needs a DNS provider: rfc2136 or script")
                           : QStringLiteral("'%1' is not a DNS provider; use rfc2136 or script")
                                 .arg(config.provider));
    };
}

} // namespace ck::challenges
