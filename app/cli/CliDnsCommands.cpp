// certkeeper-cli dns-providers, and the dns-01 options of `add`: the providers as the service
// describes them (GET /api/challengeproviders), so that each one, its credential type and its
// parameters are offered here the same way as in the window, without a list of our own.

#include "cli/Cli.h"
#include "cli/ExitCodes.h"
#include "cli/TextTable.h"
#include "client/BlockingCall.h"
#include "model/TaskValidation.h"

#include <QJsonArray>

namespace ck::cli {

namespace {
// A parameter's value as typed on the command line, in the JSON type its kind takes; nullopt
// with `error` set when it cannot be one.
std::optional<QJsonValue> parameterValue(const TaskParameterSpec& spec, const QString& text,
                                         QString* error) {
    switch (spec.kind) {
    case TaskParameterKind::Int: {
        bool ok = false;
        const int n = text.trimmed().toInt(&ok);
        if (!ok)
            *error = QStringLiteral("%1 takes a whole number, not '%2'").arg(spec.key, text);
        return ok ? std::optional<QJsonValue>(n) : std::nullopt;
    }
    case TaskParameterKind::Bool: {
        const QString t = text.trimmed().toLower();
        if (t == QLatin1String("true") || t == QLatin1String("yes") || t == QLatin1String("1"))
            return QJsonValue(true);
        if (t == QLatin1String("false") || t == QLatin1String("no") || t == QLatin1String("0"))
            return QJsonValue(false);
        *error = QStringLiteral("%1 takes true or false, not '%2'").arg(spec.key, text);
        return std::nullopt;
    }
    case TaskParameterKind::Command: {
        const auto words = splitCommandLine(text);
        if (!words)
            *error = QStringLiteral("%1: a quote is not closed in '%2'").arg(spec.key, text);
        return words ? std::optional<QJsonValue>(QJsonArray::fromStringList(*words)) : std::nullopt;
    }
    default:
        return QJsonValue(text);
    }
}
} // namespace

CallResult<QList<DnsProviderType>> Cli::describedProviders() {
    return waitFor<QList<DnsProviderType>>(
        [&](QObject* ctx, auto ok, auto failed) { m_client->challengeProviders(ctx, ok, failed); });
}

int Cli::dnsProviders(const Invocation&) {
    const auto providers = describedProviders();
    if (!providers)
        return fail(providers.error);
    if (m_globals.json) {
        QJsonArray list;
        for (const DnsProviderType& p : *providers)
            list.append(p.toJson());
        printJson({{"providers", list}});
        return Success;
    }
    TextTable table({QStringLiteral("ID"), QStringLiteral("TITLE"), QStringLiteral("CREDENTIAL"),
                     QStringLiteral("PARAMETERS")});
    for (const DnsProviderType& p : *providers) {
        QStringList keys;
        for (const TaskParameterSpec& spec : p.parameters)
            keys << spec.key;
        table.addRow({p.id, p.title,
                      p.credentialType.isEmpty() ? QStringLiteral("-") : p.credentialType,
                      keys.join(QStringLiteral(", "))});
    }
    table.print(m_out);
    return Success;
}

int Cli::readDnsRule(const Invocation& in, ChallengeConfig* rule) {
    rule->type = QStringLiteral("dns-01");
    rule->provider = in.value("dns-provider");
    rule->credentialId = in.value("credential");
    rule->delegatedTo = in.value("delegated-to");
    const QStringList assignments = in.values("dns-param");
    if (assignments.isEmpty())
        return Success;
    const auto providers = describedProviders();
    if (!providers)
        return fail(providers.error);
    const QString id = rule->provider.isEmpty() ? QStringLiteral("rfc2136") : rule->provider;
    const auto provider = std::find_if(providers->begin(), providers->end(),
                                       [&](const DnsProviderType& p) { return p.id == id; });
    if (provider == providers->end())
        return usage(QStringLiteral("'%1' is not a DNS provider of this service; "
                                    "'certkeeper-cli dns-providers' lists them")
                         .arg(id));
    for (const QString& assignment : assignments) {
        const qsizetype eq = assignment.indexOf(u'=');
        const QString key = assignment.left(eq);
        const auto spec = std::find_if(provider->parameters.begin(), provider->parameters.end(),
                                       [&](const TaskParameterSpec& s) { return s.key == key; });
        if (eq <= 0 || spec == provider->parameters.end()) {
            QStringList keys;
            for (const TaskParameterSpec& s : provider->parameters)
                keys << s.key;
            return usage(QStringLiteral("--dns-param takes KEY=VALUE with a parameter of %1: %2")
                             .arg(provider->title, keys.join(QStringLiteral(", "))));
        }
        QString error;
        const auto value = parameterValue(*spec, assignment.mid(eq + 1), &error);
        if (!value)
            return usage(error);
        rule->parameters.insert(key, *value);
    }
    return Success;
}

} // namespace ck::cli
