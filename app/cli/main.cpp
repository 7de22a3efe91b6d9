// certkeeper-cli: the Certkeeper service from a terminal or a script. See Cli.h.

#include "cli/Cli.h"

#include <QCoreApplication>

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("certkeeper-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CERTKEEPER_VERSION));
    ck::cli::Cli cli;
    return cli.run(QCoreApplication::arguments());
}
