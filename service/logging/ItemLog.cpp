#include "logging/ItemLog.h"

#include "base/Clock.h"

#include <QDateTime>
#include <QFile>

namespace ck::logging {

namespace {
// The newest entries of one file, at most `count`: enough of the end of the file is read for
// `count` ordinary lines. When the read starts inside the file, the first (possibly cut) line is
// skipped; the parser also drops continuation lines that have no entry before them.
QList<LogEntry> tailOfFile(const QString& path, int count) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
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
} // namespace

ItemLog::ItemLog(const QString& logsDir, const QString& itemId, Logger& serviceLog)
    : m_path(QStringLiteral("%1/log_%2.txt").arg(logsDir, itemId)), m_itemId(itemId),
      m_serviceLog(serviceLog) {}

void ItemLog::write(Logger::Level level, const QString& message) {
    if (m_itemId.isEmpty()) { // an item not saved yet (Test of the editor's edits)
        m_serviceLog.write(level, message);
        return;
    }
    Logger::ItemLine line;
    line.itemId = m_itemId;
    line.level = level;
    line.time = Clock::system().now().toLocalTime();
    line.message = message;
    line.progress = m_progress;
    line.step = m_progress ? ++m_step : 0;
    m_serviceLog.appendItemLine(m_path, line);
    if (level >= Logger::Level::Warning)
        m_serviceLog.write(level, QStringLiteral("[%1] %2").arg(m_itemId, message));
}

QList<LogEntry> ItemLog::tail(int count) const {
    QList<LogEntry> entries = tailOfFile(m_path, count);
    if (entries.size() < count)
        entries = tailOfFile(m_path + QStringLiteral(".1"), count - int(entries.size())) + entries;
    return entries;
}

} // namespace ck::logging
