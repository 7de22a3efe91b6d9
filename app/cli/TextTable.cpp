#include "cli/TextTable.h"

#include <QTextStream>

namespace ck::cli {

void TextTable::print(QTextStream& out) const {
    QList<qsizetype> widths;
    for (const auto& h : m_headers)
        widths.append(h.size());
    for (const auto& row : m_rows)
        for (qsizetype c = 0; c < row.size() && c < widths.size(); ++c)
            widths[c] = std::max(widths[c], row[c].size());
    auto printRow = [&](const QStringList& cells) {
        QString line;
        for (qsizetype c = 0; c < cells.size(); ++c) {
            const bool last = c + 1 == cells.size();
            line += last ? cells[c] : cells[c].leftJustified(widths.value(c) + 2);
        }
        out << line << '\n';
    };
    printRow(m_headers);
    for (const auto& row : m_rows)
        printRow(row);
}

} // namespace ck::cli
