#pragma once
// The text/event-stream format (HTML Living Standard, "server-sent events"), parsed
// incrementally: bytes go in as the network delivers them (a frame, a line, even a CR LF pair may
// be split across reads) and whole events come out. Lines end with LF, CR LF or CR; a line
// starting with ':' is a comment (servers send them to keep the connection alive); "id" sets the
// last event id that a reconnection sends back as Last-Event-ID; "retry" sets the reconnection
// delay; an empty line dispatches the event collected so far.

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace ck {

struct SseEvent {
    QString type = QStringLiteral("message"); // the "event" field, or "message"
    QByteArray data;                          // "data" lines joined with LF
    QByteArray id;                            // the last event id when it was dispatched
};

class SseParser {
public:
    // A line longer than this (no line end in sight) is a broken stream, not an event.
    static constexpr qsizetype kMaxLineBytes = 16 * 1024 * 1024;

    // Parses `bytes` and returns the events they completed. Returns nothing and sets error() when
    // a line grows past kMaxLineBytes.
    QList<SseEvent> feed(const QByteArray& bytes);

    // Forgets a partial line or event (the connection it came on is gone) but keeps the last event
    // id and the retry delay, which outlive connections.
    void resetConnection();

    const QByteArray& lastEventId() const { return m_lastEventId; }
    // The delay the server asked for with "retry", if it did.
    std::optional<int> retryMs() const { return m_retryMs; }
    bool anyLineSeen() const { return m_anyLine; } // comments count: the server is alive
    const QString& error() const { return m_error; }

private:
    void processLine(const QByteArray& line, QList<SseEvent>& out);
    void dispatch(QList<SseEvent>& out);

    QByteArray m_buffer;
    bool m_skipLeadingLf = false; // the previous read ended with CR: a following LF belongs to it
    bool m_bomChecked = false;
    bool m_anyLine = false;
    QByteArray m_data; // each data line with an LF after it
    QString m_type;
    QByteArray m_lastEventId;
    std::optional<int> m_retryMs;
    QString m_error;
};

} // namespace ck
