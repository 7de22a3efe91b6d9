#pragma once
// The per-certificate log, logs/log_<id>.txt: every step of a request or renewal, one line each
// in the service log's format, so a user can read what happened to one certificate. Callers
// never pass secrets (keys, tokens, passwords).

#include "LogEntry.h"
#include "Logger.h"

#include <QString>

namespace ck {

class ItemLog {
public:
    // An empty id (an item not saved yet) writes to the service log only.
    ItemLog(const QString& logsDir, const QString& itemId, Logger& serviceLog);

    void info(const QString& message) { write(Logger::Level::Information, message); }
    void warning(const QString& message) { write(Logger::Level::Warning, message); }
    void error(const QString& message) { write(Logger::Level::Error, message); }
    void write(Logger::Level level, const QString& message);

    QString path() const { return m_path; }
    // The newest `count` entries, oldest first (multi-line messages joined).
    QList<LogEntry> tail(int count) const;

private:
    QString m_path;
    QString m_itemId;
    Logger& m_serviceLog;
};

} // namespace ck
