// certkeeper-cli's administration commands: the edition (activate, deactivate), diagnostics,
// encrypted backup packages and CSV bulk import.

#include "cli/Cli.h"
#include "cli/CliFormat.h"
#include "cli/CliSecrets.h"
#include "cli/ExitCodes.h"
#include "cli/TextTable.h"
#include "client/BlockingCall.h"
#include "csv/CsvItems.h"
#include "model/StrictDecode.h"

#include <QFile>
#include <QJsonArray>
#include <QSaveFile>

#include <cstdio>

namespace ck::cli {

namespace {
constexpr auto kLongCall = std::chrono::minutes(10); // a package or 10,000 rows
constexpr qint64 kMaxPackageBytes = 256LL * 1024 * 1024;
constexpr qint64 kMaxCsvBytes = 64LL * 1024 * 1024;
constexpr char kPassphraseEnv[] = "CERTKEEPER_BACKUP_PASSPHRASE";

QString limitText(const LicenseInfo& info) {
    return info.unlimited()
               ? QStringLiteral("%1 certificates, no limit").arg(info.itemsUsed)
               : QStringLiteral("%1 of %2 certificates").arg(info.itemsUsed).arg(info.itemLimit);
}

void printLicense(QTextStream& out, const LicenseInfo& info) {
    printField(out, QStringLiteral("Edition"), info.editionTitle());
    printField(out, QStringLiteral("Licensed to"), info.licensee);
    if (!info.licensee.isEmpty())
        printField(out, QStringLiteral("Expires"),
                   info.expires.isValid() ? dateText(info.expires) : QStringLiteral("never"));
    printField(out, QStringLiteral("In use"), limitText(info));
    printField(out, QStringLiteral("Install id"), info.installId);
    printField(out, QStringLiteral("Warning"), info.warning);
}

} // namespace

void printDiagnosticsDetails(QTextStream& out, const ServiceDiagnostics& d) {
    out << "\nLicense\n";
    printLicense(out, d.license);
    out << "\nSettings (" << d.dataDir << "/serviceconfig.json)\n";
    const QJsonObject config = d.config.toJson();
    for (auto it = config.begin(); it != config.end(); ++it)
        printField(out, QStringLiteral("  ") + it.key(), it.value().toVariant().toString());
}

namespace {
// Reads a file the user named ("-": standard input), refusing one over `limit` bytes.
std::optional<QByteArray> readInput(const QString& path, qint64 limit, QString* error) {
    QFile file;
    const bool opened = path == QLatin1String("-")
                            ? file.open(stdin, QIODevice::ReadOnly)
                            : (file.setFileName(path), file.open(QIODevice::ReadOnly));
    if (!opened) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    QByteArray data = file.read(limit + 1);
    if (data.size() > limit) {
        *error = QStringLiteral("%1 is larger than %2 MiB").arg(path).arg(limit / 1024 / 1024);
        return std::nullopt;
    }
    return data;
}

QString actionVerb(BackupImport::Action action, bool preview) {
    switch (action) {
    case BackupImport::Action::Add:
        return preview ? QStringLiteral("would add") : QStringLiteral("added");
    case BackupImport::Action::Replace:
        return preview ? QStringLiteral("would replace") : QStringLiteral("replaced");
    case BackupImport::Action::Skip:
        break;
    }
    return preview ? QStringLiteral("would skip") : QStringLiteral("skipped");
}

void printPlan(QTextStream& out, const BackupImport& plan, bool preview) {
    TextTable table({QStringLiteral("ACTION"), QStringLiteral("KIND"), QStringLiteral("ID"),
                     QStringLiteral("TITLE")});
    for (const auto& e : plan.entries)
        table.addRow({actionVerb(e.action, preview), e.kind, e.id, e.title});
    table.print(out);
    const BackupImport::Counts& counts = plan.counts;
    out << (preview ? "Preview: " : "Imported: ") << counts.add
        << (preview ? " to add, " : " added, ") << counts.replace
        << (preview ? " to replace, " : " replaced, ") << counts.skip
        << (preview ? " to skip" : " skipped") << (preview ? "; nothing was imported.\n" : ".\n");
}

// One line of the import-csv report.
struct ReportLine {
    int line = 0;
    QString status; // imported | valid | refused
    QString id;
    QString name;
    QString reason;
    bool limit = false;
    QJsonObject toJson() const {
        QJsonObject o{{"line", line}, {"status", status}, {"name", name}};
        if (!id.isEmpty())
            o.insert("id", id);
        if (!reason.isEmpty())
            o.insert("reason", reason);
        return o;
    }
};

QString reasonOf(const BatchCreateResult::Item& result) {
    return result.errors.isEmpty() ? result.reason : describeFieldErrors(result.errors);
}

QString statusOf(const BatchCreateResult::Item& result) {
    switch (result.status) {
    case BatchCreateResult::Status::Created:
        return QStringLiteral("imported");
    case BatchCreateResult::Status::Valid:
        return QStringLiteral("valid");
    case BatchCreateResult::Status::Refused:
        break;
    }
    return QStringLiteral("refused");
}
} // namespace

int Cli::activate(const Invocation& in) {
    QString key = in.arg(0);
    if (key == QLatin1String("-"))
        key = readStandardInputLine();
    if (const int code = connect(); code != Success)
        return code;
    const auto info = waitFor<LicenseInfo>([&](QObject* ctx, auto ok, auto failed) {
        m_client->activateLicense(key, ctx, ok, failed);
    });
    if (!info)
        return fail(info.error);
    if (m_globals.json) {
        printJson(info->toJson());
        return Success;
    }
    m_out << "Activated the " << info->editionTitle() << " edition for " << info->licensee
          << " on this install.\n";
    printLicense(m_out, *info);
    return Success;
}

int Cli::deactivate(const Invocation&) {
    const auto info = waitFor<LicenseInfo>(
        [&](QObject* ctx, auto ok, auto failed) { m_client->deactivateLicense(ctx, ok, failed); });
    if (!info)
        return fail(info.error);
    if (m_globals.json) {
        printJson(info->toJson());
        return Success;
    }
    m_out << "Deactivated: this install is on the Community edition again; its certificates are "
             "kept and still renew.\n";
    printLicense(m_out, *info);
    return Success;
}

int Cli::diag(const Invocation&) {
    return serviceReport(true);
}

int Cli::backupExport(const Invocation& in) {
    const QString path = in.arg(0);
    if (QFile::exists(path) && !in.isSet("force"))
        return usage(QStringLiteral("%1 exists; choose another name or add --force").arg(path));
    QString error;
    const auto passphrase = readSecret(QStringLiteral("Backup passphrase"),
                                       in.value("passphrase-file"), kPassphraseEnv, true, &error);
    if (!passphrase)
        return usage(error);
    if (const int code = connect(); code != Success)
        return code;
    const auto exported = waitFor<BackupExport>([&](QObject* ctx, auto ok, auto failed) {
        m_client->exportBackup(*passphrase, ctx, ok, failed, {kLongCall});
    });
    if (!exported)
        return fail(exported.error);
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly) ||
        !out.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner) ||
        out.write(exported->package.toLatin1()) < 0 || !out.commit()) {
        m_err << "certkeeper-cli: cannot write " << path << ": " << out.errorString() << '\n';
        return OtherError;
    }
    for (const QString& w : exported->warnings)
        m_err << "certkeeper-cli: warning: " << w << '\n';
    const BackupExport::Counts& counts = exported->counts;
    if (m_globals.json) {
        printJson({{"file", path},
                   {"counts", exported->counts.toJson()},
                   {"warnings", QJsonArray::fromStringList(exported->warnings)}});
        return Success;
    }
    m_out << "Wrote " << path << ": " << counts.items << " certificates, " << counts.credentials
          << " credentials, " << counts.certificateAuthorities << " custom CAs, " << counts.accounts
          << " accounts. Keep the passphrase: without it the package cannot be opened.\n";
    return Success;
}

int Cli::backupImport(const Invocation& in) {
    QString error;
    const auto package = readInput(in.arg(0), kMaxPackageBytes, &error);
    if (!package)
        return usage(error);
    const auto passphrase = readSecret(QStringLiteral("Backup passphrase"),
                                       in.value("passphrase-file"), kPassphraseEnv, false, &error);
    if (!passphrase)
        return usage(error);
    if (const int code = connect(); code != Success)
        return code;
    const bool previewOnly = in.isSet("preview");
    const auto result = waitFor<BackupImport>([&](QObject* ctx, auto ok, auto failed) {
        m_client->importBackup(*package, *passphrase, in.isSet("replace"), previewOnly, ctx, ok,
                               failed, {kLongCall});
    });
    if (!result)
        return fail(result.error);
    const QString limitProblem = result->limitProblem;
    if (m_globals.json)
        printJson(result->toJson());
    else
        printPlan(m_out, *result, previewOnly);
    if (!limitProblem.isEmpty()) {
        m_err << "certkeeper-cli: " << limitProblem << '\n';
        return LimitReached;
    }
    return Success;
}

int Cli::importCsv(const Invocation& in) {
    QString error;
    const auto bytes = readInput(in.arg(0), kMaxCsvBytes, &error);
    if (!bytes)
        return usage(error);
    const csv::CsvImport parsed = csv::parseItemsCsv(QString::fromUtf8(*bytes));
    if (!parsed.fileError.isEmpty()) {
        m_err << "certkeeper-cli: " << parsed.fileError << '\n';
        return InvalidInput;
    }
    if (parsed.rows.isEmpty()) {
        m_err << "certkeeper-cli: the file has no lines to import\n";
        return InvalidInput;
    }
    QList<ReportLine> report;
    QList<ManagedCertificate> items;
    QList<qsizetype> sent; // report index of each item sent
    for (const auto& row : parsed.rows) {
        ReportLine line{row.line,  QStringLiteral("refused"),
                        {},        row.item.value("name").toString(),
                        row.error, false};
        const auto item = decodeStrict(row.item, managedCertificateFromJson);
        if (line.reason.isEmpty() && !item.ok())
            line.reason = describeFieldErrors(item.errors);
        if (line.reason.isEmpty()) {
            sent << report.size();
            items << item.value;
        }
        report << line;
    }
    const bool dry = in.isSet("dry-run");
    if (!items.isEmpty()) {
        if (const int code = connect(); code != Success)
            return code;
        const auto answer = waitFor<BatchCreateResult>([&](QObject* ctx, auto ok, auto failed) {
            m_client->createItems(items, dry, ctx, ok, failed, {kLongCall});
        });
        if (!answer)
            return fail(answer.error);
        for (const BatchCreateResult::Item& r : answer->results) {
            if (r.index < 0 || r.index >= sent.size())
                continue; // not an item that was sent
            ReportLine& line = report[sent[r.index]];
            line.status = statusOf(r);
            line.id = r.id;
            line.reason = reasonOf(r);
            line.limit = r.limitReached;
        }
        for (const qsizetype k : sent)
            if (report[k].status == QLatin1String("refused") && report[k].reason.isEmpty())
                report[k].reason = QStringLiteral("the service gave no result for this line");
    }
    int accepted = 0;
    int refused = 0;
    bool onlyLimit = true;
    QJsonArray lines;
    for (const auto& line : report) {
        const bool ok = line.status != QLatin1String("refused");
        accepted += ok ? 1 : 0;
        refused += ok ? 0 : 1;
        onlyLimit = onlyLimit && (ok || line.limit);
        if (m_globals.json) {
            lines.append(line.toJson());
            continue;
        }
        m_out << "line " << line.line << ": ";
        if (line.status == QLatin1String("imported"))
            m_out << "imported “" << line.name << "” as " << line.id << '\n';
        else if (ok)
            m_out << "would import “" << line.name << "”\n";
        else
            m_out << "refused: " << line.reason << '\n';
    }
    if (m_globals.json)
        printJson(
            {{"dryRun", dry}, {"accepted", accepted}, {"refused", refused}, {"lines", lines}});
    else
        m_out << (dry ? QStringLiteral("%1 lines would be imported, %2 refused; nothing was "
                                       "imported (--dry-run).\n")
                      : QStringLiteral("%1 lines imported, %2 refused.\n"))
                     .arg(accepted)
                     .arg(refused);
    if (refused == 0)
        return Success;
    return onlyLimit ? LimitReached : InvalidInput;
}

} // namespace ck::cli
