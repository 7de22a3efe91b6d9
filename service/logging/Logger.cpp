#include "logging/Logger.h"

#include "model/PlainText.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
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
// another user's file, say) is replaced by a new log rather than written through. -1 on failure.
int openAppend(const QString& path, QString* error) {
    const QByteArray native = QFile::encodeName(path);
    constexpr int flags = O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC;
    int fd = ::open(native.constData(), flags, 0640);
    if (fd < 0 && errno == ELOOP && ::unlink(native.constData()) == 0)
        fd = ::open(native.constData(), flags, 0640);
    if (fd < 0) {
        if (error)
            *error =
                QStringLiteral("%1: %2").arg(path, QString::fromLocal8Bit(std::strerror(errno)));
        return -1;
    }
    ::fchmod(fd, 0640);
    return fd;
}

qint64 sizeOf(int fd) {
    struct stat info {};
    return ::fstat(fd, &info) == 0 ? qint64(info.st_size) : -1;
}

// Appends `bytes` whole. When the disk fills up part way, the part that got out is cut off again,
// so the next line does not run into half of this one.
bool appendWhole(int fd, const QByteArray& bytes) {
    const qint64 before = sizeOf(fd);
    const char* cursor = bytes.constData();
    qsizetype left = bytes.size();
    while (left > 0) {
        const ssize_t written = ::write(fd, cursor, size_t(left));
        if (written < 0 && errno == EINTR)
            continue;
        if (written < 0) {
            if (before >= 0 && left < bytes.size())
                (void)!::ftruncate(fd, off_t(before));
            return false;
        }
        cursor += written;
        left -= written;
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

Logger::~Logger() {
    close(m_serviceLog);
    close(m_exceptionsLog);
}

void Logger::close(File& file) {
    if (file.fd >= 0)
        ::close(file.fd);
    file.fd = -1;
}

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
    close(m_serviceLog);
    close(m_exceptionsLog);
    m_serviceLog.path = logsDir + QStringLiteral("/service.log");
    m_exceptionsLog.path = logsDir + QStringLiteral("/service.exceptions.log");
    m_serviceLog.fd = openAppend(m_serviceLog.path, error);
    if (m_serviceLog.fd < 0)
        return false;
    m_exceptionsLog.fd = openAppend(m_exceptionsLog.path, error);
    return m_exceptionsLog.fd >= 0;
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
    if (m_serviceLog.fd >= 0) {
        rotateIfFull(m_serviceLog, m_serviceLogCap);
        append(m_serviceLog.fd, line);
    }
    if (level >= Level::Warning && m_exceptionsLog.fd >= 0) {
        rotateIfFull(m_exceptionsLog, m_serviceLogCap);
        if (!appendWhole(m_exceptionsLog.fd, line))
            lost(); // the service log or stderr has it; told of with the others
    }
}

void Logger::append(int fd, const QByteArray& line) {
    if (m_lostLines > 0) {
        const QString notice =
            QStringLiteral("%1 log lines (of this log, the fault log or certificates' logs) could "
                           "not be written since %2, most likely because the disk holding the data "
                           "directory was full; the service's own lines are also on its standard "
                           "error (the journal under systemd)")
                .arg(m_lostLines)
                .arg(m_lostSince.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
        if (appendWhole(fd, formatLine(Level::Warning, notice).toUtf8() + '\n'))
            m_lostLines = 0;
    }
    if (!appendWhole(fd, line))
        lost();
}

void Logger::lost() {
    if (m_lostLines++ == 0)
        m_lostSince = Clock::system().now().toLocalTime();
}

void Logger::rotateIfFull(File& file, qint64 cap) {
    if (sizeOf(file.fd) < cap)
        return;
    close(file);
    rotate(file.path);
    file.fd = openAppend(file.path, nullptr);
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
        const int fd = openAppend(path, nullptr);
        if (fd < 0 || !appendWhole(fd, text))
            lost();
        if (fd >= 0)
            ::close(fd);
    }
    if (m_itemListener) {
        // Live events carry the message as the file holds it, so a reload shows the same text.
        ItemLine escaped = line;
        escaped.message = escapeForLine(line.message);
        m_itemListener(escaped);
    }
}

} // namespace ck::logging
