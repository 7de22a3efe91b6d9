#include "csv/CsvReader.h"

namespace ck::csv {

namespace {
class Reader {
public:
    explicit Reader(const QString& text) : m_text(text) {
        if (m_text.startsWith(QChar(0xFEFF)))
            m_pos = 1;
    }

    QList<Record> readAll() {
        QList<Record> records;
        while (m_pos < m_text.size()) {
            Record r = readRecord();
            if (r.fields.size() == 1 && r.fields.first().isEmpty() && r.error.isEmpty())
                continue; // a blank line
            records.append(std::move(r));
        }
        return records;
    }

private:
    QChar peek() const { return m_pos < m_text.size() ? m_text[m_pos] : QChar(); }
    bool atLineEnd() const { return peek() == u'\n' || peek() == u'\r'; }

    // Consumes one line end (CRLF, LF or a lone CR).
    void takeLineEnd() {
        if (peek() == u'\r')
            ++m_pos;
        if (peek() == u'\n')
            ++m_pos;
        ++m_line;
    }

    void skipRestOfLine() {
        while (m_pos < m_text.size() && !atLineEnd())
            ++m_pos;
        if (m_pos < m_text.size())
            takeLineEnd();
    }

    // A quoted field that ran over line ends and then broke (never closed, or closed and
    // followed by text) has no trustworthy end: only its first line is refused, and reading
    // starts again on the next line, so one stray quote cannot take every later line with it.
    void giveBackLaterLines(Record& r, qsizetype start) {
        m_pos = start;
        m_line = r.line;
        skipRestOfLine();
        r.fields.clear();
        r.error = QStringLiteral("field %1 opens a quote that is not closed on line %2 (or is "
                                 "closed wrongly further on); the lines after it are read on "
                                 "their own")
                      .arg(quotedFieldOnLine(start))
                      .arg(r.line);
    }

    // Which field of the line starting at `start` opens the first quote (1-based).
    qsizetype quotedFieldOnLine(qsizetype start) const {
        qsizetype field = 1;
        for (qsizetype i = start; i < m_text.size() && m_text[i] != u'"'; ++i)
            if (m_text[i] == u',')
                ++field;
        return field;
    }

    void fail(Record& r, const QString& why) {
        if (r.error.isEmpty())
            r.error = why;
    }

    Record readRecord() {
        Record r;
        r.line = m_line;
        const qsizetype start = m_pos;
        for (;;) {
            QString field;
            const bool ok = peek() == u'"' ? readQuoted(r, field) : readPlain(r, field);
            if (field.size() > kMaxFieldLength)
                fail(r, QStringLiteral("field %1 is longer than %2 characters")
                            .arg(r.fields.size() + 1)
                            .arg(kMaxFieldLength));
            r.fields.append(field.size() > kMaxFieldLength ? QString() : field);
            if (!ok) {
                if (m_line > r.line)
                    giveBackLaterLines(r, start);
                else
                    skipRestOfLine();
                return r;
            }
            if (peek() == u',') {
                ++m_pos;
                continue;
            }
            if (m_pos < m_text.size())
                takeLineEnd();
            return r;
        }
    }

    bool readPlain(Record& r, QString& field) {
        const qsizetype start = m_pos;
        while (m_pos < m_text.size() && peek() != u',' && !atLineEnd()) {
            if (peek() == u'"') {
                fail(r, QStringLiteral("field %1 has a quote inside it; put the whole field in "
                                       "quotes and double the quotes inside (\"\")")
                            .arg(r.fields.size() + 1));
                return false;
            }
            ++m_pos;
        }
        field = m_text.mid(start, m_pos - start);
        return true;
    }

    bool readQuoted(Record& r, QString& field) {
        const int openedOn = m_line;
        ++m_pos; // the opening quote
        for (;;) {
            if (m_pos >= m_text.size()) {
                fail(r,
                     QStringLiteral("the quote opened on line %1 is never closed").arg(openedOn));
                return false;
            }
            const QChar c = m_text[m_pos];
            if (c == u'"') {
                if (m_pos + 1 < m_text.size() && m_text[m_pos + 1] == u'"') {
                    field += u'"';
                    m_pos += 2;
                    continue;
                }
                ++m_pos; // the closing quote
                break;
            }
            if (c == u'\r' || c == u'\n') {
                field += u'\n';
                takeLineEnd();
                continue;
            }
            // Keep appending only while it matters: a hostile field is cut at the limit + 1.
            if (field.size() <= kMaxFieldLength)
                field += c;
            ++m_pos;
        }
        if (m_pos < m_text.size() && peek() != u',' && !atLineEnd()) {
            fail(r, QStringLiteral("field %1 has text after its closing quote")
                        .arg(r.fields.size() + 1));
            return false;
        }
        return true;
    }

    const QString& m_text;
    qsizetype m_pos = 0;
    int m_line = 1;
};
} // namespace

QList<Record> readRecords(const QString& text) {
    return Reader(text).readAll();
}

} // namespace ck::csv
