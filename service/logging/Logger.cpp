#include "Logger.h"

#include <QDateTime>
#include <QDir>

#include <cstdio>
#include <cstdlib>

namespace ck {

namespace {
const char* levelTag(Logger::Level level) {
    switch (level) {
    case Logger::Level::Debug:
        return "DBG";
    case Logger::Level::Information:
        return "INF";
    case Logger::Level::Warning:
        return "WRN";
    case Logger::Level::Error:
        return "ERR";
    }
    return "INF";
}

bool openAppend(QFile& file, const QString& path, QString* error) {
    file.setFileName(path);
    if (!file.open(QIODevice::Append | QIODevice::Text)) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(path, file.errorString());
        return false;
    }
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup);
    return true;
}
} // namespace

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

QString Logger::formatLine(Level level, const QString& message) {
    const auto now = QDateTime::currentDateTime();
    const int offset = now.offsetFromUtc();
    const QString zone = QStringLiteral("%1%2:%3")
                             .arg(QChar(offset < 0 ? u'-' : u'+'))
                             .arg(std::abs(offset) / 3600, 2, 10, QLatin1Char('0'))
                             .arg((std::abs(offset) % 3600) / 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1 %2 [%3] %4")
        .arg(now.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")), zone,
             QLatin1String(levelTag(level)), message);
}

void Logger::write(Level level, const QString& message) {
    if (level < m_level)
        return;
    const QByteArray line = formatLine(level, message).toUtf8() + '\n';
    std::lock_guard lock(m_mutex);
    std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
    if (m_serviceLog.isOpen()) {
        m_serviceLog.write(line);
        m_serviceLog.flush();
    }
    if (level >= Level::Warning && m_exceptionsLog.isOpen()) {
        m_exceptionsLog.write(line);
        m_exceptionsLog.flush();
    }
}

} // namespace ck
