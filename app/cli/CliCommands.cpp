// The managed-certificate commands of certkeeper-cli (and status). Each runs its API calls to
// completion (waitFor) and prints either for people or, with --json, the service's JSON.

#include "cli/Cli.h"
#include "cli/CliFormat.h"
#include "cli/ExitCodes.h"
#include "cli/TextTable.h"
#include "client/BlockingCall.h"

#include <QFile>
#include <QJsonArray>
#include <QLocale>

namespace ck::cli {

QString dateText(const QDateTime& time) {
    return time.isValid() ? time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"))
                          : QString();
}

QString dateText(const QJsonValue& isoTime) {
    return dateText(QDateTime::fromString(isoTime.toString(), Qt::ISODateWithMs));
}

void printField(QTextStream& out, const QString& label, const QString& value) {
    if (!value.isEmpty())
        out << (label + QLatin1Char(':')).leftJustified(22) << value << '\n';
}

namespace {
void printRecovery(QTextStream& out, const QList<ServiceDiagnostics::Recovery>& events) {
    if (events.isEmpty()) {
        printField(out, QStringLiteral("Recovery"), QStringLiteral("none"));
        return;
    }
    printField(out, QStringLiteral("Recovery"),
               QStringLiteral("%1 event(s) at start-up").arg(events.size()));
    for (const auto& e : events) {
        out << "  - " << dateText(e.time) << ": " << e.summary << '\n';
        if (!e.quarantinedFile.isEmpty())
            out << "    damaged file kept as " << e.quarantinedFile << '\n';
        if (!e.backupUsed.isEmpty())
            out << "    restored from " << e.backupUsed << '\n';
        out << "    rows recovered: " << e.rowsRecovered
            << ", rows from backup: " << e.rowsFromBackup << '\n';
        if (!e.possiblyMissing.isEmpty())
            out << "    possibly missing: " << e.possiblyMissing << '\n';
    }
}

} // namespace

void printStatus(QTextStream& out, const QString& url, const ServiceVersion& version,
                 const ServiceDiagnostics& d) {
    printField(out, QStringLiteral("Service"),
               QStringLiteral("%1 (%2 %3, API %4)")
                   .arg(url, version.product, version.version)
                   .arg(version.apiVersion));
    printField(out, QStringLiteral("Data directory"), d.dataDir);
    printField(out, QStringLiteral("Process"),
               QStringLiteral("pid %1, started %2").arg(d.pid).arg(dateText(d.startedAt)));
    if (d.bind.negotiated)
        printField(out, QStringLiteral("Port"),
                   QStringLiteral("%1 instead of %2: %3")
                       .arg(d.bind.boundPort)
                       .arg(d.bind.requestedPort)
                       .arg(d.bind.reason));
    const auto& db = d.database;
    printField(out, QStringLiteral("Managed certificates"), QString::number(db.itemCount));
    printField(out, QStringLiteral("Database"),
               QStringLiteral("%1 (%2)").arg(db.integrity, db.path));
    const auto& backup = db.lastBackup;
    printField(out, QStringLiteral("Last backup"),
               backup.ok
                   ? QStringLiteral("%1, %2 items").arg(dateText(backup.time)).arg(backup.rows)
                   : QStringLiteral("failed: %1").arg(backup.error));
    printRecovery(out, db.recovery);
    for (const auto& notice : d.notices)
        printField(out, QStringLiteral("Notice"), notice);
    printField(out, QStringLiteral("Edition"), d.edition);
}

namespace {
void printItem(QTextStream& out, const ManagedCertificate& item) {
    const auto now = QDateTime::currentDateTimeUtc();
    printField(out, QStringLiteral("ID"), item.id);
    printField(out, QStringLiteral("Name"), item.name);
    printField(out, QStringLiteral("Status"), toString(item.health(now)));
    printField(out, QStringLiteral("Primary domain"), item.requestConfig.primaryDomain);
    printField(out, QStringLiteral("Domains"), item.domains().join(QStringLiteral(", ")));
    printField(out, QStringLiteral("IP addresses"),
               item.requestConfig.ipIdentifiers.join(QStringLiteral(", ")));
    printField(out, QStringLiteral("Expires"),
               item.dateExpiry.isValid() ? dateText(item.dateExpiry)
                                         : QStringLiteral("not issued"));
    printField(out, QStringLiteral("Renewed"), dateText(item.dateRenewed));
    printField(out, QStringLiteral("Next renewal attempt"),
               dateText(item.dateNextScheduledRenewalAttempt));
    printField(out, QStringLiteral("Last renewal"), toString(item.lastRenewalStatus));
    if (item.renewalFailureCount > 0)
        printField(
            out, QStringLiteral("Failures"),
            QStringLiteral("%1: %2").arg(item.renewalFailureCount).arg(item.renewalFailureMessage));
    printField(out, QStringLiteral("Auto-renew"),
               item.includeInAutoRenew ? QStringLiteral("yes") : QStringLiteral("no"));
    printField(out, QStringLiteral("Certificate file"), item.certificatePath);
    printField(out, QStringLiteral("Comments"), item.comments);
    printField(out, QStringLiteral("Created"), dateText(item.dateCreated));
    printField(out, QStringLiteral("Version"), QString::number(item.version));
}
} // namespace

int Cli::status(const Invocation&) {
    return serviceReport(false);
}

int Cli::serviceReport(bool full) {
    const auto version = waitFor<ServiceVersion>(
        [&](QObject* ctx, auto ok, auto failed) { m_client->appVersion(ctx, ok, failed); });
    if (!version)
        return fail(version.error);
    const auto diagnostics = waitFor<ServiceDiagnostics>(
        [&](QObject* ctx, auto ok, auto failed) { m_client->diagnostics(ctx, ok, failed); });
    if (!diagnostics)
        return fail(diagnostics.error);
    const QString url = m_client->server().baseUrl();
    if (m_globals.json && full)
        printJson(diagnostics->toJson());
    else if (m_globals.json)
        printJson({{"url", url},
                   {"appVersion", version->toJson()},
                   {"diagnostics", diagnostics->toJson()}});
    else
        printStatus(m_out, url, *version, *diagnostics);
    if (full && !m_globals.json)
        printDiagnosticsDetails(m_out, *diagnostics);
    return Success;
}

int Cli::list(const Invocation& in) {
    ListQuery query;
    query.search = in.value("search");
    query.limit = 500;
    if (in.isSet("status")) {
        query.health = healthFromString(in.value("status"));
        if (!query.health)
            return usage(QStringLiteral("--status must be one of %1")
                             .arg(allHealthNames().join(QStringLiteral(", "))));
    }
    if (const int code = connect(); code != Success)
        return code;

    ItemPage all;
    for (;;) {
        const auto page = waitFor<ItemPage>([&](QObject* ctx, auto ok, auto failed) {
            m_client->listItems(query, ctx, ok, failed);
        });
        if (!page)
            return fail(page.error);
        all.items += page->items;
        all.total = page->total;
        if (page->items.isEmpty() || all.items.size() >= page->total)
            break;
        query.offset += int(page->items.size());
    }
    all.limit = int(all.items.size());
    if (m_globals.json) {
        printJson(all.toJson());
        return Success;
    }
    if (all.items.isEmpty()) {
        m_out << (query.search.isEmpty() && !query.health ? "No managed certificates.\n"
                                                          : "No managed certificates match.\n");
        return Success;
    }
    const auto now = QDateTime::currentDateTimeUtc();
    TextTable table({QStringLiteral("ID"), QStringLiteral("NAME"), QStringLiteral("STATUS"),
                     QStringLiteral("EXPIRY"), QStringLiteral("DOMAINS")});
    for (const auto& item : all.items)
        table.addRow({item.id, item.name, toString(item.health(now)),
                      item.dateExpiry.isValid()
                          ? item.dateExpiry.toLocalTime().date().toString(Qt::ISODate)
                          : QStringLiteral("not issued"),
                      item.domains().join(QStringLiteral(", "))});
    table.print(m_out);
    return Success;
}

int Cli::show(const Invocation& in) {
    const QString id = in.arg(0);
    const auto item = waitFor<ManagedCertificate>(
        [&](QObject* ctx, auto ok, auto failed) { m_client->getItem(id, ctx, ok, failed); });
    if (!item)
        return fail(item.error);
    if (m_globals.json)
        printJson(toJson(*item));
    else
        printItem(m_out, *item);
    return Success;
}

int Cli::add(const Invocation& in) {
    ManagedCertificate item;
    item.name = in.value("name");
    item.comments = in.value("comments");
    item.certificateAuthorityId = in.value("ca");
    for (const QString& id : in.value("fallback-ca").split(u',', Qt::SkipEmptyParts))
        item.requestConfig.fallbackCertificateAuthorityIds << id.trimmed();
    item.useStagingMode = in.isSet("staging");
    item.includeInAutoRenew = !in.isSet("no-auto-renew");
    item.requestConfig.subjectAlternativeNames = in.args();
    item.requestConfig.primaryDomain = in.arg(0);
    if (in.isSet("csr")) {
        if (!in.args().isEmpty() || in.isSet("key"))
            return usage(QStringLiteral("with --csr the names and the key are the CSR's; give no "
                                        "DOMAIN and no --key"));
        QFile csr(in.value("csr"));
        if (!csr.open(QIODevice::ReadOnly))
            return usage(QStringLiteral("cannot read the CSR %1: %2")
                             .arg(in.value("csr"), csr.errorString()));
        item.requestConfig.csrPem = QString::fromLatin1(csr.read(64 * 1024));
    } else if (in.args().isEmpty()) {
        return usage(QStringLiteral("add needs at least one DOMAIN (or --csr FILE)"));
    }
    if (in.isSet("key"))
        item.requestConfig.keyAlgorithm = in.value("key");
    if (in.isSet("dns-provider") || in.isSet("credential") || in.isSet("dns-param") ||
        in.isSet("delegated-to")) {
        if (in.isSet("challenge") && in.value("challenge") != QLatin1String("dns-01"))
            return usage(QStringLiteral("--dns-provider, --credential, --dns-param and "
                                        "--delegated-to go with --challenge dns-01"));
        ChallengeConfig config;
        if (const int code = readDnsRule(in, &config); code != Success)
            return code;
        item.requestConfig.challenges = {config};
    } else if (in.isSet("challenge")) {
        ChallengeConfig config;
        config.type = in.value("challenge");
        item.requestConfig.challenges = {config};
    }
    const auto stored = waitFor<ManagedCertificate>(
        [&](QObject* ctx, auto ok, auto failed) { m_client->createItem(item, ctx, ok, failed); });
    if (!stored)
        return fail(stored.error);
    if (m_globals.json)
        printJson(toJson(*stored));
    else
        m_out << "Added “" << stored->name << "” (" << stored->id << ") for "
              << stored->domains().join(QStringLiteral(", ")) << '\n';
    return Success;
}

int Cli::remove(const Invocation& in) {
    const QString id = in.arg(0);
    const auto removed = waitFor<QString>(
        [&](QObject* ctx, auto ok, auto failed) { m_client->deleteItem(id, ctx, ok, failed); });
    return reportRemoved(removed, QStringLiteral("Removed %1").arg(id));
}

int Cli::reportRemoved(const CallResult<QString>& removed, const QString& done) {
    if (!removed)
        return fail(removed.error);
    if (m_globals.json)
        printJson({{"removed", *removed}});
    else
        m_out << done << '\n';
    return Success;
}

} // namespace ck::cli
