#include "ItemLog.h"

#include <QFile>

namespace ck {

ItemLog::ItemLog(const QString& logsDir, const QString& itemId, Logger& serviceLog)
    : m_path(QStringLiteral("%1/log_%2.txt").arg(logsDir, itemId)), m_itemId(itemId),
      m_serviceLog(serviceLog) {}

void ItemLog::write(Logger::Level level, const QString& message) {
    QFile f(m_path);
    if (f.open(QIODevice::Append | QIODevice::Text)) {
        f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup);
        f.write(Logger::formatLine(level, message).toUtf8() + '\n');
    }
    if (level >= Logger::Level::Warning)
        m_serviceLog.write(level, QStringLiteral("[%1] %2").arg(m_itemId, message));
}

} // namespace ck
