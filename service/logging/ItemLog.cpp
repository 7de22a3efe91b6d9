#include "ItemLog.h"

#include <QFile>

namespace ck {

ItemLog::ItemLog(const QString& logsDir, const QString& itemId, Logger& serviceLog)
    : m_path(QStringLiteral("%1/log_%2.txt").arg(logsDir, itemId)), m_itemId(itemId),
      m_serviceLog(serviceLog) {}

void ItemLog::write(Logger::Level level, const QString& message) {
    if (m_itemId.isEmpty()) { // an item not saved yet (Test of the editor's edits)
        m_serviceLog.write(level, message);
        return;
    }
    QFile f(m_path);
    if (f.open(QIODevice::Append | QIODevice::Text)) {
        f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup);
        f.write(Logger::formatLine(level, message).toUtf8() + '\n');
    }
    if (level >= Logger::Level::Warning)
        m_serviceLog.write(level, QStringLiteral("[%1] %2").arg(m_itemId, message));
}

QList<LogEntry> ItemLog::tail(int count) const {
    QFile f(m_path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    // Enough of the end of the file for `count` ordinary lines. When the read starts inside the
    // file, the first (possibly cut) line is skipped; the parser also drops continuation lines
    // that have no entry before them.
    const qint64 window = std::min<qint64>(f.size(), qint64(count) * 512 + 4096);
    f.seek(f.size() - window);
    QByteArray text = f.readAll();
    if (window < f.size())
        text.remove(0, text.indexOf('\n') + 1);
    QList<LogEntry> entries = parseLogText(QString::fromUtf8(text));
    if (entries.size() > count)
        entries = entries.mid(entries.size() - count);
    return entries;
}

} // namespace ck
