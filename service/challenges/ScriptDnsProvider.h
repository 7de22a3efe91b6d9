#pragma once
// dns-01 records through the user's own commands, for DNS hosts no built-in provider covers.
// The commands run without a shell (program + argument list, through ProcessRunner) and learn
// what to do from environment variables only, so no record value is ever parsed by a shell:
//
//   CERTKEEPER_ACTION        "present" or "cleanup"
//   CERTKEEPER_RECORD_NAME   the absolute record name, "_acme-challenge.www.example.com."
//   CERTKEEPER_RECORD_VALUE  the TXT value (base64url)
//   CERTKEEPER_DOMAIN        the name being validated as the user wrote it: "www.example.com"
//                            or "*.example.com"
//
// The present command must add the value without removing other TXT values at the same name
// (a wildcard and its base name share one name); the cleanup command must remove only that
// value and succeed when it is already gone. Exit code 0 means done; anything else is reported
// with the last lines of the command's output.

#include "challenges/DnsProvider.h"
#include "process/ChildProcess.h"

#include <QString>
#include <QStringList>

#include <chrono>

namespace ck::challenges {

struct ScriptCommand {
    QString program; // a path (or a name in the service's PATH)
    QStringList arguments;
    bool isEmpty() const { return program.trimmed().isEmpty(); }
};

struct ScriptDnsSettings {
    ScriptCommand presentCommand;
    ScriptCommand cleanupCommand;      // empty: nothing is run at cleanup
    std::chrono::seconds timeout{120}; // per command run; then it is stopped
    // Waited in full after the record is created, before any check: for hosts whose API
    // answers before their servers publish.
    int propagationDelaySeconds = 0;
    // Optional: a server to ask directly (recursion off) until it shows the value.
    QString checkServer;
    int checkPort = 53;
};

class ScriptDnsProvider final : public DnsProvider {
public:
    // Throws InvalidInputError, naming the setting, when there is no present command.
    ScriptDnsProvider(process::ProcessRunner& runner, ScriptDnsSettings settings);

    QString title() const override;
    awaitable<void> present(const DnsTxtRecord& r) override;
    awaitable<void> cleanup(const DnsTxtRecord& r) override;
    awaitable<void> waitForPropagation(const DnsTxtRecord& r,
                                       std::chrono::seconds timeout) override;

private:
    awaitable<void> runCommand(const ScriptCommand& command, const QString& action,
                               const DnsTxtRecord& r);

    process::ProcessRunner& m_runner;
    ScriptDnsSettings m_settings;
};

} // namespace ck::challenges
