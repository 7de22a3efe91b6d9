// File operations the store needs to be durable: private files, fsync, atomic rename.

#include "store/StoreInternal.h"

#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

namespace ck::store::detail {

namespace {
QString errnoText() {
    return QString::fromLocal8Bit(std::strerror(errno));
}

bool syncPath(const QString& path, int flags, QString* error) {
    const int fd = ::open(QFile::encodeName(path).constData(), flags | O_CLOEXEC);
    if (fd < 0) {
        if (error)
            *error = QStringLiteral("cannot open %1: %2").arg(path, errnoText());
        return false;
    }
    const bool ok = ::fsync(fd) == 0;
    if (!ok && error)
        *error = QStringLiteral("cannot sync %1: %2").arg(path, errnoText());
    ::close(fd);
    return ok;
}
} // namespace

bool createPrivateFile(const QString& path, QString* error) {
    const int fd = ::open(QFile::encodeName(path).constData(),
                          O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (error)
            *error = errnoText();
        return false;
    }
    ::close(fd);
    return true;
}

bool fsyncFile(const QString& path, QString* error) {
    return syncPath(path, O_RDONLY, error);
}

bool fsyncDirOf(const QString& path, QString* error) {
    return syncPath(QFileInfo(path).absolutePath(), O_RDONLY | O_DIRECTORY, error);
}

bool renameFile(const QString& from, const QString& to, QString* error) {
    if (std::rename(QFile::encodeName(from).constData(), QFile::encodeName(to).constData()) == 0)
        return true;
    if (error)
        *error = QStringLiteral("cannot rename %1 to %2: %3").arg(from, to, errnoText());
    return false;
}

qint64 freeBytesOn(const QString& path) {
    struct statvfs info {};
    if (::statvfs(QFile::encodeName(path).constData(), &info) != 0)
        return -1;
    return qint64(info.f_bavail) * qint64(info.f_frsize);
}

void setPrivate(const QString& path) {
    ::chmod(QFile::encodeName(path).constData(), 0600);
}

void removeWithCompanions(const QString& path) {
    QFile::remove(path);
    for (const auto& suffix : companionSuffixes())
        QFile::remove(path + suffix);
}

} // namespace ck::store::detail
