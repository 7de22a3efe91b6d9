#pragma once
// certkeeper-cli: `[--data-dir DIR] [--server ID] [--json] COMMAND [ARGS]`. Each command is one
// or a few API calls, run to completion; human output by default, the service's JSON with
// --json. Errors go to stderr in the service's own words, and the exit code says what kind of
// error it was (ExitCodes.h).

#include "cli/CommandSpec.h"
#include "client/ApiClient.h"
#include "client/BlockingCall.h"

#include <QStringList>
#include <QTextStream>

#include <memory>
#include <vector>

namespace ck::cli {

class Cli {
public:
    Cli();
    ~Cli();
    int run(const QStringList& arguments);

    // The command table (CliCommandTable.cpp) and the whole interface as help and the manual
    // page describe it.
    static const std::vector<CommandSpec>& commands();
    static CliSpec spec();

private:
    struct Globals {
        QString dataDir;
        QString serverId;
        bool json = false;
    };
    static std::vector<OptionSpec> globalOptions();

    // CliCommands.cpp: the managed certificates
    int status(const Invocation& in);
    int list(const Invocation& in);
    int show(const Invocation& in);
    int add(const Invocation& in);
    int remove(const Invocation& in);
    // CliAcmeCommands.cpp: the CA
    int request(const Invocation& in);
    int revoke(const Invocation& in);
    int log(const Invocation& in);
    int accountList(const Invocation& in);
    int accountAdd(const Invocation& in);
    int accountRollover(const Invocation& in);
    int accountRemove(const Invocation& in);
    // CliCredentialCommands.cpp
    int credentialList(const Invocation& in);
    int credentialAdd(const Invocation& in);
    int credentialTypes(const Invocation& in);
    int credentialRemove(const Invocation& in);
    int credentialTest(const Invocation& in);
    // CliAdminCommands.cpp: edition, diagnostics, backup and bulk import
    int activate(const Invocation& in);
    int deactivate(const Invocation& in);
    int diag(const Invocation& in);
    int backupExport(const Invocation& in);
    int backupImport(const Invocation& in);
    int importCsv(const Invocation& in);
    // CliAdoptCommands.cpp: certificates of certbot, lego and acme.sh
    int adopt(const Invocation& in, const QString& tool);
    int adoptCertbot(const Invocation& in);
    int adoptLego(const Invocation& in);
    int adoptAcmeSh(const Invocation& in);
    // CliDnsCommands.cpp: the DNS providers, and `add`'s dns-01 rule (a usage error or a
    // failure's exit code, else Success)
    int dnsProviders(const Invocation& in);
    int readDnsRule(const Invocation& in, ChallengeConfig* rule);
    CallResult<QList<DnsProviderType>> describedProviders(); // GET /api/challengeproviders
    int renew(const Invocation& in);                         // CliRenewCommands.cpp
    int deploy(const Invocation& in);                        // CliDeployCommands.cpp
    int preview(const Invocation& in);
    int test(const Invocation& in);

    // Parses `args` (what follows the command's name) as `command` declares them, reports a
    // usage error when they do not fit, connects when the command needs that first, and runs it.
    int runCommand(const CommandSpec& command, const QStringList& args);
    int connect();
    int fail(const ApiError& error);
    int usage(const QString& message);
    // The outcome of a deletion: {"removed": id} with --json, else `done`.
    int reportRemoved(const CallResult<QString>& removed, const QString& done);
    // status and diag: the service's version and diagnostics; `full` adds the license and the
    // settings (and --json prints the diagnostics as they are).
    int serviceReport(bool full);
    void printJson(const QJsonObject& object);

    Globals m_globals;
    std::unique_ptr<ApiClient> m_client;
    QTextStream m_out;
    QTextStream m_err;
};

} // namespace ck::cli
