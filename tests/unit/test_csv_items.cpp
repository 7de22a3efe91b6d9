// CSV bulk import, the file side (shared/csv): columns by header or in the default order,
// quoting, line numbers in every refusal, and hostile input (stray quotes, very long fields,
// 10,000 rows) that must be refused line by line without losing the good lines.

#include "TestSupport.h"
#include "csv/CsvItems.h"

#include <QElapsedTimer>
#include <QJsonArray>

using namespace ck::csv;

namespace {
QStringList sans(const ItemRow& row) {
    QStringList out;
    for (const auto& v : row.item["requestConfig"]["subjectAlternativeNames"].toArray())
        out << v.toString();
    return out;
}
} // namespace

TEST_CASE("a header chooses the columns, in any order and any spelling", "[csv]") {
    const auto parsed = parseItemsCsv(QStringLiteral(
        "Domains,Name,Include in auto renew,Challenge Type,key_algorithm,CA,staging\n"
        "shop.example.com; www.shop.example.com,Shop,no,dns-01,rsa2048,zerossl,yes\n"));
    REQUIRE(parsed.fileError.isEmpty());
    CHECK(parsed.hasHeader);
    REQUIRE(parsed.rows.size() == 1);
    const ItemRow& row = parsed.rows.first();
    CHECK(row.line == 2);
    CHECK(row.error.isEmpty());
    CHECK(row.item["name"].toString() == "Shop");
    CHECK(sans(row) == QStringList{"shop.example.com", "www.shop.example.com"});
    CHECK(row.item["includeInAutoRenew"].toBool() == false);
    CHECK(row.item["useStagingMode"].toBool() == true);
    CHECK(row.item["certificateAuthorityId"].toString() == "zerossl");
    CHECK(row.item["requestConfig"]["keyAlgorithm"].toString() == "rsa2048");
    CHECK(row.item["requestConfig"]["challenges"][0]["type"].toString() == "dns-01");
}

TEST_CASE("without a header the columns are in the default order", "[csv]") {
    const auto parsed = parseItemsCsv(QStringLiteral(
        "Blog,blog.example.org;static.example.org,static.example.org,http-01,true\r\n"
        "\r\n"
        "Mail,mail.example.org\r\n"));
    REQUIRE(parsed.fileError.isEmpty());
    CHECK_FALSE(parsed.hasHeader);
    REQUIRE(parsed.rows.size() == 2);
    CHECK(parsed.rows[0].item["requestConfig"]["primaryDomain"].toString() == "static.example.org");
    CHECK(parsed.rows[0].item["includeInAutoRenew"].toBool());
    CHECK(parsed.rows[1].line == 3); // the blank line is skipped, and still counted
    CHECK(sans(parsed.rows[1]) == QStringList{"mail.example.org"});
    // A primary domain not among the domains becomes the first of them.
    const auto extra = parseItemsCsv(QStringLiteral("A,b.example.com,a.example.com\n"));
    CHECK(sans(extra.rows[0]) == QStringList{"a.example.com", "b.example.com"});
}

TEST_CASE("quoted fields keep commas, quotes and line breaks", "[csv]") {
    const auto parsed =
        parseItemsCsv(QStringLiteral("name,domains,comments\n"
                                     "\"Shop, EU\",shop.example.eu,\"says \"\"hi\"\"\nand more\"\n"
                                     "Next,next.example.eu,\n"));
    REQUIRE(parsed.rows.size() == 2);
    CHECK(parsed.rows[0].item["name"].toString() == "Shop, EU");
    CHECK(parsed.rows[0].item["comments"].toString() == "says \"hi\"\nand more");
    CHECK(parsed.rows[1].line == 4); // the quoted line break moved it down a line
    CHECK(parsed.rows[1].error.isEmpty());
}

TEST_CASE("bad lines are refused with their line number and the rest still read", "[csv]") {
    const auto parsed = parseItemsCsv(QStringLiteral("name,domains,includeInAutoRenew\n"
                                                     "Good,good.example.com,true\n"
                                                     "Stray,stray\"quote.example.com,true\n"
                                                     "\"After\"x,after.example.com,true\n"
                                                     "Bool,bool.example.com,perhaps\n"
                                                     "Wide,wide.example.com,true,extra\n"
                                                     "Also good,also.example.com\n"
                                                     "Open,\"never closed,true\n"
                                                     "Swallowed,swallowed.example.com,true\n"));
    REQUIRE(parsed.fileError.isEmpty());
    REQUIRE(parsed.rows.size() == 8);
    CHECK(parsed.rows[0].error.isEmpty());
    CHECK(parsed.rows[1].line == 3);
    CHECK(parsed.rows[1].error.contains("quote inside"));
    CHECK(parsed.rows[2].line == 4);
    CHECK(parsed.rows[2].error.contains("after its closing quote"));
    CHECK(parsed.rows[3].error.contains("perhaps"));
    CHECK(parsed.rows[4].error.contains("4 fields"));
    CHECK(parsed.rows[5].line == 7);
    CHECK(parsed.rows[5].error.isEmpty());
    CHECK(parsed.rows[6].line == 8);
    CHECK(parsed.rows[6].error.contains("field 2 opens a quote that is not closed on line 8"));
    // The line after an open quote is read on its own, not swallowed.
    CHECK(parsed.rows[7].line == 9);
    CHECK(parsed.rows[7].error.isEmpty());
    CHECK(parsed.rows[7].item["name"].toString() == "Swallowed");
}

TEST_CASE("a stray quote cannot pair with a later one and take the lines between", "[csv]") {
    // Line 3 opens a quote it never closes; line 6 has a quote that would close it, followed
    // by text. Read as one record, lines 3-6 would vanish into one refusal.
    const auto parsed = parseItemsCsv(QStringLiteral("name,domains\n"
                                                     "First,first.example.com\n"
                                                     "Open,\"open.example.com\n"
                                                     "Between,between.example.com\n"
                                                     "Also,also.example.com\n"
                                                     "Late,late\"x.example.com\n"
                                                     "Last,last.example.com\n"));
    REQUIRE(parsed.rows.size() == 6);
    QList<int> lines;
    for (const auto& row : parsed.rows)
        lines << row.line;
    CHECK(lines == QList<int>{2, 3, 4, 5, 6, 7});
    CHECK(parsed.rows[0].error.isEmpty());
    CHECK(parsed.rows[1].error.contains("not closed on line 3"));
    CHECK(parsed.rows[2].error.isEmpty());
    CHECK(parsed.rows[3].error.isEmpty());
    CHECK(parsed.rows[4].error.contains("quote inside"));
    CHECK(parsed.rows[5].error.isEmpty());
}

TEST_CASE("an unknown or repeated header column refuses the file", "[csv]") {
    const auto unknown =
        parseItemsCsv(QStringLiteral("name,domains,colour\nA,a.example.com,red\n"));
    CHECK(unknown.fileError.contains("\"colour\""));
    CHECK(unknown.fileError.contains("primaryDomain"));
    CHECK(unknown.rows.isEmpty());
    const auto twice = parseItemsCsv(QStringLiteral("name,domains,Name\n"));
    CHECK(twice.fileError.contains("twice"));
}

TEST_CASE("very long fields are refused, not kept", "[csv]") {
    const QString huge(kMaxFieldLength + 10, QLatin1Char('x'));
    const auto parsed =
        parseItemsCsv(QStringLiteral("name,domains\n%1,a.example.com\n\"%1\",b.example.com\n"
                                     "Fine,c.example.com\n")
                          .arg(huge));
    REQUIRE(parsed.rows.size() == 3);
    CHECK(parsed.rows[0].error.contains("longer than"));
    CHECK(parsed.rows[1].error.contains("longer than"));
    CHECK(parsed.rows[2].error.isEmpty());
}

TEST_CASE("a byte order mark and 10,000 rows", "[csv]") {
    QString text = QString(QChar(0xFEFF)) + QStringLiteral("name,domains\n");
    for (int i = 0; i < 10000; ++i)
        text += QStringLiteral("Site %1,s%1.example.com;www.s%1.example.com\n").arg(i);
    QElapsedTimer timer;
    timer.start();
    const auto parsed = parseItemsCsv(text);
    CHECK(timer.elapsed() < 5000);
    CHECK(parsed.hasHeader);
    REQUIRE(parsed.rows.size() == 10000);
    CHECK(parsed.rows.last().line == 10001);
    CHECK(parsed.rows.last().item["name"].toString() == "Site 9999");
    CHECK(std::all_of(parsed.rows.begin(), parsed.rows.end(),
                      [](const ItemRow& r) { return r.error.isEmpty(); }));
}
