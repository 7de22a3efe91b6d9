#pragma once
// certkeeper-cli's commands as data: each declares its name, summary, arguments and options once
// (CliCommandTable.cpp). The parser is built from that declaration, and --help, a command's own
// help and the manual page are generated from it, so none of them can drift from what the
// program accepts.

#include <QCommandLineParser>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <vector>

namespace ck::cli {

class Cli;
class Invocation;

struct OptionSpec {
    const char* name = "";              // long name, without "--"
    const char* valueName = nullptr;    // "FILE"; nullptr: a flag that takes no value
    const char* help = "";              // a sentence, for --help and the manual page
    const char* defaultValue = nullptr; // what value() answers when it is not given
    const char* shortName = nullptr;    // "f" for -f
    bool required = false;              // missing: the command's requiredError
    bool repeatable = false;            // may be given several times (values())
};

struct ArgumentSpec {
    const char* name = ""; // "ID", "DOMAIN"
    const char* help = "";
    bool optional = false;
    bool repeatable = false; // "DOMAIN...": any number from here on
};

struct CommandSpec {
    const char* name = ""; // "list"; a group's commands are "account add", "account list", ...
    const char* summary = "";
    std::vector<ArgumentSpec> arguments{};
    std::vector<OptionSpec> options{};
    // Usage errors when the positional arguments do not fit `arguments` (default: "NAME takes
    // no arguments") or a required option is missing; "%1" is the command's name.
    const char* argumentsError = nullptr;
    const char* requiredError = nullptr;
    int (Cli::*handler)(const Invocation&) = nullptr;
    // Most commands need the service at once; those that first check their input or ask for a
    // secret connect themselves, so a usage error is reported before a connection problem.
    bool connectFirst = true;
};

// Prose after the commands in --help and its own section in the manual page, with an optional
// list of terms (exit codes, CSV columns, environment variables).
struct HelpSection {
    QString title;
    QString text;
    QList<QPair<QString, QString>> entries{};
};

// The parsed command line a handler reads: options by their long name, then the arguments.
class Invocation {
public:
    explicit Invocation(const QCommandLineParser& parser)
        : m_parser(parser), m_args(parser.positionalArguments()) {}
    bool isSet(const char* option) const { return m_parser.isSet(QLatin1String(option)); }
    QString value(const char* option) const { return m_parser.value(QLatin1String(option)); }
    QStringList values(const char* option) const { return m_parser.values(QLatin1String(option)); }
    const QStringList& args() const { return m_args; }
    QString arg(qsizetype index) const { return m_args.value(index); }

private:
    const QCommandLineParser& m_parser;
    QStringList m_args;
};

// The command-line interface as a whole, for the generators below.
struct CliSpec {
    const char* program = "";
    const char* description = "";
    std::vector<OptionSpec> globalOptions;
    const std::vector<CommandSpec>& commands;
    QList<HelpSection> sections;
};

// CliHelp.cpp: `certkeeper-cli --help`, `certkeeper-cli help COMMAND` (every command of a group
// when COMMAND is one) and the roff source of certkeeper-cli(1).
QString globalHelp(const CliSpec& spec);
QString commandHelp(const CliSpec& spec, const QString& command);
QString manPage(const CliSpec& spec, const QString& version);
// "[--search TEXT]", "--name NAME", "[--set FIELD=VALUE]...": an option as a synopsis shows it.
QString optionSynopsis(const OptionSpec& option);

// The commands whose name is `group` or starts with "group ".
std::vector<const CommandSpec*> commandsIn(const std::vector<CommandSpec>& commands,
                                           const QString& group);

} // namespace ck::cli
