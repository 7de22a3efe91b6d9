#pragma once
// certkeeper-cli as a user's script runs it: the real binary, its output and exit code, with
// standard input and extra environment variables when a test needs them.

#include "ManagedProcess.h"

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace ck::test {

struct CliRun {
    int exitCode = -1;
    QString out;
    QString err;
};

inline CliRun runCli(const QString& dataDir, const QStringList& args, const QByteArray& input = {},
                     const QProcessEnvironment& extraEnv = {}) {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const auto& key : extraEnv.keys())
        env.insert(key, extraEnv.value(key));
    const ToolResult tool = runTool(QStringLiteral(CERTKEEPER_CLI_BIN),
                                    QStringList{"--data-dir", dataDir} + args, input, 120000, env);
    CliRun run;
    run.exitCode = tool.exitCode;
    run.out = QString::fromUtf8(tool.stdOut);
    run.err = QString::fromUtf8(tool.stdErr);
    if (tool.timedOut)
        run.err += QStringLiteral("(certkeeper-cli did not finish)");
    else if (!tool.error.isEmpty())
        run.err += QStringLiteral("(%1)").arg(tool.error);
    return run;
}

inline QByteArray describe(const CliRun& run) {
    return QStringLiteral("exit %1\nstdout: %2\nstderr: %3")
        .arg(run.exitCode)
        .arg(run.out.left(4000), run.err.left(4000))
        .toUtf8();
}

} // namespace ck::test
