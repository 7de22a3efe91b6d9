#pragma once
// certkeeper-cli run against a fixture's service as a user would run it, for the end-to-end
// tests that drive the CLI (their executables define CERTKEEPER_CLI_BIN).

#include "IssuanceFixture.h"
#include "ManagedProcess.h"

namespace ck::test {

// Against the install in `dataDir` (a fixture's, or one a test made).
inline ToolResult runCliAt(const QString& dataDir, const QStringList& args) {
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
#if defined(__SANITIZE_THREAD__)
    // The CLI's one other thread is Qt Network's: see tests/tsan-clients.supp. The later
    // `suppressions=` wins.
    environment.insert(QStringLiteral("TSAN_OPTIONS"),
                       environment.value(QStringLiteral("TSAN_OPTIONS")) +
                           QStringLiteral(" suppressions=" CERTKEEPER_TSAN_CLIENT_SUPPRESSIONS));
#endif
    return runTool(QStringLiteral(CERTKEEPER_CLI_BIN),
                   QStringList{QStringLiteral("--data-dir"), dataDir} + args, {}, 120000,
                   environment);
}

inline ToolResult runCli(const IssuanceFixture& f, const QStringList& args) {
    return runCliAt(f.dataDir.path(), args);
}

} // namespace ck::test
