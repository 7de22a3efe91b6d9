#pragma once
// The service log (logs/service.log) and the fault log (logs/service.exceptions.log, warnings and
// errors only, so a user has one short file to read). Lines are
// "YYYY-MM-DD HH:MM:SS.mmm +ZZ:ZZ [LVL] message"; every line also goes to stderr, which systemd
// keeps in the journal. It also appends the per-certificate logs' lines (ItemLog) and tells a
// listener about each, which turns them into live events. Every file is size-capped: past its
// cap it becomes "<name>.1" (replacing the previous one) and a new file starts, so a log never
// fills the disk and the recent past is always there. Thread-safe. Callers never pass secrets.
// Line breaks, other control characters and text-direction overrides in a message are written
// escaped ("\n", "\u202E"): one call is one line, whatever names or outputs it quotes.
// A line is written whole or not at all: when the disk is full, what part of it got out is cut
// off again, so the file never holds half a line that the next one would run into. Lines that
// could not be written are counted, and the first line written once there is room again says
// how many were lost and since when (stderr, and so the journal, still has them).

#include "base/Clock.h"

#include <QDateTime>
#include <QString>

#include <functional>
#include <mutex>

namespace ck::logging {

class Logger {
public:
    enum class Level { Debug, Information, Warning, Error };

    Logger() = default;
    ~Logger();
    Logger(const Logger&) = delete;
    Logger& operator=(const Logger&) = delete;
    // Opens the log files under `logsDir` (created 0700); until then lines go to stderr only.
    bool open(const QString& logsDir, QString* error);
    void setLevel(Level level) { m_level = level; }
    static Level levelFromName(const QString& name);

    void debug(const QString& m) { write(Level::Debug, m); }
    void info(const QString& m) { write(Level::Information, m); }
    void warning(const QString& m) { write(Level::Warning, m); }
    void error(const QString& m) { write(Level::Error, m); }
    void write(Level level, const QString& message);

    static QString formatLine(Level level, const QString& message,
                              const QDateTime& time = Clock::system().now().toLocalTime());
    static QString levelTag(Level level);

    // One line of a certificate's log, as its listener hears it.
    struct ItemLine {
        QString itemId;
        Level level = Level::Information;
        QDateTime time;
        QString message;
        bool progress = false; // a step of a running request
        int step = 0;          // its number within the request, from 1
    };
    using ItemLineListener = std::function<void(const ItemLine&)>;
    // Set once at start-up, before any item line is written.
    void setItemLineListener(ItemLineListener listener) { m_itemListener = std::move(listener); }
    // Appends the line to the item's log file at `path` (rotating it past its cap) and tells the
    // listener.
    void appendItemLine(const QString& path, const ItemLine& line);

    // Size caps; settable for tests of rotation.
    void setCaps(qint64 serviceLogBytes, qint64 itemLogBytes);
    qint64 itemLogCap() const { return m_itemLogCap; }

private:
    // One log file kept open for appending.
    struct File {
        QString path;
        int fd = -1;
    };
    void close(File& file);
    void rotateIfFull(File& file, qint64 cap);
    // Appends `line` whole (or not at all) to the open file, first telling of lines lost before;
    // counts it as lost when it cannot.
    void append(int fd, const QByteArray& line);
    void lost(); // one more line that no file took

    std::mutex m_mutex;
    Level m_level = Level::Information;
    File m_serviceLog;
    File m_exceptionsLog;
    qint64 m_serviceLogCap = 10 * 1024 * 1024;
    qint64 m_itemLogCap = 1024 * 1024;
    ItemLineListener m_itemListener;
    int m_lostLines = 0;   // lines no file took since the last one that did
    QDateTime m_lostSince; // when the first of them was lost
};

} // namespace ck::logging
