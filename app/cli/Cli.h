#pragma once
// certkeeper-cli: `[--data-dir DIR] [--server ID] [--json] COMMAND [ARGS]`. Each command is one
// or a few API calls, run to completion; human output by default, the service's JSON with
// --json. Errors go to stderr in the service's own words, and the exit code says what kind of
// error it was (ExitCodes.h).

#include "ApiClient.h"
#include "BlockingCall.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QStringList>
#include <QTextStream>

#include <initializer_list>
#include <memory>
#include <utility>

namespace ck::cli {

class Cli {
public:
    Cli();
    ~Cli();
    int run(const QStringList& arguments);

private:
    struct Globals {
        QString dataDir;
        QString serverId;
        bool json = false;
    };

    // One row per command: its name, the member that runs it (with the arguments after the
    // name) and its lines of --help. Add a command by adding a row in Cli.cpp.
    struct Command {
        const char* name;
        int (Cli::*handler)(const QStringList& args);
        const char* help;
    };
    static const QList<Command>& commands();

    // CliCommands.cpp: the managed certificates
    int status(const QStringList& args);
    int list(const QStringList& args);
    int show(const QStringList& args);
    int add(const QStringList& args);
    int remove(const QStringList& args);
    // CliAcmeCommands.cpp: the CA
    int request(const QStringList& args);
    int revoke(const QStringList& args);
    int log(const QStringList& args);
    int account(const QStringList& args);
    int accountList(const QStringList& args);
    int accountAdd(const QStringList& args);
    int accountRollover(const QStringList& args);
    int accountRemove(const QStringList& args);
    // CliCredentialCommands.cpp
    int credential(const QStringList& args);
    int credentialList(const QStringList& args);
    int credentialAdd(const QStringList& args);
    int credentialRemove(const QStringList& args);
    // CliAdminCommands.cpp: edition, diagnostics, backup and bulk import
    int activate(const QStringList& args);
    int deactivate(const QStringList& args);
    int diag(const QStringList& args);
    int backup(const QStringList& args);
    int backupExport(const QStringList& args);
    int backupImport(const QStringList& args);
    int importCsv(const QStringList& args);
    int renew(const QStringList& args);  // CliRenewCommands.cpp
    int deploy(const QStringList& args); // CliDeployCommands.cpp
    int preview(const QStringList& args);
    int test(const QStringList& args);

    // Runs the sub-command named by args[0] (e.g. "account add"), or a usage error naming them.
    using SubCommand = std::pair<const char*, int (Cli::*)(const QStringList&)>;
    int dispatch(const QString& command, const QStringList& args,
                 std::initializer_list<SubCommand> subCommands);
    // Parses a command's own options (the global ones are accepted there too).
    bool parseCommand(QCommandLineParser& parser, const QString& command, const QStringList& args);
    int connect();
    int fail(const ApiError& error);
    // One positional ID after the command's options, or a usage error (returned as non-zero).
    int singleId(QCommandLineParser& parser, const QString& command, const QStringList& args,
                 QString* id);
    // No positional arguments after the command's options, then connect().
    int noArguments(QCommandLineParser& parser, const QString& command, const QStringList& args);
    int usage(const QString& message);
    // The outcome of a deletion: {"removed": id} with --json, else `done`.
    int reportRemoved(const CallResult<QString>& removed, const QString& done);
    // status and diag: the service's version and diagnostics; `full` adds the license and the
    // settings (and --json prints the diagnostics as they are).
    int serviceReport(const QString& command, const QStringList& args, bool full);
    QString helpText() const;
    void printJson(const QJsonObject& object);

    QCommandLineOption m_dataDirOption;
    QCommandLineOption m_serverOption;
    QCommandLineOption m_jsonOption;
    Globals m_globals;
    std::unique_ptr<ApiClient> m_client;
    QTextStream m_out;
    QTextStream m_err;
};

} // namespace ck::cli
