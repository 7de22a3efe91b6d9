#include "logging/Logger.h"

#include "model/PlainText.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace ck::logging {

namespace {
// Opens a log for appending without following a link at its path: a link planted there (to
// another user's file, say) is replaced by a new log rather than written through.
bool openAppend(QFile& file, const QString& path, QString* error) {
    const QByteArray native = QFile::encodeName(path);
    constexpr int flags = O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC;
    int fd = ::open(native.constData(), flags, 0640);
    if (fd < 0 && errno == ELOOP && ::unlink(native.constData()) == 0)
        fd = ::open(native.constData(), flags, 0640);
    if (fd < 0) {
        if (error)
            *error =
                QStringLiteral("%1: %2").arg(path, QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    ::fchmod(fd, 0640);
    if (!file.open(fd, QIODevice::Append | QIODevice::Text, QFileDevice::AutoCloseHandle)) {
        ::close(fd);
        if (error)
            *error = QStringLiteral("%1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

// Moves `path` to `path.1` (replacing the older one). The caller then starts a new file.
void rotate(const QString& path) {
    const QString previous = path + QStringLiteral(".1");
    QFile::remove(previous);
    QFile::rename(path, previous);
}
} // namespace

QString Logger::levelTag(Level level) {
    switch (level) {
    case Level::Debug:
        return QStringLiteral("DBG");
    case Level::Information:
        return QStringLiteral("INF");
    case Level::Warning:
        return QStringLiteral("WRN");
    case Level::Error:
        return QStringLiteral("ERR");
    }
    return QStringLiteral("INF");
}

bool Logger::open(const QString& logsDir, QString* error) {
    std::lock_guard lock(m_mutex);
    if (!QDir().mkpath(logsDir)) {
        if (error)
            *error = QStringLiteral("cannot create %1").arg(logsDir);
        return false;
    }
    QFile::setPermissions(logsDir, QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                       QFileDevice::ExeOwner | QFileDevice::ReadGroup |
                                       QFileDevice::ExeGroup);
    return openAppend(m_serviceLog, logsDir + QStringLiteral("/service.log"), error) &&
           openAppend(m_exceptionsLog, logsDir + QStringLiteral("/service.exceptions.log"), error);
}

Logger::Level Logger::levelFromName(const QString& name) {
    if (name == QLatin1String("debug"))
        return Level::Debug;
    if (name == QLatin1String("warning"))
        return Level::Warning;
    if (name == QLatin1String("error"))
        return Level::Error;
    return Level::Information;
}

QString Logger::formatLine(Level level, const QString& message, const QDateTime& time) {
    const auto now = time.toLocalTime();
    const int offset = now.offsetFromUtc();
    const QString zone = QStringLiteral("%1%2:%3")
                             .arg(QChar(offset < 0 ? u'-' : u'+'))
                             .arg(std::abs(offset) / 3600, 2, 10, QLatin1Char('0'))
                             .arg((std::abs(offset) % 3600) / 60, 2, 10, QLatin1Char('0'));
    // Messages quote names and outputs users chose: escaped, one call is always one line.
    return QStringLiteral("%1 %2 [%3] %4")
        .arg(now.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")), zone, levelTag(level),
             escapeForLine(message));
}

void Logger::write(Level level, const QString& message) {
    if (level < m_level)
        return;
    const QByteArray line = formatLine(level, message).toUtf8() + '\n';
    std::lock_guard lock(m_mutex);
    std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
    if (m_serviceLog.isOpen()) {
        rotateIfFull(m_serviceLog, m_serviceLogCap);
        m_serviceLog.write(line);
        m_serviceLog.flush();
    }
    if (level >= Level::Warning && m_exceptionsLog.isOpen()) {
        rotateIfFull(m_exceptionsLog, m_serviceLogCap);
        m_exceptionsLog.write(line);
        m_exceptionsLog.flush();
    }
}

void Logger::rotateIfFull(QFile& file, qint64 cap) {
    if (file.size() < cap)
        return;
    const QString path = file.fileName();
    file.close();
    rotate(path);
    openAppend(file, path, nullptr);
}

void Logger::setCaps(qint64 serviceLogBytes, qint64 itemLogBytes) {
    std::lock_guard lock(m_mutex);
    m_serviceLogCap = serviceLogBytes;
    m_itemLogCap = itemLogBytes;
}

void Logger::appendItemLine(const QString& path, const ItemLine& line) {
    const QByteArray text = formatLine(line.level, line.message, line.time).toUtf8() + '\n';
    {
        std::lock_guard lock(m_mutex);
        if (QFileInfo(path).size() + text.size() > m_itemLogCap && QFile::exists(path))
            rotate(path);
        QFile f;
        if (openAppend(f, path, nullptr))
            f.write(text);
    }
    if (m_itemListener) {
        // Live events carry the message as the file holds it, so a reload shows the same text.
        ItemLine escaped = line;
        escaped.message = escapeForLine(line.message);
        m_itemListener(escaped);
    }
}

} // namespace ck::logging
