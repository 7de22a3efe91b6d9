#include "client/SseParser.h"

namespace ck {

QList<SseEvent> SseParser::feed(const QByteArray& bytes) {
    QList<SseEvent> events;
    if (!m_error.isEmpty())
        return events;
    m_buffer.append(bytes);
    if (!m_bomChecked) {
        static const QByteArray bom("\xEF\xBB\xBF");
        if (m_buffer.size() < bom.size() && bom.startsWith(m_buffer))
            return events; // too early to tell
        if (m_buffer.startsWith(bom))
            m_buffer.remove(0, bom.size());
        m_bomChecked = true;
    }
    qsizetype start = 0;
    if (m_skipLeadingLf && !m_buffer.isEmpty()) {
        if (m_buffer.at(0) == '\n')
            start = 1;
        m_skipLeadingLf = false;
    }
    while (start < m_buffer.size()) {
        qsizetype end = start;
        while (end < m_buffer.size() && m_buffer.at(end) != '\n' && m_buffer.at(end) != '\r')
            ++end;
        if (end == m_buffer.size())
            break; // an incomplete line: wait for the rest
        processLine(m_buffer.mid(start, end - start), events);
        if (m_buffer.at(end) == '\r') {
            if (end + 1 == m_buffer.size())
                m_skipLeadingLf = true; // the LF of a CR LF may come with the next read
            else if (m_buffer.at(end + 1) == '\n')
                ++end;
        }
        start = end + 1;
    }
    m_buffer.remove(0, start);
    if (m_buffer.size() > kMaxLineBytes) {
        m_error = QStringLiteral("the event stream sent a line longer than %1 MiB")
                      .arg(kMaxLineBytes / (1024 * 1024));
        m_buffer.clear();
    }
    return events;
}

void SseParser::processLine(const QByteArray& line, QList<SseEvent>& out) {
    m_anyLine = true;
    if (line.isEmpty()) {
        dispatch(out);
        return;
    }
    if (line.startsWith(':'))
        return; // a comment
    const qsizetype colon = line.indexOf(':');
    const QByteArray field = colon < 0 ? line : line.left(colon);
    QByteArray value = colon < 0 ? QByteArray() : line.mid(colon + 1);
    if (value.startsWith(' '))
        value.remove(0, 1);
    if (field == "event") {
        m_type = QString::fromUtf8(value);
    } else if (field == "data") {
        m_data.append(value);
        m_data.append('\n');
    } else if (field == "id") {
        if (!value.contains('\0'))
            m_lastEventId = value;
    } else if (field == "retry") {
        bool ok = false;
        const int ms = value.toInt(&ok);
        if (ok && ms >= 0 && !value.startsWith('+'))
            m_retryMs = ms;
    }
}

void SseParser::dispatch(QList<SseEvent>& out) {
    if (m_data.isEmpty()) {
        m_type.clear();
        return;
    }
    SseEvent event;
    m_data.chop(1); // the LF after the last data line
    event.data = m_data;
    if (!m_type.isEmpty())
        event.type = m_type;
    event.id = m_lastEventId;
    out.append(event);
    m_data.clear();
    m_type.clear();
}

void SseParser::resetConnection() {
    m_buffer.clear();
    m_skipLeadingLf = false;
    m_bomChecked = false;
    m_anyLine = false;
    m_data.clear();
    m_type.clear();
    m_error.clear();
}

} // namespace ck
