#include "SecretFiles.h"

#include "Random.h"

#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ck::crypto {

namespace {

QString errnoText(int code) {
    return QString::fromLocal8Bit(std::strerror(code));
}

bool fail(QString* error, const QString& message) {
    if (error)
        *error = message;
    return false;
}

// Closes the descriptor on every path out of the writer.
struct FdGuard {
    int fd = -1;
    ~FdGuard() {
        if (fd >= 0)
            ::close(fd);
    }
};

bool writeAll(int fd, const QByteArray& data) {
    const char* cursor = data.constData();
    qsizetype left = data.size();
    while (left > 0) {
        const ssize_t written = ::write(fd, cursor, static_cast<size_t>(left));
        if (written < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        cursor += written;
        left -= written;
    }
    return true;
}

// Makes the rename/link itself durable: without this a crash can forget the new name.
void syncDirectory(const QByteArray& dir) {
    const FdGuard guard{::open(dir.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
    if (guard.fd >= 0)
        ::fsync(guard.fd);
}

// Writes `data` to a new temporary beside `target`, gives it its owner and mode, and fsyncs it;
// returns its name, or an empty name with *error set.
QByteArray writeTemporary(const QByteArray& target, const QByteArray& data,
                          const FileAttributes& attributes, QString* error) {
    const QByteArray temp = target + ".tmp-" + randomToken(6);
    // O_EXCL + O_NOFOLLOW: never write through a planted file or symlink. The explicit mode
    // ignores a permissive umask's effect on group/other bits (umask can only remove bits).
    FdGuard guard{::open(temp.constData(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                         S_IRUSR | S_IWUSR)};
    if (guard.fd < 0) {
        fail(error,
             QStringLiteral("Cannot create %1: %2").arg(QFile::decodeName(temp), errnoText(errno)));
        return {};
    }
    if (!writeAll(guard.fd, data) || ::fsync(guard.fd) != 0) {
        const int code = errno;
        ::unlink(temp.constData());
        fail(error,
             QStringLiteral("Cannot write %1: %2").arg(QFile::decodeName(temp), errnoText(code)));
        return {};
    }
    // Owner first: chown may clear mode bits, and the file stays 0600 until both are right.
    const bool chowned = (attributes.uid < 0 && attributes.gid < 0) ||
                         ::fchown(guard.fd, static_cast<uid_t>(attributes.uid),
                                  static_cast<gid_t>(attributes.gid)) == 0;
    if (!chowned || ::fchmod(guard.fd, static_cast<mode_t>(attributes.mode)) != 0) {
        const int code = errno;
        ::unlink(temp.constData());
        fail(error, chowned ? QStringLiteral("Cannot set the permissions of %1: %2")
                                  .arg(QFile::decodeName(target), errnoText(code))
                            : QStringLiteral("Cannot give %1 its owner or group: %2%3")
                                  .arg(QFile::decodeName(target), errnoText(code),
                                       code == EPERM ? QStringLiteral(" (only root can give a "
                                                                      "file to another user, or "
                                                                      "to a group it is not in)")
                                                     : QString()));
        return {};
    }
    return temp;
}

QByteArray directoryOf(const QString& path) {
    return QFile::encodeName(QFileInfo(path).absolutePath());
}

} // namespace

bool writeFileAtomically(const QString& path, const QByteArray& data,
                         const FileAttributes& attributes, QString* error) {
    const QByteArray target = QFile::encodeName(path);
    const QByteArray temp = writeTemporary(target, data, attributes, error);
    if (temp.isEmpty())
        return false;
    if (::rename(temp.constData(), target.constData()) != 0) {
        const int code = errno;
        ::unlink(temp.constData());
        return fail(error,
                    QStringLiteral("Cannot move %1 into place: %2").arg(path, errnoText(code)));
    }
    syncDirectory(directoryOf(path));
    return true;
}

bool writePrivateFile(const QString& path, const QByteArray& data, QString* error) {
    return writeFileAtomically(path, data, FileAttributes{}, error);
}

CreateResult createPrivateFile(const QString& path, const QByteArray& data, QString* error) {
    const QByteArray target = QFile::encodeName(path);
    const QByteArray temp = writeTemporary(target, data, FileAttributes{}, error);
    if (temp.isEmpty())
        return CreateResult::Failed;
    const int linked = ::link(temp.constData(), target.constData());
    const int code = errno;
    ::unlink(temp.constData());
    if (linked != 0) {
        if (code == EEXIST) {
            fail(error, QStringLiteral("%1 already exists").arg(path));
            return CreateResult::AlreadyExists;
        }
        fail(error, QStringLiteral("Cannot create %1: %2").arg(path, errnoText(code)));
        return CreateResult::Failed;
    }
    syncDirectory(directoryOf(path));
    return CreateResult::Created;
}

} // namespace ck::crypto
