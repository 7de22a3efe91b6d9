#pragma once
// `certkeeper-cli log ID --follow`: the newest entries of a certificate's log, then every new
// line as the service writes it (live events, GET /api/events?itemId=ID), until the user
// interrupts (exit 0) or the certificate is deleted (exit NotFound).
//
// Nothing missed, nothing twice: the event stream is opened first and the tail fetched only once
// it is connected, so a line written in between arrives both ways; lines already printed are
// recognised by time, level and message. When the service goes away the stream retries; when it
// is back and says events were lost (`reset`), the tail is fetched again and only what is new
// is printed.

#include "client/ApiClient.h"
#include "client/EventStream.h"

#include <QEventLoop>
#include <QSet>
#include <QTextStream>

#include <deque>
#include <functional>

namespace ck::cli {

// The entries printed so far (the newest few thousand), to print each entry once.
class PrintedEntries {
public:
    bool contains(const LogEntry& entry) const;
    void add(const LogEntry& entry);
    // Of a freshly fetched tail (oldest first), the entries not printed yet: those after the
    // last one printed, or, when the tail holds none of them, those newer than any printed.
    QList<LogEntry> unseenOf(const QList<LogEntry>& tail) const;

private:
    static constexpr std::size_t kRemembered = 5000;
    QSet<QString> m_keys;
    std::deque<QString> m_order; // oldest first, to forget the oldest
    QDateTime m_newest;
};

class LogFollower : public QObject {
    Q_OBJECT
public:
    // `fail` prints an error in the CLI's words and returns its exit code.
    LogFollower(ApiClient* client, QString itemId, int limit, bool json, QTextStream& out,
                QTextStream& err, std::function<int(const ApiError&)> fail);
    // Runs until the end; returns the exit code.
    int run();

private:
    void onConnected();
    void onDisconnected(const ApiError& why);
    void sayConnectionLost(const ApiError& why);
    void onLogEntry(const LogEntry& entry);
    void onReset();
    void onDeleted();
    void fetchTail();
    void onTail(const QList<LogEntry>& tail);
    void onTailFailed(const ApiError& error);
    void print(const LogEntry& entry);
    void finish(int code);

    ApiClient* m_client;
    QString m_itemId;
    int m_limit;
    bool m_json;
    QTextStream& m_out;
    QTextStream& m_err;
    std::function<int(const ApiError&)> m_fail;
    EventStream m_stream;
    QEventLoop m_loop;
    PrintedEntries m_printed;
    QList<LogEntry> m_pending; // live entries that arrived while a tail was being fetched
    bool m_everConnected = false;
    bool m_diagnosing = false; // the first connection failed; asking why
    bool m_outage = false;     // "connection lost" was said; "reconnected" is due
    bool m_fetching = false;   // a tail request is on its way
    bool m_tailStale = true;   // the tail must be (re)fetched once connected
    bool m_tailShown = false;  // the first tail was printed
    bool m_finished = false;
};

} // namespace ck::cli
