#pragma once
// One entry of a certificate's log as the API serves it, and the parser of the log file format
// "YYYY-MM-DD HH:MM:SS.mmm +ZZ:ZZ [LVL] message" (a message may span lines: a line that does
// not start with a timestamp continues the entry before it).

#include "ApiError.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace ck {

struct LogEntry {
    QDateTime time;
    QString level; // "DBG", "INF", "WRN", "ERR"
    QString message;

    QJsonObject toJson() const;
    static LogEntry fromJson(const QJsonObject& o);
    bool operator==(const LogEntry&) const = default;
};

QList<LogEntry> parseLogText(const QString& text);

} // namespace ck
