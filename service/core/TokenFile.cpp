#include "core/TokenFile.h"

#include "config/DataFile.h"

#include <QFile>

#include <openssl/rand.h>

#include <cctype>
#include <sys/stat.h>

namespace ck::core {

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
} // namespace

TokenResult loadOrCreateToken(const QString& path, unsigned mode) {
    TokenResult r;
    const QByteArray nativePath = QFile::encodeName(path);
    struct stat st {};
    if (::lstat(nativePath.constData(), &st) == 0 && S_ISREG(st.st_mode)) {
        const DataFileRead read = readDataFile(path, 4096);
        if (read.ok()) {
            const QByteArray text = read.bytes.trimmed();
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
    QString error;
    if (!writeFileAtomic(path, hex + '\n', int(mode), &error)) {
        r.error = error;
        return r;
    }
    r.token = hex.toStdString();
    if (r.notice.isEmpty())
        r.notice = QStringLiteral("created %1").arg(path);
    return r;
}

} // namespace ck::core
