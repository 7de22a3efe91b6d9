#include "TokenFile.h"

#include <QFile>
#include <QFileInfo>

#include <openssl/rand.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ck {

namespace {
constexpr size_t kTokenBytes = 32;

bool looksLikeToken(const QByteArray& text) {
    if (text.size() != qsizetype(kTokenBytes * 2))
        return false;
    for (char c : text)
        if (!std::isxdigit(static_cast<unsigned char>(c)))
            return false;
    return true;
}

QString errnoText() {
    return QString::fromLocal8Bit(std::strerror(errno));
}
} // namespace

TokenResult loadOrCreateToken(const QString& path, unsigned mode) {
    TokenResult r;
    const QByteArray nativePath = QFile::encodeName(path);
    struct stat st {};
    if (::lstat(nativePath.constData(), &st) == 0 && S_ISREG(st.st_mode)) {
        QFile f(path);
        if (f.open(QIODevice::ReadOnly)) {
            const QByteArray text = f.readAll().trimmed();
            if (looksLikeToken(text)) {
                if ((st.st_mode & 07777) != mode) {
                    ::chmod(nativePath.constData(), mode);
                    r.notice = QStringLiteral("permissions of %1 set to %2")
                                   .arg(path)
                                   .arg(mode, 4, 8, QLatin1Char('0'));
                }
                r.token = text.toStdString();
                return r;
            }
        }
        r.notice = QStringLiteral("%1 was unreadable or malformed and was replaced").arg(path);
    }

    unsigned char bytes[kTokenBytes];
    if (RAND_bytes(bytes, int(kTokenBytes)) != 1) {
        r.error = QStringLiteral("the system's random generator failed");
        return r;
    }
    const QByteArray hex = QByteArray(reinterpret_cast<const char*>(bytes), kTokenBytes).toHex();
    unsigned char suffix[8];
    RAND_bytes(suffix, sizeof suffix);
    const QByteArray tmp = nativePath + ".tmp-" +
                           QByteArray(reinterpret_cast<const char*>(suffix), sizeof suffix).toHex();

    const int fd =
        ::open(tmp.constData(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd < 0) {
        r.error =
            QStringLiteral("cannot create %1: %2").arg(QString::fromLocal8Bit(tmp), errnoText());
        return r;
    }
    ::fchmod(fd, mode); // the umask may have removed bits the group needs
    const QByteArray content = hex + '\n';
    const bool written =
        ::write(fd, content.constData(), size_t(content.size())) == content.size() &&
        ::fsync(fd) == 0;
    ::close(fd);
    if (!written || ::rename(tmp.constData(), nativePath.constData()) != 0) {
        r.error = QStringLiteral("cannot write %1: %2").arg(path, errnoText());
        ::unlink(tmp.constData());
        return r;
    }
    r.token = hex.toStdString();
    if (r.notice.isEmpty())
        r.notice = QStringLiteral("created %1").arg(path);
    return r;
}

} // namespace ck
