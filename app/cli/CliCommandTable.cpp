// Every command of certkeeper-cli, declared once: its name, summary, arguments and options. The
// parser (Cli::runCommand), --help, `help COMMAND` and certkeeper-cli(1) all read this table.
// Add a command by adding an entry here and its handler in one of the Cli*Commands.cpp files.

#include "cli/Cli.h"
#include "cli/ExitCodes.h"
#include "csv/CsvItems.h"

namespace ck::cli {

namespace {
const ArgumentSpec kItemId{.name = "ID",
                           .help = "the managed certificate's id (see 'certkeeper-cli list')"};
constexpr char kNeedsOneId[] = "%1 needs one ID (see 'certkeeper-cli list')";

const OptionSpec kStaging{.name = "staging", .help = "Use the CA's staging environment."};

// `adopt TOOL [PATH]`: the options and the folder argument every tool shares.
const std::vector<OptionSpec> kAdoptOptions{
    {.name = "dry-run", .help = "Show the plan (one row per lineage); adopt nothing."},
    {.name = "yes", .help = "Adopt without asking (scripts)."},
    {.name = "lineage",
     .valueName = "NAME",
     .help = "Only this lineage (as the plan names it); repeatable.",
     .repeatable = true}};
ArgumentSpec adoptFolder(const char* help) {
    return {.name = "PATH", .help = help, .optional = true};
}

const OptionSpec kPassphraseFile{
    .name = "passphrase-file",
    .valueName = "FILE",
    .help = "Read the passphrase from the first line of FILE (see Passphrases and secrets)."};

} // namespace

const std::vector<CommandSpec>& Cli::commands() {
    static const std::vector<CommandSpec> table{
        {.name = "status",
         .summary = "the service's address, version, item count, database health and recovery "
                    "events",
         .handler = &Cli::status},
        {.name = "list",
         .summary = "managed certificates: id, name, status, expiry, domains (every page)",
         .options = {{.name = "search",
                      .valueName = "TEXT",
                      .help = "Only names and domains containing TEXT."},
                     {.name = "status",
                      .valueName = "HEALTH",
                      .help = "Only items with this health: OK, Warning, Error, AwaitingUser or "
                              "NotYetIssued."}},
         .argumentsError = "list takes no arguments; use --search TEXT",
         .handler = &Cli::list,
         .connectFirst = false},
        {.name = "show",
         .summary = "one managed certificate",
         .arguments = {kItemId},
         .argumentsError = kNeedsOneId,
         .handler = &Cli::show},
        {.name = "add",
         .summary = "add a managed certificate for these domains",
         .arguments = {{.name = "DOMAIN",
                        .help = "the names on the certificate; the first is the primary domain "
                                "(none with --csr: the CSR's names are the certificate's)",
                        .optional = true,
                        .repeatable = true}},
         .options =
             {{.name = "name",
               .valueName = "NAME",
               .help = "A name for the certificate.",
               .required = true},
              {.name = "ca", .valueName = "ID", .help = "The CA's id (default: the default CA)."},
              {.name = "fallback-ca",
               .valueName = "IDS",
               .help = "CAs to ask, in order, when the CA fails the request itself "
                       "(comma-separated ids, each with an ACME account)."},
              kStaging,
              {.name = "key",
               .valueName = "ALG",
               .help =
                   "Key algorithm: ecdsa-p256 (default), ecdsa-p384, rsa2048, rsa3072 or rsa4096."},
              {.name = "challenge",
               .valueName = "TYPE",
               .help = "How the names are proven: http-01, dns-01 or tls-alpn-01."},
              {.name = "dns-provider",
               .valueName = "ID",
               .help = "dns-01 by this DNS provider ('dns-providers' lists them; default "
                       "rfc2136)."},
              {.name = "credential",
               .valueName = "ID",
               .help = "The stored credential the DNS provider uses ('credential list')."},
              {.name = "dns-param",
               .valueName = "KEY=VALUE",
               .help = "A parameter of the DNS provider, such as zone=example.com; repeatable.",
               .repeatable = true},
              {.name = "delegated-to",
               .valueName = "NAME",
               .help = "Where _acme-challenge.<name> is a CNAME to, when it leads into another "
                       "zone: the record is placed there."},
              {.name = "no-auto-renew", .help = "Leave it out of automatic renewal."},
              {.name = "csr",
               .valueName = "FILE",
               .help = "Your own CSR (PEM): its names are the certificate's and its key stays "
                       "yours; Certkeeper makes no key. See Your own CSR."},
              {.name = "comments", .valueName = "TEXT", .help = "Free text."}},
         .argumentsError = "add needs at least one DOMAIN",
         .requiredError = "add needs --name NAME",
         .handler = &Cli::add},
        {.name = "remove",
         .summary = "delete a managed certificate",
         .arguments = {kItemId},
         .argumentsError = kNeedsOneId,
         .handler = &Cli::remove},
        {.name = "request",
         .summary = "request (or renew) the certificate now, showing each step until it is "
                    "issued or fails; exit code 8 if it fails",
         .arguments = {kItemId},
         .argumentsError = kNeedsOneId,
         .handler = &Cli::request},
        {.name = "renew",
         .summary = "renew the listed certificates now, or with --all every one that is due",
         .arguments = {{.name = "ID",
                        .help = "the managed certificates to renew",
                        .optional = true,
                        .repeatable = true}},
         .options = {{.name = "all", .help = "Every certificate that is due for renewal."},
                     {.name = "wait",
                      .help = "Follow each renewal until it has ended; exit code 8 if one "
                              "failed."}},
         .handler = &Cli::renew,
         .connectFirst = false},
        {.name = "revoke",
         .summary = "revoke the current certificate",
         .arguments = {kItemId},
         .options = {{.name = "reason",
                      .valueName = "N",
                      .help = "RFC 5280 reason code: 0 unspecified, 1 key compromise, 3 "
                              "affiliation changed, 4 superseded, 5 cessation of operation.",
                      .defaultValue = "0"}},
         .argumentsError = kNeedsOneId,
         .handler = &Cli::revoke},
        {.name = "log",
         .summary = "the certificate's newest log entries",
         .arguments = {kItemId},
         .options = {{.name = "limit",
                      .valueName = "N",
                      .help = "The newest N entries.",
                      .defaultValue = "50"},
                     {.name = "follow",
                      .help = "Then print each new entry as it is written, until interrupted "
                              "(Ctrl-C: exit 0) or the certificate is deleted (exit 4). If the "
                              "service goes away it says so, retries and carries on. With --json "
                              "one JSON object per entry and line.",
                      .shortName = "f"}},
         .argumentsError = kNeedsOneId,
         .handler = &Cli::log},
        {.name = "deploy",
         .summary = "run the certificate's post-request tasks now, or the one task TASK, without "
                    "a request; exit code 8 if one failed",
         .arguments = {kItemId,
                       {.name = "TASK",
                        .help = "a task's id (see 'certkeeper-cli show ID')",
                        .optional = true}},
         .argumentsError = "deploy needs an ID and, to run one task, its TASK id (see "
                           "'certkeeper-cli show ID')",
         .handler = &Cli::deploy},
        {.name = "preview",
         .summary = "what a request would do, step by step, with what would go wrong (changes "
                    "nothing); exit code 10 if something would stop the request",
         .arguments = {kItemId},
         .argumentsError = kNeedsOneId,
         .handler = &Cli::preview},
        {.name = "test",
         .summary = "check the names, DNS, challenge responses, DNS credentials, CA and account, "
                    "with advice for each failure; exit code 10 if one would make a request fail",
         .arguments = {kItemId},
         .argumentsError = kNeedsOneId,
         .handler = &Cli::test},
        {.name = "account list", .summary = "ACME accounts", .handler = &Cli::accountList},
        {.name = "account add",
         .summary = "register an ACME account with a CA",
         .options =
             {{.name = "ca",
               .valueName = "ID",
               .help = "The CA: letsencrypt, zerossl, google, sslcom or a custom "
                       "CA's id.",
               .required = true},
              {.name = "email",
               .valueName = "ADDRESS",
               .help = "The contact address.",
               .required = true},
              {.name = "agree-tos", .help = "Accept the CA's terms of service."},
              kStaging,
              {.name = "key",
               .valueName = "ALG",
               .help =
                   "Account key algorithm: ecdsa-p256, ecdsa-p384, rsa2048, rsa3072 or rsa4096.",
               .defaultValue = "ecdsa-p256"},
              {.name = "eab-kid",
               .valueName = "ID",
               .help = "External Account Binding key id, for CAs that need one."},
              {.name = "eab-hmac",
               .valueName = "KEY",
               .help = "External Account Binding HMAC key (base64url)."}},
         .requiredError = "account add needs --ca ID and --email ADDRESS",
         .handler = &Cli::accountAdd},
        {.name = "account rollover",
         .summary = "give the account a new key (the old one stops working)",
         .arguments = {{.name = "ID",
                        .help = "the account's id (see 'certkeeper-cli account "
                                "list')"}},
         .options = {{.name = "key",
                      .valueName = "ALG",
                      .help = "Algorithm of the new key (default: as now)."}},
         .argumentsError = kNeedsOneId,
         .handler = &Cli::accountRollover},
        {.name = "account remove",
         .summary = "forget the account (it stays registered at the CA)",
         .arguments = {{.name = "ID", .help = "the account's id"}},
         .argumentsError = kNeedsOneId,
         .handler = &Cli::accountRemove},
        {.name = "dns-providers",
         .summary = "the DNS providers the service offers for dns-01: id, title, the credential "
                    "type each takes, and its parameters",
         .handler = &Cli::dnsProviders},
        {.name = "credential list",
         .summary = "stored credentials (their secrets are never shown)",
         .handler = &Cli::credentialList},
        {.name = "credential add",
         .summary = "store a credential; secret fields are read from files or asked for",
         .options =
             {{.name = "type",
               .valueName = "TYPE",
               .help = "rfc2136, a DNS provider's id (powerdns, cloudflare, lexicon:gandi, "
                       "...), eab, pfx-password or smtp-password: 'certkeeper-cli credential "
                       "types' lists the service's types, and with a TYPE its fields.",
               .required = true},
              {.name = "title", .valueName = "TITLE", .help = "A name for it.", .required = true},
              {.name = "set",
               .valueName = "FIELD=VALUE",
               .help = "A field that is not secret.",
               .repeatable = true},
              {.name = "secret-file",
               .valueName = "FIELD=FILE",
               .help = "A secret field, read from the first line of FILE.",
               .repeatable = true}},
         .requiredError = "credential add needs --type TYPE and --title TITLE",
         .handler = &Cli::credentialAdd,
         .connectFirst = false},
        {.name = "credential types",
         .summary = "the credential types the service takes (lexicon's among them), or one "
                    "type's fields",
         .arguments = {{.name = "TYPE",
                        .help = "a type's id (lexicon:gandi): its fields, which are secret and "
                                "which required, with their help",
                        .optional = true}},
         .options = {{.name = "all",
                      .help = "Also the types of lexicon providers a built-in provider covers "
                              "(lexicon:powerdns, ...), usable by id."}},
         .argumentsError = "%1 takes at most one TYPE",
         .handler = &Cli::credentialTypes},
        {.name = "credential remove",
         .summary = "delete a credential no certificate uses",
         .arguments = {{.name = "ID", .help = "the credential's id"}},
         .argumentsError = kNeedsOneId,
         .handler = &Cli::credentialRemove},
        {.name = "credential test",
         .summary = "prove a credential without changing anything (an acme-dns one is "
                    "registered, and the CNAME to create is shown); exit 10 when it does not work",
         .arguments = {{.name = "ID", .help = "the credential's id"}},
         .argumentsError = kNeedsOneId,
         .handler = &Cli::credentialTest},
        {.name = "import-csv",
         .summary = "add managed certificates from a CSV file and report every line; see CSV "
                    "import",
         .arguments = {{.name = "FILE", .help = "the CSV file, or - for standard input"}},
         .options = {{.name = "dry-run",
                      .help = "Check every line with the service; import nothing."}},
         .argumentsError = "import-csv needs the CSV FILE (- for standard input)",
         .handler = &Cli::importCsv,
         .connectFirst = false},
        {.name = "adopt certbot",
         .summary = "take over certbot's certificates: each lineage becomes a managed "
                    "certificate that keeps writing live/<name>/*.pem; see Adopting certificates",
         .arguments = {adoptFolder("certbot's --config-dir (default /etc/letsencrypt)")},
         .options = kAdoptOptions,
         .argumentsError = "adopt certbot takes at most one PATH",
         .handler = &Cli::adoptCertbot},
        {.name = "adopt lego",
         .summary = "take over lego's certificates (certificates/<name>.crt and .key)",
         .arguments = {adoptFolder("lego's --path (default ./.lego)")},
         .options = kAdoptOptions,
         .argumentsError = "adopt lego takes at most one PATH",
         .handler = &Cli::adoptLego},
        {.name = "adopt acme.sh",
         .summary = "take over acme.sh's certificates (the files --install-cert wrote)",
         .arguments = {adoptFolder("acme.sh's home (default ~/.acme.sh)")},
         .options = kAdoptOptions,
         .argumentsError = "adopt acme.sh takes at most one PATH",
         .handler = &Cli::adoptAcmeSh},
        {.name = "backup export",
         .summary = "write an encrypted backup package of the certificates, their files, "
                    "credentials, custom CAs and accounts",
         .arguments = {{.name = "FILE", .help = "the package to write (mode 0600)"}},
         .options = {kPassphraseFile, {.name = "force", .help = "Replace FILE if it exists."}},
         .argumentsError = "backup export needs the FILE to write",
         .handler = &Cli::backupExport,
         .connectFirst = false},
        {.name = "backup import",
         .summary = "restore a backup package",
         .arguments = {{.name = "FILE", .help = "the package"}},
         .options = {{.name = "preview",
                      .help = "List what would be added, replaced or skipped; change nothing."},
                     {.name = "replace",
                      .help = "Replace entries that exist here already (they are kept "
                              "otherwise)."},
                     kPassphraseFile},
         .argumentsError = "backup import needs the package FILE",
         .handler = &Cli::backupImport,
         .connectFirst = false},
        {.name = "activate",
         .summary = "activate a license key on this install",
         .arguments = {{.name = "KEY",
                        .help = "the license key, or - to read it from standard "
                                "input"}},
         .argumentsError = "activate needs the license KEY (or - to read it from standard input)",
         .handler = &Cli::activate,
         .connectFirst = false},
        {.name = "deactivate",
         .summary = "remove the license; the install returns to the Community edition (5 "
                    "certificates) and keeps its certificates",
         .handler = &Cli::deactivate},
        {.name = "diag",
         .summary = "everything the service reports about itself: settings, port, database, "
                    "backups, recovery, license, notices",
         .handler = &Cli::diag},
    };
    return table;
}

CliSpec Cli::spec() {
    QList<QPair<QString, QString>> columns;
    for (const QString& line : csv::columnsHelp().split(u'\n', Qt::SkipEmptyParts)) {
        const QString entry = line.trimmed();
        const qsizetype gap = entry.indexOf(QLatin1String("  "));
        columns.append({entry.left(gap), entry.mid(gap).trimmed()});
    }
    QList<QPair<QString, QString>> exitCodes;
    for (const auto& [code, meaning] : kExitCodesHelp)
        exitCodes.append({QString::number(code), QLatin1String(meaning)});
    return CliSpec{
        .program = "certkeeper-cli",
        .description =
            "Manage the certificates of the Certkeeper service from a terminal or a script.",
        .globalOptions = globalOptions(),
        .commands = commands(),
        .sections = {
            {QStringLiteral("Passphrases and secrets"),
             QStringLiteral(
                 "Passphrases and secrets are never taken from the command line, where other "
                 "users can read them (ps, /proc) and shells keep them in history: the backup "
                 "passphrase comes from --passphrase-file FILE, the environment variable "
                 "CERTKEEPER_BACKUP_PASSPHRASE, or a prompt that does not echo (a line on "
                 "standard input when it is not a terminal); credential secrets from "
                 "--secret-file FIELD=FILE or the same kind of prompt.")},
            {QStringLiteral("CSV import"),
             QStringLiteral(
                 "One managed certificate per line, fields separated by commas and quoted with "
                 "\" where they contain commas, quotes or line breaks. A first line of column "
                 "names chooses the columns (any order, any case); without one, the columns "
                 "are, in this order:"),
             columns},
            {QString(),
             QStringLiteral(
                 "Each line is imported or refused on its own, and the report names it by its "
                 "line number. --dry-run checks every line with the service and imports "
                 "nothing. The edition's limit applies: lines past it are refused.")},
            {QStringLiteral("Environment"),
             QString(),
             {{QStringLiteral("CERTKEEPER_DATA_DIR"),
               QStringLiteral("the data directory when --data-dir is not given")},
              {QStringLiteral("CERTKEEPER_BACKUP_PASSPHRASE"),
               QStringLiteral("the passphrase of backup export and import")}}},
            {QStringLiteral("Files"),
             QStringLiteral("In the data directory (default: $CERTKEEPER_DATA_DIR, "
                            "~/.local/share/certkeeper, or /var/lib/certkeeper):"),
             {{QStringLiteral("servers.json"),
               QStringLiteral("the services to connect to, written by the service")},
              {QStringLiteral("api.token"),
               QStringLiteral("the API token; on a system install readable by the group "
                              "certkeeper")}}},
            {QStringLiteral("Exit codes"), QString(), exitCodes},
        }};
}

// The options every command accepts, before or after its name; --help and --version only
// before.
std::vector<OptionSpec> Cli::globalOptions() {
    return {
        {.name = "help",
         .help = "Show this help, or with a command that command's.",
         .shortName = "h"},
        {.name = "version", .help = "Show the version.", .shortName = "v"},
        {.name = "data-dir",
         .valueName = "DIR",
         .help = "The service's data directory, whose servers.json says where it listens "
                 "(default: $CERTKEEPER_DATA_DIR, ~/.local/share/certkeeper, or "
                 "/var/lib/certkeeper)."},
        {.name = "server",
         .valueName = "ID",
         .help = "The id of the servers.json entry to use (default: the default entry)."},
        {.name = "json", .help = "Print the service's JSON."},
    };
}

} // namespace ck::cli
