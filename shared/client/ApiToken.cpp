#include "client/ApiToken.h"

#include "config/DataFile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace ck {

namespace {
// "owned by user certkeeper, group certkeeper" for the file, or for the nearest directory that
// can be examined when the file itself is hidden behind a directory we may not enter.
QString ownershipOf(const QString& path) {
    QFileInfo info(path);
    while (!info.exists() && info.absoluteFilePath() != QDir::rootPath())
        info.setFile(info.absolutePath());
    const QString owner = info.owner();
    const QString group = info.group();
    if (owner.isEmpty() && group.isEmpty())
        return {};
    const QString what = info.absoluteFilePath() == QFileInfo(path).absoluteFilePath()
                             ? QStringLiteral("it is")
                             : QStringLiteral("%1 is").arg(info.absoluteFilePath());
    return QStringLiteral("%1 owned by user %2, group %3")
        .arg(what, owner.isEmpty() ? QStringLiteral("?") : owner,
             group.isEmpty() ? QStringLiteral("?") : group);
}
} // namespace

ApiToken ApiToken::read(const QString& path) {
    if (path.isEmpty()) {
        ApiToken t;
        t.problem = QStringLiteral("servers.json names no token file for this server; the service "
                                   "writes it there when it starts");
        return t;
    }
    const DataFileRead read = readDataFile(path, 4096);
    if (!read.ok()) {
        const QByteArray native = QFile::encodeName(path);
        if (read.missing || ::access(native.constData(), R_OK) != 0)
            return unreadable(path, read.missing ? ENOENT : errno);
        ApiToken t; // there, readable, but not a token file: a FIFO, a device, something large
        t.status = Status::OtherError;
        t.problem = QStringLiteral("The token file %1 %2. Remove it and restart the service: it "
                                   "writes a new token.")
                        .arg(path, read.problem);
        return t;
    }
    ApiToken t;
    t.path = path;
    t.token = QString::fromLatin1(read.bytes).trimmed();
    if (t.token.isEmpty()) {
        t.status = Status::OtherError;
        t.problem = QStringLiteral("The token file %1 is empty. Restart the service: it writes a "
                                   "new token when the file holds none.")
                        .arg(path);
        return t;
    }
    t.status = Status::Ok;
    return t;
}

ApiToken ApiToken::unreadable(const QString& path, int errnoValue) {
    ApiToken t;
    t.path = path;
    switch (errnoValue) {
    case ENOENT:
    case ENOTDIR:
        t.status = Status::Missing;
        t.problem = QStringLiteral("The token file %1 does not exist: the service has not created "
                                   "it yet — is it running with this data directory (%2)?")
                        .arg(path, QFileInfo(path).absolutePath());
        break;
    case EACCES:
    case EPERM: {
        t.status = Status::PermissionDenied;
        const QString owner = ownershipOf(path);
        t.problem =
            QStringLiteral("Permission denied reading the token file %1%2. Run as that "
                           "user, or add yourself to group certkeeper "
                           "(sudo usermod -aG certkeeper $USER, then log in again).")
                .arg(path, owner.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(owner));
        break;
    }
    default:
        t.status = Status::OtherError;
        t.problem = QStringLiteral("Cannot read the token file %1: %2")
                        .arg(path, QString::fromLocal8Bit(std::strerror(errnoValue)));
    }
    return t;
}

} // namespace ck
