#include "config/DataPaths.h"

#include <QDir>
#include <QFileInfo>

namespace ck::paths {

QString userDataDir() {
    const QString env = qEnvironmentVariable(kDataDirEnv);
    if (!env.isEmpty())
        return QDir::cleanPath(env);
    QString base = qEnvironmentVariable("XDG_DATA_HOME");
    if (base.isEmpty())
        base = QDir::homePath() + QStringLiteral("/.local/share");
    return QDir::cleanPath(base + QStringLiteral("/certkeeper"));
}

QString clientDataDir(const QString& explicitDir) {
    if (!explicitDir.isEmpty())
        return QDir::cleanPath(explicitDir);
    const QString user = userDataDir();
    if (!qEnvironmentVariable(kDataDirEnv).isEmpty() || QFileInfo::exists(file(user, kServers)))
        return user;
    const QString system = QString::fromLatin1(kSystemDataDir);
    if (QFileInfo::exists(file(system, kServers)))
        return system;
    return user;
}

QString file(const QString& dataDir, const char* name) {
    return dataDir + QLatin1Char('/') + QLatin1String(name);
}

} // namespace ck::paths
