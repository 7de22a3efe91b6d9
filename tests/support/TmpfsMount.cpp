#include "TmpfsMount.h"

#include <QByteArray>
#include <QDir>
#include <QFile>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

namespace ck::test {

namespace {
QString errnoText(int code) {
    return QString::fromLocal8Bit(std::strerror(code));
}
} // namespace

TmpfsMount::TmpfsMount(qint64 bytes) {
    QByteArray pattern = QFile::encodeName(QDir::tempPath()) + "/certkeeper-tmpfs-XXXXXX";
    if (!::mkdtemp(pattern.data())) {
        m_error = QStringLiteral("cannot make a directory to mount on: %1").arg(errnoText(errno));
        return;
    }
    m_path = QFile::decodeName(pattern);
    const QByteArray options = "size=" + QByteArray::number(bytes) + ",mode=0700";
    if (::mount("tmpfs", pattern.constData(), "tmpfs", MS_NOSUID | MS_NODEV, options.constData()) !=
        0) {
        const int code = errno;
        m_error = QStringLiteral("cannot mount a %1-byte tmpfs on %2: %3%4")
                      .arg(bytes)
                      .arg(m_path, errnoText(code),
                           code == EPERM ? QStringLiteral(" (mounting needs root, CAP_SYS_ADMIN; "
                                                          "run the test as root, as CI does)")
                                         : QString());
        return;
    }
    m_mounted = true;
}

TmpfsMount::~TmpfsMount() {
    if (m_path.isEmpty())
        return;
    const QByteArray native = QFile::encodeName(m_path);
    // A service that was killed may leave a descriptor open a moment longer: detach then, the
    // kernel frees the file system when the last one closes.
    if (m_mounted && ::umount2(native.constData(), 0) != 0)
        ::umount2(native.constData(), MNT_DETACH);
    ::rmdir(native.constData());
}

qint64 TmpfsMount::freeBytes() const {
    struct statvfs info {};
    if (!m_mounted || ::statvfs(QFile::encodeName(m_path).constData(), &info) != 0)
        return -1;
    return qint64(info.f_bavail) * qint64(info.f_frsize);
}

bool TmpfsMount::fill(const QString& name, qint64 leaveFree) {
    const QByteArray path = QFile::encodeName(m_path + QLatin1Char('/') + name);
    const int fd = ::open(path.constData(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) {
        m_error =
            QStringLiteral("cannot create %1: %2").arg(QFile::decodeName(path), errnoText(errno));
        return false;
    }
    const QByteArray chunk(64 * 1024, 'x');
    bool ok = true;
    for (;;) {
        const qint64 room = freeBytes() - leaveFree;
        if (leaveFree > 0 && room <= 0)
            break;
        const qint64 size = leaveFree > 0 ? std::min<qint64>(room, chunk.size()) : chunk.size();
        if (::write(fd, chunk.constData(), size_t(size)) >= 0)
            continue;
        if (errno == ENOSPC && leaveFree == 0)
            break; // full to the last page
        m_error =
            QStringLiteral("cannot fill %1: %2").arg(QFile::decodeName(path), errnoText(errno));
        ok = false;
        break;
    }
    ::close(fd);
    return ok;
}

} // namespace ck::test
