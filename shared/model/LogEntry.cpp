#include "model/LogEntry.h"

#include <QRegularExpression>

namespace ck {

QJsonObject LogEntry::toJson() const {
    return {{"time", time.toString(Qt::ISODateWithMs)}, {"level", level}, {"message", message}};
}

LogEntry LogEntry::fromJson(const QJsonObject& o) {
    return {QDateTime::fromString(o.value("time").toString(), Qt::ISODateWithMs),
            o.value("level").toString(), o.value("message").toString()};
}

QList<LogEntry> parseLogText(const QString& text) {
    static const QRegularExpression head(QStringLiteral(
        R"(^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) ([+-]\d\d:\d\d) \[([A-Z]{3})\] ?(.*)$)"));
    QList<LogEntry> entries;
    for (const QString& line : text.split(u'\n')) {
        const auto m = head.match(line);
        if (m.hasMatch()) {
            const QString stamp = m.captured(1).replace(u' ', u'T') + m.captured(2);
            entries.append(
                {QDateTime::fromString(stamp, Qt::ISODateWithMs), m.captured(3), m.captured(4)});
        } else if (!entries.isEmpty() && !line.isEmpty()) {
            entries.last().message += u'\n' + line;
        }
    }
    return entries;
}

} // namespace ck
