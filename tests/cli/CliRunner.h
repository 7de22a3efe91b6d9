#pragma once
// certkeeper-cli as a user's script runs it: the real binary, its output and exit code, with
// standard input and extra environment variables when a test needs them.

#include <QProcess>
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
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const auto& key : extraEnv.keys())
        env.insert(key, extraEnv.value(key));
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(CERTKEEPER_CLI_BIN), QStringList{"--data-dir", dataDir} + args);
    process.write(input);
    process.closeWriteChannel();
    CliRun run;
    if (!process.waitForFinished(120000)) {
        process.kill();
        process.waitForFinished();
        run.err = QStringLiteral("(certkeeper-cli did not finish)");
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

inline QByteArray describe(const CliRun& run) {
    return QStringLiteral("exit %1\nstdout: %2\nstderr: %3")
        .arg(run.exitCode)
        .arg(run.out.left(4000), run.err.left(4000))
        .toUtf8();
}

} // namespace ck::test
