#pragma once
// The service log (logs/service.log) and the fault log (logs/service.exceptions.log, warnings and
// errors only, so a user has one short file to read). Lines are
// "YYYY-MM-DD HH:MM:SS.mmm +ZZ:ZZ [LVL] message"; every line also goes to stderr, which systemd
// keeps in the journal. Thread-safe. Callers never pass secrets.

#include <QFile>
#include <QString>

#include <mutex>

namespace ck {

class Logger {
public:
    enum class Level { Debug, Information, Warning, Error };

    Logger() = default;
    // Opens the log files under `logsDir` (created 0700); until then lines go to stderr only.
    bool open(const QString& logsDir, QString* error);
    void setLevel(Level level) { m_level = level; }
    static Level levelFromName(const QString& name);

    void debug(const QString& m) { write(Level::Debug, m); }
    void info(const QString& m) { write(Level::Information, m); }
    void warning(const QString& m) { write(Level::Warning, m); }
    void error(const QString& m) { write(Level::Error, m); }
    void write(Level level, const QString& message);

    static QString formatLine(Level level, const QString& message);

private:
    std::mutex m_mutex;
    Level m_level = Level::Information;
    QFile m_serviceLog;
    QFile m_exceptionsLog;
};

} // namespace ck
