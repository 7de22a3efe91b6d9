#include "events/EventReader.h"

namespace ck::events {

EventReader::EventReader(const EventHub& hub, quint64 afterId, QString itemFilter,
                         EventStreamLimits limits)
    : m_hub(hub), m_position(afterId), m_itemFilter(std::move(itemFilter)), m_limits(limits) {}

QByteArray EventReader::resetFrame(quint64 resumeAt) {
    return "id: " + QByteArray::number(resumeAt) +
           "\nevent: reset\ndata: {\"reason\":\"Some events were missed (the service restarted, "
           "the connection was away too long or did not keep up); reload the list and "
           "logs.\"}\n\n";
}

EventReader::Piece EventReader::next() {
    const EventHub::Backlog backlog = m_hub.since(m_position, m_limits.chunkBytes);
    Piece piece;
    if (backlog.pendingEvents > m_limits.maxPendingEvents ||
        backlog.pendingBytes > m_limits.maxPendingBytes) {
        // Sending it all would hold the history's worth for this one slow client.
        m_position = m_hub.lastId();
        piece.text = resetFrame(m_position);
        piece.end = true;
        return piece;
    }
    if (backlog.missedSome) {
        // A reconnect from too long ago: reload, then carry on from the oldest event kept.
        piece.text = resetFrame(backlog.reloadPoint);
        m_position = backlog.reloadPoint;
    }
    for (const auto& event : backlog.events) {
        if (m_itemFilter.isEmpty() || event->itemId == m_itemFilter)
            piece.text += event->frame();
        m_position = event->id;
    }
    piece.more = backlog.events.size() < backlog.pendingEvents;
    return piece;
}

} // namespace ck::events
