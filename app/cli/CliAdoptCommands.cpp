// `certkeeper-cli adopt certbot|lego|acme.sh [PATH]`: the certificates another ACME client made,
// taken over by the service (POST /api/adoption/plan, then /apply). The plan is printed first,
// one row per lineage with what cannot be adopted and why; it is applied with --yes or when the
// user answers "yes".

#include "cli/Cli.h"
#include "cli/CliFormat.h"
#include "cli/CliSecrets.h"
#include "cli/ExitCodes.h"
#include "client/BlockingCall.h"

#include <QDir>
#include <QFileInfo>

namespace ck::cli {

namespace {
constexpr auto kLongCall = std::chrono::minutes(5); // the account's import asks the CA

void printRow(QTextStream& out, const AdoptionRow& row) {
    const char* mark = row.status == AdoptionRow::Status::Refused ? "refused" : nullptr;
    if (row.status == AdoptionRow::Status::Adopted)
        out << row.lineage << ": adopted as " << row.itemId << '\n';
    else if (mark)
        out << row.lineage << ": " << mark << ": " << row.reason << '\n';
    else
        out << row.lineage << ": would be adopted\n";
    if (!row.domains.isEmpty())
        out << "  names:     " << row.domains.join(QStringLiteral(", ")) << '\n';
    if (row.status == AdoptionRow::Status::Refused && row.caId.isEmpty())
        return;
    if (!row.keyType.isEmpty())
        out << "  key:       " << row.keyType << '\n';
    if (row.expiry.isValid())
        out << "  expires:   " << row.expiry.toUTC().toString(Qt::ISODate) << '\n';
    if (!row.caId.isEmpty())
        out << "  CA:        " << row.caId << " (" << row.server << ")\n";
    if (!row.account.isEmpty())
        out << "  account:   " << row.account << '\n';
    if (!row.challenge.isEmpty())
        out << "  challenge: " << row.challenge << '\n';
    for (const AdoptionTarget& t : row.targets)
        out << "  writes:    " << t.path << " (" << t.format << ")\n";
    for (const QString& note : row.notes)
        out << "  note:      " << note << '\n';
}

// The folder as the service must read it: absolute, and a tool's default that depends on who
// runs it (lego's ./.lego, acme.sh's ~/.acme.sh) taken from the user, not from the service.
QString folderFor(const QString& tool, const QString& given) {
    if (!given.isEmpty())
        return QFileInfo(given).absoluteFilePath();
    if (tool == adoption_tools::kLego)
        return QDir::current().absoluteFilePath(QStringLiteral(".lego"));
    if (tool == adoption_tools::kAcmeSh)
        return QDir::home().absoluteFilePath(QStringLiteral(".acme.sh"));
    return {}; // certbot's /etc/letsencrypt is the same for everyone
}
} // namespace

int Cli::adopt(const Invocation& in, const QString& tool) {
    AdoptionRequest request{tool, folderFor(tool, in.arg(0)), in.values("lineage")};
    if (const int code = connect(); code != Success)
        return code;
    auto call = [&](bool apply) {
        return waitFor<AdoptionPlan>([&](QObject* ctx, auto ok, auto failed) {
            m_client->adoptCertificates(request, apply, ctx, ok, failed, {kLongCall});
        });
    };
    const auto plan = call(false);
    if (!plan)
        return fail(plan.error);
    const bool onlyPlan = in.isSet("dry-run") || plan->adopted == 0;
    if (!onlyPlan && !in.isSet("yes") && !m_globals.json) {
        for (const auto& row : plan->rows)
            printRow(m_out, row);
        m_out << "Adopt " << plan->adopted << " certificate(s) from " << plan->path
              << "? Type yes to go on: " << Qt::flush;
        if (readStandardInputLine().trimmed().toLower() != QLatin1String("yes")) {
            m_out << "Nothing was adopted.\n";
            return Success;
        }
    }
    const auto done = onlyPlan ? plan : call(true);
    if (!done)
        return fail(done.error);
    if (m_globals.json) {
        printJson(done->toJson());
    } else {
        if (onlyPlan || in.isSet("yes"))
            for (const auto& row : done->rows)
                printRow(m_out, row);
        else
            for (const auto& row : done->rows)
                if (row.status != AdoptionRow::Status::Adoptable)
                    m_out << row.lineage << ": "
                          << (row.status == AdoptionRow::Status::Adopted
                                  ? QStringLiteral("adopted as ") + row.itemId
                                  : QStringLiteral("refused: ") + row.reason)
                          << '\n';
        if (done->applied)
            m_out << done->adopted << " adopted, " << done->refused << " refused.\n";
        else
            m_out << done->adopted << " would be adopted, " << done->refused
                  << " refused; nothing was adopted" << (in.isSet("dry-run") ? " (--dry-run)" : "")
                  << ".\n";
    }
    bool onlyLimit = true;
    for (const auto& row : done->rows)
        onlyLimit = onlyLimit && (row.status != AdoptionRow::Status::Refused || row.limitReached);
    if (done->refused == 0)
        return Success;
    return onlyLimit ? LimitReached : InvalidInput;
}

int Cli::adoptCertbot(const Invocation& in) {
    return adopt(in, adoption_tools::kCertbot);
}
int Cli::adoptLego(const Invocation& in) {
    return adopt(in, adoption_tools::kLego);
}
int Cli::adoptAcmeSh(const Invocation& in) {
    return adopt(in, adoption_tools::kAcmeSh);
}

} // namespace ck::cli
