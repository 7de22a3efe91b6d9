// CSV import (certkeeper-cli import-csv, POST .../batch): any bytes a user hands us. Beyond not
// crashing, every verdict must name a line of the file, in order, and a refused row carries no
// item: a hostile file never yields a half-read certificate.

#include "csv/CsvItems.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const QString text =
        QString::fromUtf8(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    const ck::csv::CsvImport parsed = ck::csv::parseItemsCsv(text);
    const int lines = int(text.count(u'\n') + text.count(u'\r') + 1);
    int previous = 0;
    for (const auto& row : parsed.rows) {
        if (row.line <= previous || row.line > lines)
            std::abort(); // a verdict for no line, or out of order
        if (!row.error.isEmpty() && !row.item.isEmpty())
            std::abort(); // a refused row must not carry an item
        previous = row.line;
    }
    return 0;
}
