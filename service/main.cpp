// certkeeper-service: the background service of Certkeeper.

#include "core/Options.h"
#include "core/ServiceApp.h"

#include <QCoreApplication>

#include <sys/stat.h>

int main(int argc, char* argv[]) {
    // Nothing the service creates is for other users unless it says so (token, assets, database).
    ::umask(077);
    QCoreApplication app(argc, argv); // Qt SQL loads its driver plugin through it; no event loop
    QCoreApplication::setApplicationName(QStringLiteral("certkeeper-service"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CERTKEEPER_VERSION));
    ck::core::ServiceApp service(ck::core::parseServiceOptions(QCoreApplication::arguments()));
    return service.run();
}
