#include "preview/ChallengePlan.h"

#include "base/PathSafety.h"
#include "challenges/DnsProvider.h"
#include "challenges/DnsQuery.h"
#include "config/ServiceConfig.h"
#include "credentials/CredentialStore.h"
#include "process/ChildProcess.h"

#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QJsonArray>

#include <unistd.h>

namespace ck::preview {

namespace {
const QString kAuthorizationAdvice = QStringLiteral(
    "Change the challenge for this name in the certificate's Authorization settings");

Finding error(const QString& message, const QString& advice) {
    return Finding{message, advice, false};
}
Finding warning(const QString& message, const QString& advice) {
    return Finding{message, advice, true};
}

QString baseName(const QString& name) {
    return name.startsWith(QLatin1String("*.")) ? name.mid(2) : name;
}

// The deepest folder that exists on the way to `path`: where new folders would be created.
QString deepestExisting(QString path) {
    while (!path.isEmpty() && !QFileInfo(path).exists())
        path = QFileInfo(path).path() == path ? QString() : QFileInfo(path).path();
    return path;
}

// `http`: the http-01 listener, else the tls-alpn-01 one.
void planListener(NamePlan& plan, bool http, int port) {
    if (mayListenOn(port))
        return;
    plan.findings.append(
        error(QStringLiteral("The service may not listen on port %1: ports below 1024 need "
                             "CAP_NET_BIND_SERVICE")
                  .arg(port),
              QStringLiteral("Run the packaged system service (it has that capability), or set a "
                             "higher %1 in serviceconfig.json and forward port %2 to it")
                  .arg(http ? QStringLiteral("httpChallengeServerPort")
                            : QStringLiteral("tlsAlpnChallengeServerPort"),
                       http ? QStringLiteral("80") : QStringLiteral("443"))));
}

void planHttpListener(NamePlan& plan, const ServiceConfig& config) {
    const int port = config.httpChallengeServerPort;
    plan.method = QStringLiteral("http-01 by the built-in listener on port %1").arg(port);
    plan.description =
        QStringLiteral("The service listens on port %1 (address %2) while the CA validates and "
                       "answers `GET http://%3/.well-known/acme-challenge/<token>`; it stops "
                       "listening when the last validation is done. The CA connects to port 80 "
                       "of the addresses %3 resolves to%4.")
            .arg(port)
            .arg(mdCode(config.httpChallengeServerHost), plan.name,
                 port == 80 ? QString()
                            : QStringLiteral(", so port 80 must reach port %1 here").arg(port));
    planListener(plan, true, port);
}

void planWebroot(NamePlan& plan, const QString& dataDir) {
    const QString root = plan.config.webrootPath.trimmed();
    plan.method = QStringLiteral("http-01 by a file in the webroot %1").arg(root);
    plan.description =
        QStringLiteral(
            "A file `.well-known/acme-challenge/<token>` is written under %1 (folders "
            "created when missing, world-readable for the web server) for the web "
            "server to serve at `http://%2/.well-known/acme-challenge/<token>`; file and "
            "new folders are removed after validation.")
            .arg(mdCode(root), plan.name);
    const QFileInfo info(root);
    if (root.isEmpty()) {
        plan.findings.append(
            error(QStringLiteral("No webroot folder is set for %1").arg(plan.name),
                  QStringLiteral("Set the folder the web server serves for %1 (its document root)")
                      .arg(plan.name)));
        return;
    }
    if (const QString problem = dataDirProblem(QStringLiteral("The webroot"), root, dataDir);
        !problem.isEmpty()) {
        plan.findings.append(error(
            problem,
            QStringLiteral("Set the document root the web server uses for %1").arg(plan.name)));
        return;
    }
    if (!info.isDir()) {
        plan.findings.append(
            error(QStringLiteral("The webroot folder %1 does not exist").arg(root),
                  QStringLiteral("Create it, or set the document root the web server uses for %1")
                      .arg(plan.name)));
        return;
    }
    const QString target = root + QStringLiteral("/.well-known/acme-challenge");
    const QString existing = deepestExisting(target);
    if (::access(QFile::encodeName(existing).constData(), W_OK | X_OK) != 0)
        plan.findings.append(error(
            QStringLiteral("The service's user cannot write to %1").arg(existing),
            QStringLiteral("Give the service's user write access to %1 (for the system service "
                           "also add it to ReadWritePaths in its systemd unit)")
                .arg(existing)));
}

QString programOf(const QJsonValue& command) {
    return command.toArray().first().toString().trimmed();
}

void planScript(NamePlan& plan) {
    const QJsonObject& p = plan.config.parameters;
    const QString present = programOf(p.value(QLatin1String("presentCommand")));
    const QString cleanup = programOf(p.value(QLatin1String("cleanupCommand")));
    plan.description +=
        QStringLiteral(" The program %1 is run with CERTKEEPER_ACTION=present to create it%2.")
            .arg(mdCode(present), cleanup.isEmpty()
                                      ? QString()
                                      : QStringLiteral(", and %1 with CERTKEEPER_ACTION=cleanup to "
                                                       "remove it after validation")
                                            .arg(mdCode(cleanup)));
    for (const QString& program : {present, cleanup}) {
        if (program.isEmpty())
            continue;
        process::ProcessSpec spec;
        spec.program = program;
        QString why;
        if (process::findExecutable(spec, why).isEmpty())
            plan.findings.append(
                error(QStringLiteral("The DNS script %1").arg(why),
                      QStringLiteral("Install the script there and make it executable for the "
                                     "service's user (chmod +x), or correct the command")));
    }
    if (cleanup.isEmpty())
        plan.findings.append(warning(
            QStringLiteral("No cleanup command is set: the TXT records created for %1 stay in "
                           "the zone")
                .arg(plan.name),
            QStringLiteral("Set a cleanup command that removes the value it is given")));
}

void planDns(NamePlan& plan, const PlanContext& ctx) {
    const QString record = QStringLiteral("_acme-challenge.%1.").arg(baseName(plan.name));
    plan.description =
        QStringLiteral("A TXT record %1 holding the challenge's digest is created, checked until "
                       "it is visible, and removed after validation.")
            .arg(mdCode(record));
    plan.method = QStringLiteral("dns-01 by %1")
                      .arg(plan.config.provider.isEmpty() ? QStringLiteral("no provider")
                                                          : plan.config.provider);
    if (plan.isIp) {
        plan.findings.append(
            error(QStringLiteral("%1 is an IP address: dns-01 cannot validate it").arg(plan.name),
                  QStringLiteral("Choose http-01 or tls-alpn-01 for IP addresses")));
        return;
    }
    if (plan.config.provider == QLatin1String("rfc2136")) {
        const auto credential = ctx.credentials.find(plan.config.credentialId);
        if (credential)
            plan.description +=
                QStringLiteral(" The update is signed with the TSIG key of the stored credential "
                               "%1.")
                    .arg(mdCode(credential->title));
    }
    try {
        const auto provider = ctx.dnsProviders(plan.config);
        plan.method = QStringLiteral("dns-01 by %1").arg(provider->title());
    } catch (const DomainError& e) {
        plan.findings.append(error(e.message(), kAuthorizationAdvice));
        return;
    }
    if (plan.config.provider == QLatin1String("script"))
        planScript(plan);
}
} // namespace

QString planDelegation(NamePlan& plan, const challenges::CnameChain& chain) {
    const QString challengeName = challenges::dnsChallengeName(plan.name);
    const QString rule = plan.config.delegatedTo.trimmed();
    const QString seen = chain.followsCname() ? chain.display() : QStringLiteral("no CNAME");
    if (rule.isEmpty()) {
        if (!chain.problem.isEmpty())
            plan.findings.append(
                warning(QStringLiteral("Could not look for a CNAME at %1 (%2)")
                            .arg(challengeName, chain.problem),
                        QStringLiteral("Check the dnsResolver setting, or the system's resolver")));
        else if (chain.followsCname())
            plan.description +=
                QStringLiteral(" That name is a CNAME (%1): the record is created at its end, "
                               "%2, in the zone that holds it; the provider's credential must be "
                               "allowed to change that zone.")
                    .arg(mdCode(chain.display()), mdCode(chain.target()));
        return chain.target();
    }
    const QString target = challenges::dns::absoluteName(rule);
    plan.description += QStringLiteral(" The rule delegates it: the record is created at %1 "
                                       "instead, which %2 must be a CNAME to.")
                            .arg(mdCode(target), mdCode(challengeName));
    if (!chain.problem.isEmpty())
        plan.findings.append(
            warning(QStringLiteral("The CNAME at %1 could not be checked (%2)")
                        .arg(challengeName, chain.problem),
                    QStringLiteral("Make sure %1 is a CNAME to %2").arg(challengeName, target)));
    else if (!chain.contains(target))
        plan.findings.append(
            error(QStringLiteral("%1 is not a CNAME to %2 (%3 says: %4): the CA would not find "
                                 "the record")
                      .arg(challengeName, target, chain.resolver, seen),
                  QStringLiteral("Create the CNAME %1 → %2 where the zone of %3 is served, or "
                                 "change the delegation in the certificate's Authorization "
                                 "settings")
                      .arg(challengeName, target, plan.name)));
    else
        plan.description += QStringLiteral(" The chain is there: %1.").arg(mdCode(chain.display()));
    return target;
}

QString Finding::text() const {
    if (advice.isEmpty())
        return message;
    return message.endsWith(u'.') ? message + u' ' + advice + u'.'
                                  : message + QStringLiteral(". ") + advice + u'.';
}

bool NamePlan::hasErrors() const {
    return std::any_of(findings.begin(), findings.end(),
                       [](const Finding& f) { return !f.warning; });
}

QString mdCode(const QString& text) {
    const QString fence = text.contains(u'`') ? QStringLiteral("`` ") : QStringLiteral("`");
    const QString close = text.contains(u'`') ? QStringLiteral(" ``") : QStringLiteral("`");
    return fence + text + close;
}

bool mayListenOn(int port) {
    if (::geteuid() == 0)
        return true;
    int unprivilegedStart = 1024;
    QFile sysctl(QStringLiteral("/proc/sys/net/ipv4/ip_unprivileged_port_start"));
    if (sysctl.open(QIODevice::ReadOnly))
        unprivilegedStart = QString::fromLatin1(sysctl.readAll()).trimmed().toInt();
    if (port >= unprivilegedStart)
        return true;
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return false;
    constexpr int capNetBindService = 10;
    for (const QByteArray& line : status.readAll().split('\n'))
        if (line.startsWith("CapEff:"))
            return (line.mid(7).trimmed().toULongLong(nullptr, 16) >> capNetBindService) & 1U;
    return false;
}

QList<NamePlan> planValidation(const ManagedCertificate& item, const PlanContext& ctx) {
    QList<NamePlan> plans;
    QStringList names = item.domains();
    const qsizetype domainCount = names.size();
    names += item.requestConfig.ipIdentifiers;
    for (qsizetype i = 0; i < names.size(); ++i) {
        NamePlan plan;
        plan.name = names[i];
        plan.isIp = i >= domainCount;
        plan.config = challenges::challengeConfigFor(item.requestConfig, plan.name);
        const QString& type = plan.config.type;
        const bool wildcard = plan.name.startsWith(QLatin1String("*."));
        if (type == QLatin1String("dns-01")) {
            planDns(plan, ctx);
        } else if (type == QLatin1String("http-01") || type == QLatin1String("tls-alpn-01")) {
            if (type == QLatin1String("tls-alpn-01")) {
                const int port = ctx.config.tlsAlpnChallengeServerPort;
                plan.method =
                    QStringLiteral("tls-alpn-01 by the built-in TLS listener on port %1").arg(port);
                plan.description =
                    QStringLiteral("The service listens on port %1 while the CA validates and "
                                   "completes a TLS handshake for %2 (protocol `acme-tls/1`) with "
                                   "a validation certificate made for it; the CA connects to port "
                                   "443.")
                        .arg(port)
                        .arg(plan.name);
                planListener(plan, false, port);
            } else if (plan.config.provider == QLatin1String("webroot") ||
                       !plan.config.webrootPath.isEmpty()) {
                planWebroot(plan, ctx.dataDir);
            } else {
                planHttpListener(plan, ctx.config);
            }
            if (wildcard)
                plan.findings.prepend(
                    error(QStringLiteral("%1 is a wildcard name: only dns-01 can validate it")
                              .arg(plan.name),
                          QStringLiteral("Choose dns-01 for it in the Authorization settings")));
        } else {
            plan.method = QStringLiteral("an unknown challenge type '%1'").arg(type);
            plan.findings.append(error(QStringLiteral("'%1' is not a challenge type").arg(type),
                                       QStringLiteral("Use http-01, dns-01 or tls-alpn-01")));
        }
        plans.append(plan);
    }
    return plans;
}

QList<Finding> unusedChallengeEntries(const ManagedCertificate& item) {
    QList<Finding> unused;
    const auto& rc = item.requestConfig;
    const QStringList names = item.domains() + rc.ipIdentifiers;
    for (qsizetype i = 0; i < rc.challenges.size(); ++i) {
        if (rc.challenges[i].domainMatch.trimmed().isEmpty())
            continue;
        const bool used = std::any_of(names.begin(), names.end(), [&](const QString& name) {
            return challenges::challengeConfigFor(rc, name) == rc.challenges[i];
        });
        if (!used)
            unused.append(warning(
                QStringLiteral("Challenge setting %1 (for '%2') applies to none of the names")
                    .arg(i + 1)
                    .arg(rc.challenges[i].domainMatch),
                QStringLiteral("Correct its domain match, or remove it")));
    }
    return unused;
}

} // namespace ck::preview
