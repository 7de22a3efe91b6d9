#pragma once
// RFC 4180 records: fields separated by commas, optionally quoted with double quotes (a quote
// inside is doubled), line breaks allowed inside quotes, CRLF or LF line ends, a UTF-8 byte
// order mark ignored. Every record knows the line it starts on, so a report can name it. A
// broken record (text after a closing quote, a field over the length limit) is reported and
// reading goes on with the next line. A quoted field that runs over line ends and then breaks
// (never closed, or text after its closing quote) refuses only the line it opened on, and the
// lines after it are read again on their own: each line of a hostile file gets its own verdict.

#include <QList>
#include <QString>
#include <QStringList>

namespace ck::csv {

inline constexpr qsizetype kMaxFieldLength = 64 * 1024;

struct Record {
    int line = 0; // 1-based line the record starts on
    QStringList fields;
    QString error; // why the record cannot be used; fields are then incomplete
};

// Blank lines are skipped. `text` is the whole file.
QList<Record> readRecords(const QString& text);

} // namespace ck::csv
