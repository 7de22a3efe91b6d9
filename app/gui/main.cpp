// certkeeper: the manager window over the Certkeeper service.

#include "config/DataPaths.h"
#include "gui/MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFile>
#include <QIcon>

int main(int argc, char* argv[]) {
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("certkeeper"));
    QApplication::setApplicationDisplayName(QStringLiteral("Certkeeper"));
    QApplication::setApplicationVersion(QStringLiteral(CERTKEEPER_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("certkeeper"));
    if (QFile::exists(QStringLiteral(":/icons/certkeeper.svg")))
        QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/certkeeper.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Certkeeper: manage the TLS certificates the Certkeeper service requests, "
                       "renews and deploys."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption dataDir(
        QStringLiteral("data-dir"),
        QStringLiteral("The service's data directory, whose servers.json says where the service "
                       "listens (default: $CERTKEEPER_DATA_DIR, ~/.local/share/certkeeper, or "
                       "/var/lib/certkeeper)."),
        QStringLiteral("dir"));
    parser.addOption(dataDir);
    parser.process(app);

    ck::gui::MainWindow window(ck::paths::clientDataDir(parser.value(dataDir)));
    window.show();
    return QApplication::exec();
}
