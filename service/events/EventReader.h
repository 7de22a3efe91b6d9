#pragma once
// One event stream's place in the EventHub's history. A stream holds no events of its own: it
// keeps the id of the last event it passed on and takes the next piece (at most `chunkBytes`)
// from the shared history when it can write again. A stream that stops reading therefore costs
// one piece, not a copy of everything published since.
//
// A reader that falls further behind than its limits (events or bytes published since its
// position) is not worth catching up: it gets `reset` (reload the list and logs) and the stream
// ends; the client reconnects from the present.

#include "events/EventHub.h"

namespace ck::events {

struct EventStreamLimits {
    std::size_t maxPendingEvents = 4096;
    std::size_t maxPendingBytes = 8 * 1024 * 1024;
    std::size_t chunkBytes = 64 * 1024;
};

class EventReader {
public:
    // `afterId`: the last event the client has; `itemFilter`: only this item's events (empty:
    // all).
    EventReader(const EventHub& hub, quint64 afterId, QString itemFilter,
                EventStreamLimits limits = {});

    struct Piece {
        QByteArray text;   // frames to send; may be empty while filtered events are skipped
        bool more = false; // more events are waiting: take the next piece without waiting
        bool end = false;  // the reader fell too far behind: send `text` (a reset), then end
    };
    Piece next();
    quint64 position() const { return m_position; }

    // The `reset` frame: the client reloads, and stands at `resumeAt` from then on.
    static QByteArray resetFrame(quint64 resumeAt);

private:
    const EventHub& m_hub;
    quint64 m_position;
    QString m_itemFilter;
    EventStreamLimits m_limits;
};

} // namespace ck::events
