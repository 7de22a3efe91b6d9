#pragma once
// Columns aligned with spaces for terminal output; the last column is not padded so that long
// domain lists do not leave trailing blanks.

#include <QList>
#include <QStringList>

class QTextStream;

namespace ck::cli {

class TextTable {
public:
    explicit TextTable(QStringList headers) : m_headers(std::move(headers)) {}
    void addRow(QStringList cells) { m_rows.append(std::move(cells)); }
    void print(QTextStream& out) const;

private:
    QStringList m_headers;
    QList<QStringList> m_rows;
};

} // namespace ck::cli
