#pragma once
// The per-certificate log, logs/log_<id>.txt: every step of a request or renewal, one line each
// in the service log's format, so a user can read what happened to one certificate. Callers
// never pass secrets (keys, tokens, passwords). Lines are written through the service Logger,
// which caps the file's size and publishes each line as a live event.

#include "logging/Logger.h"
#include "model/LogEntry.h"

#include <QString>

namespace ck::logging {

class ItemLog {
public:
    // An empty id (an item not saved yet) writes to the service log only.
    ItemLog(const QString& logsDir, const QString& itemId, Logger& serviceLog);

    void info(const QString& message) { write(Logger::Level::Information, message); }
    void warning(const QString& message) { write(Logger::Level::Warning, message); }
    void error(const QString& message) { write(Logger::Level::Error, message); }
    void write(Logger::Level level, const QString& message);

    QString path() const { return m_path; }
    const QString& itemId() const { return m_itemId; }
    // The newest `count` entries, oldest first (multi-line messages joined), reaching into the
    // rotated file when the current one holds fewer.
    QList<LogEntry> tail(int count) const;

    // Lines written from now on are also steps of a running request (live progress events).
    void reportProgress(bool on) { m_progress = on; }

private:
    QString m_path;
    QString m_itemId;
    Logger& m_serviceLog;
    bool m_progress = false;
    int m_step = 0;
};

} // namespace ck::logging
