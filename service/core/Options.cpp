#include "core/Options.h"

#include "config/DataPaths.h"

#include <QCommandLineParser>
#include <QDir>
#include <QHostAddress>

#include <cstdio>
#include <cstdlib>

namespace ck::core {

namespace {
[[noreturn]] void usageError(const QString& message) {
    std::fprintf(stderr, "certkeeper-service: %s\nTry 'certkeeper-service --help'.\n",
                 qPrintable(message));
    std::exit(2);
}
} // namespace

ServiceOptions parseServiceOptions(const QStringList& arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Certkeeper background service: requests, renews and deploys TLS "
                       "certificates, and serves the local API the app and CLI use."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption dataDir(
        QStringLiteral("data-dir"),
        QStringLiteral("Data directory (default: $CERTKEEPER_DATA_DIR, else "
                       "~/.local/share/certkeeper, or /var/lib/certkeeper with --system)."),
        QStringLiteral("dir"));
    const QCommandLineOption system(
        QStringLiteral("system"),
        QStringLiteral("Run as the system service (/var/lib/certkeeper)."));
    const QCommandLineOption host(
        QStringLiteral("host"),
        QStringLiteral("Address to listen on (overrides serviceconfig.json)."),
        QStringLiteral("address"));
    const QCommandLineOption port(
        QStringLiteral("port"), QStringLiteral("Port to listen on (overrides serviceconfig.json)."),
        QStringLiteral("port"));
    parser.addOptions({dataDir, system, host, port});
    parser.process(arguments);
    if (!parser.positionalArguments().isEmpty())
        usageError(
            QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().first()));

    ServiceOptions o;
    o.systemMode = parser.isSet(system);
    if (parser.isSet(dataDir))
        o.dataDir = QDir(parser.value(dataDir)).absolutePath();
    else if (o.systemMode && qEnvironmentVariableIsEmpty(paths::kDataDirEnv))
        o.dataDir = QString::fromLatin1(paths::kSystemDataDir);
    else
        o.dataDir = paths::userDataDir();
    if (parser.isSet(host)) {
        if (QHostAddress(parser.value(host)).isNull())
            usageError(QStringLiteral("--host needs an IP address such as 127.0.0.1"));
        o.host = parser.value(host);
    }
    if (parser.isSet(port)) {
        bool ok = false;
        const int p = parser.value(port).toInt(&ok);
        if (!ok || p < 1 || p > 65535)
            usageError(QStringLiteral("--port needs a number from 1 to 65535"));
        o.port = p;
    }
    return o;
}

} // namespace ck::core
