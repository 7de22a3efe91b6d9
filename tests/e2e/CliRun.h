#pragma once
// certkeeper-cli run against a fixture's service as a user would run it, for the end-to-end
// tests that drive the CLI (their executables define CERTKEEPER_CLI_BIN).

#include "IssuanceFixture.h"
#include "ManagedProcess.h"

namespace ck::test {

inline ToolResult runCli(const IssuanceFixture& f, const QStringList& args) {
    return runTool(QStringLiteral(CERTKEEPER_CLI_BIN),
                   QStringList{QStringLiteral("--data-dir"), f.dataDir.path()} + args, {}, 120000);
}

} // namespace ck::test
