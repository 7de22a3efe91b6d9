#include "config/DataFile.h"

#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <random>
#include <sys/stat.h>
#include <unistd.h>

namespace ck {

namespace {

QString errnoText(int code) {
    return QString::fromLocal8Bit(std::strerror(code));
}

// Leaves errno at `code` (the failing call's), whatever building the message did to it, so the
// caller can tell a full disk from other failures.
bool fail(QString* error, const QString& message, int code) {
    if (error)
        *error = message;
    errno = code;
    return false;
}

// Closes the descriptor on every path out.
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

// Makes the rename or link itself durable: without this a crash can forget the new name.
void syncDirectoryOf(const QString& path) {
    const QByteArray dir = QFile::encodeName(QFileInfo(path).absolutePath());
    const FdGuard guard{::open(dir.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
    if (guard.fd >= 0)
        ::fsync(guard.fd);
}

QByteArray temporaryNameFor(const QByteArray& target) {
    thread_local std::mt19937_64 generator{std::random_device{}()};
    return target + ".tmp-" + QByteArray::number(quint64(generator()), 36);
}

// Writes `data` to a new temporary beside `target` with its owner and mode, fsynced; returns its
// name, or an empty name with *error set.
QByteArray writeTemporary(const QByteArray& target, const QByteArray& data,
                          const FileAttributes& attributes, QString* error) {
    const QByteArray temp = temporaryNameFor(target);
    // O_EXCL + O_NOFOLLOW: never write through a planted file or link. Created owner-only; the
    // final mode is set with fchmod, which the umask does not narrow.
    FdGuard guard{::open(temp.constData(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                         S_IRUSR | S_IWUSR)};
    if (guard.fd < 0) {
        const int code = errno;
        fail(error,
             QStringLiteral("Cannot create %1: %2").arg(QFile::decodeName(temp), errnoText(code)),
             code);
        return {};
    }
    // Owner first: chown may clear mode bits.
    const bool chowned = (attributes.uid < 0 && attributes.gid < 0) ||
                         ::fchown(guard.fd, static_cast<uid_t>(attributes.uid),
                                  static_cast<gid_t>(attributes.gid)) == 0;
    if (!chowned || ::fchmod(guard.fd, static_cast<mode_t>(attributes.mode)) != 0) {
        const int code = errno;
        ::unlink(temp.constData());
        fail(error,
             chowned ? QStringLiteral("Cannot set the permissions of %1: %2")
                           .arg(QFile::decodeName(target), errnoText(code))
                     : QStringLiteral("Cannot give %1 its owner or group: %2%3")
                           .arg(QFile::decodeName(target), errnoText(code),
                                code == EPERM ? QStringLiteral(" (only root can give a "
                                                               "file to another user, or "
                                                               "to a group it is not in)")
                                              : QString()),
             code);
        return {};
    }
    if (!writeAll(guard.fd, data) || ::fsync(guard.fd) != 0) {
        const int code = errno;
        ::unlink(temp.constData());
        fail(error,
             QStringLiteral("Cannot write %1: %2").arg(QFile::decodeName(temp), errnoText(code)),
             code);
        return {};
    }
    return temp;
}

QString describeType(mode_t mode) {
    if (S_ISFIFO(mode))
        return QStringLiteral("is a FIFO (named pipe), not a regular file");
    if (S_ISCHR(mode))
        return QStringLiteral("is a character device, not a regular file");
    if (S_ISBLK(mode))
        return QStringLiteral("is a block device, not a regular file");
    if (S_ISDIR(mode))
        return QStringLiteral("is a folder, not a regular file");
    if (S_ISSOCK(mode))
        return QStringLiteral("is a socket, not a regular file");
    return QStringLiteral("is not a regular file");
}

QString tooLarge(qint64 size, qint64 maxBytes) {
    return QStringLiteral("is %1 bytes long, more than the %2 bytes such a file can hold; it is "
                          "not a file the service wrote")
        .arg(size)
        .arg(maxBytes);
}

} // namespace

bool isDiskFull(int code) {
    return code == ENOSPC || code == EDQUOT;
}

bool writeFileAtomic(const QString& path, const QByteArray& bytes, const FileAttributes& attributes,
                     QString* error) {
    const QByteArray target = QFile::encodeName(path);
    const QByteArray temp = writeTemporary(target, bytes, attributes, error);
    if (temp.isEmpty())
        return false;
    // rename(2) replaces the directory entry: a link at `path` is replaced, its target untouched.
    if (::rename(temp.constData(), target.constData()) != 0) {
        const int code = errno;
        ::unlink(temp.constData());
        return fail(error,
                    QStringLiteral("Cannot move %1 into place: %2").arg(path, errnoText(code)),
                    code);
    }
    syncDirectoryOf(path);
    return true;
}

bool writeFileAtomic(const QString& path, const QByteArray& bytes, int mode, QString* error) {
    return writeFileAtomic(path, bytes, FileAttributes{mode, -1, -1}, error);
}

CreateResult createFileExclusive(const QString& path, const QByteArray& bytes, int mode,
                                 QString* error) {
    const QByteArray target = QFile::encodeName(path);
    const QByteArray temp = writeTemporary(target, bytes, FileAttributes{mode, -1, -1}, error);
    if (temp.isEmpty())
        return CreateResult::Failed;
    const int linked = ::link(temp.constData(), target.constData());
    const int code = errno;
    ::unlink(temp.constData());
    if (linked != 0) {
        if (code == EEXIST) {
            fail(error, QStringLiteral("%1 already exists").arg(path), code);
            return CreateResult::AlreadyExists;
        }
        fail(error, QStringLiteral("Cannot create %1: %2").arg(path, errnoText(code)), code);
        return CreateResult::Failed;
    }
    syncDirectoryOf(path);
    return CreateResult::Created;
}

QString irregularFileProblem(const QString& path) {
    const QByteArray name = QFile::encodeName(path);
    struct stat info {};
    if (::lstat(name.constData(), &info) != 0)
        return {};
    if (::stat(name.constData(), &info) != 0) {
        const int code = errno;
        return code == ENOENT ? QStringLiteral("is a symbolic link to %1, which does not exist")
                                    .arg(QFileInfo(path).symLinkTarget())
                              : QStringLiteral("cannot be examined: %1").arg(errnoText(code));
    }
    return S_ISREG(info.st_mode) ? QString() : describeType(info.st_mode);
}

DataFileRead readDataFile(const QString& path, qint64 maxBytes) {
    DataFileRead r;
    const QByteArray name = QFile::encodeName(path);
    struct stat info {};
    if (::stat(name.constData(), &info) != 0) {
        const int code = errno;
        r.missing = code == ENOENT;
        r.problem = r.missing ? QStringLiteral("does not exist")
                              : QStringLiteral("cannot be read: %1").arg(errnoText(code));
        return r;
    }
    if (!S_ISREG(info.st_mode)) {
        r.problem = describeType(info.st_mode);
        return r;
    }
    if (info.st_size > maxBytes) {
        r.problem = tooLarge(info.st_size, maxBytes);
        return r;
    }
    // O_NONBLOCK: should a FIFO be swapped in after the stat, opening it does not wait for a
    // writer; the fstat below then refuses it. Reads from a regular file are unaffected.
    const FdGuard guard{::open(name.constData(), O_RDONLY | O_NONBLOCK | O_CLOEXEC)};
    if (guard.fd < 0) {
        r.problem = QStringLiteral("cannot be read: %1").arg(errnoText(errno));
        return r;
    }
    if (::fstat(guard.fd, &info) != 0 || !S_ISREG(info.st_mode)) {
        r.problem = describeType(info.st_mode);
        return r;
    }
    // One spare byte tells a file that grew past the limit since the stat; the buffer grows up
    // to that bound, no further.
    const qint64 bound = maxBytes + 1;
    r.bytes.resize(std::min<qint64>(info.st_size, maxBytes) + 1);
    qint64 total = 0;
    for (;;) {
        if (total == r.bytes.size()) {
            if (total >= bound)
                break;
            r.bytes.resize(std::min<qint64>(total * 2, bound));
        }
        const ssize_t n =
            ::read(guard.fd, r.bytes.data() + total, static_cast<size_t>(r.bytes.size() - total));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            r.problem = QStringLiteral("cannot be read: %1").arg(errnoText(errno));
            r.bytes.clear();
            return r;
        }
        if (n == 0)
            break;
        total += n;
    }
    if (total > maxBytes) {
        r.problem = tooLarge(total, maxBytes);
        r.bytes.clear();
        return r;
    }
    r.bytes.truncate(total);
    return r;
}

} // namespace ck
