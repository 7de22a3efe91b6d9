#include "cli/Cli.h"

#include "cli/ExitCodes.h"
#include "client/BlockingCall.h"
#include "config/DataPaths.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonDocument>
#include <QRegularExpression>

#include <limits>
#include <string_view>

namespace ck::cli {

Cli::Cli() : m_out(stdout), m_err(stderr) {}

Cli::~Cli() {
    m_out.flush();
    m_err.flush();
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

namespace {
QCommandLineOption toQt(const OptionSpec& spec) {
    QStringList names{QLatin1String(spec.name)};
    if (spec.shortName)
        names.prepend(QLatin1String(spec.shortName));
    QCommandLineOption option(names, QLatin1String(spec.help));
    if (spec.valueName)
        option.setValueName(QLatin1String(spec.valueName));
    if (spec.defaultValue)
        option.setDefaultValue(QLatin1String(spec.defaultValue));
    return option;
}

bool wantsHelp(const QStringList& args) {
    return args.contains(QLatin1String("--help")) || args.contains(QLatin1String("-h"));
}
} // namespace

int Cli::runCommand(const CommandSpec& command, const QStringList& args) {
    const QString name = QLatin1String(command.name);
    QCommandLineParser parser;
    for (const auto& option : globalOptions()) // --help and --version were handled before
        if (option.name != std::string_view("help") && option.name != std::string_view("version"))
            parser.addOption(toQt(option));
    for (const auto& option : command.options)
        parser.addOption(toQt(option));
    if (!parser.parse(QStringList{QStringLiteral("certkeeper-cli ") + name} + args))
        return usage(parser.errorText());
    // Global options may also follow the command: `certkeeper-cli list --json`.
    if (parser.isSet(QStringLiteral("data-dir")))
        m_globals.dataDir = parser.value(QStringLiteral("data-dir"));
    if (parser.isSet(QStringLiteral("server")))
        m_globals.serverId = parser.value(QStringLiteral("server"));
    m_globals.json = m_globals.json || parser.isSet(QStringLiteral("json"));

    for (const auto& option : command.options)
        if (option.required && !parser.isSet(QLatin1String(option.name)))
            return usage(
                QString(QLatin1String(command.requiredError)).replace(QStringLiteral("%1"), name));
    qsizetype least = 0;
    qsizetype most = 0;
    for (const auto& argument : command.arguments) {
        least += argument.optional ? 0 : 1;
        most = argument.repeatable ? std::numeric_limits<qsizetype>::max() : most + 1;
    }
    const qsizetype given = parser.positionalArguments().size();
    if (given < least || given > most)
        return usage(QString(command.argumentsError ? QLatin1String(command.argumentsError)
                                                    : QLatin1String("%1 takes no arguments"))
                         .replace(QStringLiteral("%1"), name));
    if (command.connectFirst)
        if (const int code = connect(); code != Success)
            return code;
    return (this->*command.handler)(Invocation(parser));
}

int Cli::run(const QStringList& arguments) {
    const CliSpec cli = spec();
    QCommandLineParser parser;
    for (const auto& option : cli.globalOptions)
        parser.addOption(toQt(option));
    // Prints certkeeper-cli(1); the build writes the manual page with it.
    const QCommandLineOption manpage(QStringLiteral("manpage"));
    parser.addOption(manpage);
    // Everything after the command belongs to the command, which parses its own options.
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsPositionalArguments);
    if (!parser.parse(arguments))
        return usage(parser.errorText());
    QStringList positional = parser.positionalArguments();
    if (parser.isSet(manpage)) {
        m_out << manPage(cli, QStringLiteral(CERTKEEPER_VERSION));
        return Success;
    }
    const bool helpCommand = positional.value(0) == QLatin1String("help");
    if (parser.isSet(QStringLiteral("help")) || (helpCommand && positional.size() == 1)) {
        m_out << globalHelp(cli);
        return Success;
    }
    if (parser.isSet(QStringLiteral("version"))) {
        m_out << "certkeeper-cli " << CERTKEEPER_VERSION << '\n';
        return Success;
    }
    if (positional.isEmpty())
        return usage(QStringLiteral("missing command (status, list, show, add, remove, ...)"));
    m_globals.dataDir = parser.value(QStringLiteral("data-dir"));
    m_globals.serverId = parser.value(QStringLiteral("server"));
    m_globals.json = parser.isSet(QStringLiteral("json"));

    // `help account add` and `account add --help` show the same.
    if (helpCommand)
        positional = positional.mid(1) << QStringLiteral("--help");
    const QString name = positional.first();
    const auto group = commandsIn(cli.commands, name);
    if (group.empty()) {
        if (!helpCommand && wantsHelp(positional)) { // as before commands had their own help
            m_out << globalHelp(cli);
            return Success;
        }
        return usage(QStringLiteral("unknown command '%1'").arg(name));
    }
    if (group.size() == 1 && name == QLatin1String(group.front()->name)) {
        if (wantsHelp(positional.mid(1))) {
            m_out << commandHelp(cli, name);
            return Success;
        }
        return runCommand(*group.front(), positional.mid(1));
    }
    // A group: `account add ...`.
    const QString sub = name + u' ' + positional.value(1);
    for (const CommandSpec* command : group) {
        if (sub != QLatin1String(command->name))
            continue;
        if (wantsHelp(positional.mid(2))) {
            m_out << commandHelp(cli, sub);
            return Success;
        }
        return runCommand(*command, positional.mid(2));
    }
    if (wantsHelp(positional.mid(1))) {
        m_out << commandHelp(cli, name);
        return Success;
    }
    QStringList names;
    for (const CommandSpec* command : group)
        names << QLatin1String(command->name).mid(name.size() + 1);
    return usage(QStringLiteral("%1 needs one of: %2").arg(name, names.join(QStringLiteral(", "))));
}

} // namespace ck::cli
