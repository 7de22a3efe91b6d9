#include "Cli.h"

#include "BlockingCall.h"
#include "CsvItems.h"
#include "DataPaths.h"
#include "ExitCodes.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonDocument>
#include <QRegularExpression>

#include <cstdio>

namespace ck::cli {

const QList<Cli::Command>& Cli::commands() {
    static const QList<Command> table{
        {"status", &Cli::status,
         "  status                       the service's address, version, item count, database\n"
         "                               health and recovery events\n"},
        {"list", &Cli::list,
         "  list [--search TEXT] [--status HEALTH]\n"
         "                               managed certificates: id, name, status, expiry, domains\n"
         "                               (every page); HEALTH is OK, Warning, Error, AwaitingUser\n"
         "                               or NotYetIssued\n"},
        {"show", &Cli::show, "  show ID                      one managed certificate\n"},
        {"add", &Cli::add,
         "  add --name NAME [--ca ID] [--staging] [--key ALG] [--challenge TYPE]\n"
         "      [--no-auto-renew] [--comments TEXT] DOMAIN...\n"
         "                               add a managed certificate for these domains (the first\n"
         "                               is the primary domain)\n"},
        {"remove", &Cli::remove, "  remove ID                    delete a managed certificate\n"},
        {"request", &Cli::request,
         "  request ID                   request (or renew) the certificate now, showing each "
         "step\n"
         "                               until it is issued or fails\n"},
        {"renew", &Cli::renew,
         "  renew (--all | ID...) [--wait]\n"
         "                               renew the listed certificates now, or every due one;\n"
         "                               --wait follows each until it has ended\n"},
        {"revoke", &Cli::revoke,
         "  revoke ID [--reason N]       revoke the current certificate (0 unspecified, 1 key\n"
         "                               compromise, 3 affiliation changed, 4 superseded, 5\n"
         "                               cessation of operation)\n"},
        {"log", &Cli::log,
         "  log ID [--limit N] [--follow]\n"
         "                               the certificate's log (newest N entries, default 50);\n"
         "                               --follow (-f) then prints each new entry as it is\n"
         "                               written, until interrupted (Ctrl-C: exit 0) or the\n"
         "                               certificate is deleted (exit 4); if the service goes\n"
         "                               away it says so, retries and carries on; with --json\n"
         "                               one JSON object per entry and line\n"},
        {"deploy", &Cli::deploy,
         "  deploy ID [TASK]             run the certificate's post-request tasks now (or the one\n"
         "                               task TASK), without a request; exit code 8 if one "
         "failed\n"},
        {"preview", &Cli::preview,
         "  preview ID                   what a request would do, step by step, with what would\n"
         "                               go wrong (changes nothing)\n"},
        {"test", &Cli::test,
         "  test ID                      check the names, DNS, challenge responses, DNS\n"
         "                               credentials, CA and account, with advice for each "
         "failure\n"},
        {"account", &Cli::account,
         "  account list                 ACME accounts\n"
         "  account add --ca ID --email ADDRESS --agree-tos [--staging] [--key ALG]\n"
         "              [--eab-kid ID --eab-hmac KEY]\n"
         "                               register an ACME account with a CA\n"
         "  account rollover ID [--key ALG]\n"
         "                               give the account a new key (the old one stops working)\n"
         "  account remove ID            forget the account (it stays registered at the CA)\n"},
        {"credential", &Cli::credential,
         "  credential list              stored credentials (their secrets are never shown)\n"
         "  credential add --type TYPE --title TITLE [--set FIELD=VALUE]...\n"
         "                 [--secret-file FIELD=FILE]...\n"
         "                               store a credential (types: rfc2136, eab, pfx-password);\n"
         "                               secret fields are read from files or asked for\n"
         "  credential remove ID         delete a credential no certificate uses\n"},
        {"import-csv", &Cli::importCsv,
         "  import-csv [--dry-run] FILE  add managed certificates from a CSV file (- for standard\n"
         "                               input) and report every line; see CSV import below\n"},
        {"backup", &Cli::backup,
         "  backup export [--passphrase-file F] FILE\n"
         "                               write an encrypted backup package of the certificates,\n"
         "                               their files, credentials, custom CAs and accounts\n"
         "  backup import [--preview] [--replace] [--passphrase-file F] FILE\n"
         "                               restore a package: --preview lists what would be added,\n"
         "                               replaced or skipped; existing entries are kept unless\n"
         "                               --replace\n"},
        {"activate", &Cli::activate,
         "  activate KEY                 activate a license key on this install (- reads it from\n"
         "                               standard input)\n"},
        {"deactivate", &Cli::deactivate,
         "  deactivate                   remove the license; the install returns to the\n"
         "                               Community edition (5 certificates) and keeps its items\n"},
        {"diag", &Cli::diag,
         "  diag                         everything the service reports about itself: settings,\n"
         "                               port, database, backups, recovery, license, notices\n"},
    };
    return table;
}

namespace {
const char kSecretsHelp[] =
    "Passphrases and secrets are never taken from the command line, where other users can read\n"
    "them (ps, /proc) and shells keep them in history: the backup passphrase comes from\n"
    "--passphrase-file FILE, the environment variable CERTKEEPER_BACKUP_PASSPHRASE, or a prompt\n"
    "that does not echo (a line on standard input when it is not a terminal).\n";

QString csvHelp() {
    return QStringLiteral(
               "CSV import: one managed certificate per line, fields separated by commas and\n"
               "quoted with \" where they contain commas, quotes or line breaks. A first\n"
               "line of column names chooses the columns (any order, any case); without\n"
               "one, the columns are, in this order:\n") +
           csv::columnsHelp() +
           QStringLiteral(
               "  Each line is imported or refused on its own, and the report names it by\n"
               "  its line number. --dry-run checks every line with the service and\n"
               "  imports nothing. The edition's limit applies: lines past it are\n"
               "  refused.\n");
}
} // namespace

Cli::Cli()
    : m_dataDirOption(QStringLiteral("data-dir"),
                      QStringLiteral("The service's data directory, whose servers.json says where "
                                     "it listens (default: $CERTKEEPER_DATA_DIR, "
                                     "~/.local/share/certkeeper, or /var/lib/certkeeper)."),
                      QStringLiteral("dir")),
      m_serverOption(QStringLiteral("server"),
                     QStringLiteral("The id of the servers.json entry to use (default: the "
                                    "default entry)."),
                     QStringLiteral("id")),
      m_jsonOption(QStringLiteral("json"), QStringLiteral("Print the service's JSON.")),
      m_out(stdout), m_err(stderr) {}

Cli::~Cli() {
    m_out.flush();
    m_err.flush();
}

QString Cli::helpText() const {
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Manage the certificates of the Certkeeper service from a terminal or a script."));
    parser.addOptions({m_dataDirOption, m_serverOption, m_jsonOption});
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("command"), QStringLiteral("See Commands below."),
                                 QStringLiteral("COMMAND [ARGS]"));
    QString text = parser.helpText() + QStringLiteral("\nCommands:\n");
    for (const auto& command : commands())
        text += QLatin1String(command.help);
    return text + QLatin1Char('\n') + QLatin1String(kSecretsHelp) + QLatin1Char('\n') + csvHelp() +
           QLatin1Char('\n') + QLatin1String(kExitCodesHelp);
}

int Cli::usage(const QString& message) {
    m_err << "certkeeper-cli: " << message << "\nTry 'certkeeper-cli --help'.\n";
    return UsageError;
}

int Cli::fail(const ApiError& error) {
    if (error.kind == ApiError::Kind::Validation || error.kind == ApiError::Kind::BadRequest) {
        if (error.errors.isEmpty()) {
            m_err << "certkeeper-cli: " << error.detail << '\n';
        } else {
            m_err << "certkeeper-cli: " << error.title() << ":\n";
            QStringList lines;
            for (const auto& fe : error.errors) {
                // The domains were given in order on the command line; "domain 2" finds the
                // one meant faster than "requestConfig.subjectAlternativeNames[1]".
                static const QRegularExpression san(
                    QStringLiteral(R"(^requestConfig\.subjectAlternativeNames\[(\d+)\]$)"));
                const auto match = san.match(fe.field);
                QString field = fe.field;
                if (match.hasMatch())
                    field = QStringLiteral("domain %1").arg(match.captured(1).toInt() + 1);
                else if (fe.field == QLatin1String("requestConfig.primaryDomain"))
                    field = QStringLiteral("domain 1");
                lines.append(QStringLiteral("%1: %2").arg(field, fe.detail));
            }
            lines.removeDuplicates();
            for (const auto& line : lines)
                m_err << "  " << line << '\n';
        }
    } else {
        m_err << "certkeeper-cli: " << error.detail << '\n';
    }
    return exitCodeFor(error);
}

void Cli::printJson(const QJsonObject& object) {
    m_out << QJsonDocument(object).toJson(QJsonDocument::Indented);
}

bool Cli::parseCommand(QCommandLineParser& parser, const QString& command,
                       const QStringList& args) {
    parser.addOptions({m_dataDirOption, m_serverOption, m_jsonOption});
    const QStringList withProgram = QStringList{QStringLiteral("certkeeper-cli ") + command} + args;
    if (!parser.parse(withProgram))
        return false;
    // Global options may also follow the command: `certkeeper-cli list --json`.
    if (parser.isSet(m_dataDirOption))
        m_globals.dataDir = parser.value(m_dataDirOption);
    if (parser.isSet(m_serverOption))
        m_globals.serverId = parser.value(m_serverOption);
    m_globals.json = m_globals.json || parser.isSet(m_jsonOption);
    return true;
}

int Cli::connect() {
    const QString dataDir = paths::clientDataDir(m_globals.dataDir);
    const QString serversPath = paths::file(dataDir, paths::kServers);
    ServerEntry server;
    server.tokenFile = paths::file(dataDir, paths::kToken);
    if (QFileInfo::exists(serversPath)) {
        auto loaded = ServersConfig::load(serversPath);
        if (const auto* error = std::get_if<ConfigError>(&loaded)) {
            m_err << "certkeeper-cli: the list of services cannot be read: " << error->message()
                  << "\nFix the file, or delete it: the service writes it again when it starts.\n";
            return CannotConnect;
        }
        const auto& config = std::get<ServersConfig>(loaded);
        const ServerEntry* entry =
            m_globals.serverId.isEmpty() ? config.defaultServer() : config.find(m_globals.serverId);
        if (!entry && !m_globals.serverId.isEmpty()) {
            QStringList ids;
            for (const auto& s : config.servers)
                ids.append(s.id);
            return usage(
                QStringLiteral("%1 has no server '%2'; it lists: %3")
                    .arg(serversPath, m_globals.serverId,
                         ids.isEmpty() ? QStringLiteral("none") : ids.join(QStringLiteral(", "))));
        }
        if (entry)
            server = *entry;
    } else if (!m_globals.serverId.isEmpty()) {
        return usage(QStringLiteral("--server needs %1, which does not exist yet (the service "
                                    "writes it when it starts)")
                         .arg(serversPath));
    }
    m_client = std::make_unique<ApiClient>(server, dataDir);
    QObject::connect(m_client.get(), &ApiClient::serverMoved, m_client.get(),
                     [this](const ServerEntry&, const QString& explanation) {
                         m_err << "certkeeper-cli: " << explanation << '\n';
                         m_err.flush();
                     });
    return Success;
}

int Cli::dispatch(const QString& command, const QStringList& args,
                  std::initializer_list<SubCommand> subCommands) {
    QStringList names;
    for (const auto& [name, handler] : subCommands) {
        if (args.value(0) == QLatin1String(name))
            return (this->*handler)(args.mid(1));
        names << QLatin1String(name);
    }
    return usage(
        QStringLiteral("%1 needs one of: %2").arg(command, names.join(QStringLiteral(", "))));
}

int Cli::noArguments(QCommandLineParser& parser, const QString& command, const QStringList& args) {
    if (!parseCommand(parser, command, args))
        return usage(parser.errorText());
    if (!parser.positionalArguments().isEmpty())
        return usage(QStringLiteral("%1 takes no arguments").arg(command));
    return connect();
}

int Cli::run(const QStringList& arguments) {
    QCommandLineParser parser;
    parser.addOptions({m_dataDirOption, m_serverOption, m_jsonOption});
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")},
                                  QStringLiteral("Show this help."));
    const QCommandLineOption version({QStringLiteral("v"), QStringLiteral("version")},
                                     QStringLiteral("Show the version."));
    parser.addOptions({help, version});
    // Everything after the command belongs to the command, which parses its own options.
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsPositionalArguments);
    if (!parser.parse(arguments))
        return usage(parser.errorText());
    const QStringList positional = parser.positionalArguments();
    if (parser.isSet(help) || positional.value(0) == QLatin1String("help")) {
        m_out << helpText();
        return Success;
    }
    if (parser.isSet(version)) {
        m_out << "certkeeper-cli " << CERTKEEPER_VERSION << '\n';
        return Success;
    }
    if (positional.isEmpty())
        return usage(QStringLiteral("missing command (status, list, show, add, remove, ...)"));
    m_globals.dataDir = parser.value(m_dataDirOption);
    m_globals.serverId = parser.value(m_serverOption);
    m_globals.json = parser.isSet(m_jsonOption);

    const QString command = positional.first();
    const QStringList args = positional.mid(1);
    if (args.contains(QLatin1String("--help")) || args.contains(QLatin1String("-h"))) {
        m_out << helpText();
        return Success;
    }
    for (const auto& c : commands())
        if (command == QLatin1String(c.name))
            return (this->*c.handler)(args);
    return usage(QStringLiteral("unknown command '%1'").arg(command));
}

} // namespace ck::cli
