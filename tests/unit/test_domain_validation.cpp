// checkDomainName: one name as a user types it, normalized to what the CA and DNS use, or
// refused with a reason.

#include "TestSupport.h"
#include "model/Validation.h"

using namespace ck;

namespace {
QString repeat(char c, int n) {
    return QString(n, QLatin1Char(c));
}
// Four labels (63 + 63 + 63 + 61 characters and three dots): exactly 253 characters.
QString name253() {
    return repeat('a', 63) + '.' + repeat('b', 63) + '.' + repeat('c', 63) + '.' + repeat('d', 61);
}
} // namespace

TEST_CASE("Acceptable domain names are normalized", "[validation][domain]") {
    struct Case {
        QString input;
        QString normalized;
    };
    const auto c = GENERATE(
        Case{"www.example.com", "www.example.com"}, Case{"example.com", "example.com"},
        Case{"*.example.com", "*.example.com"}, Case{"EXAMPLE.com.", "example.com"},
        Case{"*.Example.COM.", "*.example.com"}, Case{"  www.example.com\t", "www.example.com"},
        Case{QString::fromUtf8("bücher.example"), "xn--bcher-kva.example"},
        Case{QString::fromUtf8("BÜCHER.example"), "xn--bcher-kva.example"},
        Case{QString::fromUtf8("*.bücher.example"), "*.xn--bcher-kva.example"},
        Case{"xn--bcher-kva.example", "xn--bcher-kva.example"},
        Case{"XN--BCHER-KVA.Example", "xn--bcher-kva.example"},
        Case{"xn--80ak6aa92e.com", "xn--80ak6aa92e.com"},
        Case{repeat('a', 63) + ".example.com", repeat('a', 63) + ".example.com"},
        Case{"a.b", "a.b"}, Case{"1-2-3.example.com", "1-2-3.example.com"},
        Case{"123.example.com", "123.example.com"}, Case{"example.xn--p1ai", "example.xn--p1ai"},
        Case{name253(), name253()}, Case{name253() + '.', name253()});
    INFO("input '" << c.input.toStdString() << "'");
    const auto check = checkDomainName(c.input);
    CHECK(check.error == QString());
    CHECK(check.ok());
    CHECK(check.normalized == c.normalized);
}

TEST_CASE("Unacceptable domain names are refused with a reason", "[validation][domain]") {
    const QString input = GENERATE(
        QString(), QStringLiteral("   "), QStringLiteral("."), QStringLiteral("localhost"),
        QStringLiteral("localhost."), QStringLiteral("*.com"), QStringLiteral("*"),
        QStringLiteral("*.*.example.com"), QStringLiteral("www.*.example.com"),
        QStringLiteral("*example.com"), QStringLiteral("w*w.example.com"),
        QStringLiteral("-bad.example.com"), QStringLiteral("bad-.example.com"),
        QStringLiteral("www.example-.com"), repeat('a', 64) + QStringLiteral(".example.com"),
        name253() + QStringLiteral("d"), QStringLiteral("*.") + name253(),
        QStringLiteral("under_score.example.com"), QStringLiteral("exa mple.com"),
        QStringLiteral("www example.com"), QStringLiteral("www.example.com x"),
        QStringLiteral("1.2.3.4"), QStringLiteral("192.0.2.1."), QStringLiteral("www..example.com"),
        QStringLiteral(".example.com"), QStringLiteral("example.com.."),
        QStringLiteral("http://example.com"), QStringLiteral("example.com/path"),
        QStringLiteral("example.com:443"), QStringLiteral("user@example.com"),
        QStringLiteral("[2001:db8::1]"));
    INFO("input '" << input.toStdString() << "'");
    const auto check = checkDomainName(input);
    CHECK_FALSE(check.ok());
    CHECK_FALSE(check.error.isEmpty());
    CHECK(check.normalized.isEmpty());
}

TEST_CASE("Refusals say what is wrong with the name", "[validation][domain]") {
    CHECK(checkDomainName(QString()).error.contains(QStringLiteral("empty")));
    CHECK(checkDomainName(QStringLiteral("localhost")).error.contains(QStringLiteral("fully")));
    CHECK(checkDomainName(QStringLiteral("1.2.3.4")).error.contains(QStringLiteral("IP")));
    CHECK(checkDomainName(QStringLiteral("under_score.example.com"))
              .error.contains(QStringLiteral("'_'")));
    CHECK(checkDomainName(name253() + QStringLiteral("d")).error.contains(QStringLiteral("253")));
}

// Validation.cpp converts the whole name with QUrl::toAce before checking its labels. toAce
// returns an empty string for these plain ASCII names, so the user is told the name "is not a
// valid internationalized domain name" and the label checks that would say why never run.
TEST_CASE("Refusals of plain ASCII names name the actual problem", "[validation][domain]") {
    CHECK(checkDomainName(QStringLiteral("-bad.example.com"))
              .error.contains(QStringLiteral("hyphen")));
    CHECK(checkDomainName(QStringLiteral("bad-.example.com"))
              .error.contains(QStringLiteral("hyphen")));
    CHECK(checkDomainName(repeat('a', 64) + QStringLiteral(".example.com"))
              .error.contains(QStringLiteral("63")));
    CHECK(checkDomainName(QStringLiteral("www.*.example.com"))
              .error.contains(QStringLiteral("first label")));
    CHECK(checkDomainName(QStringLiteral("exa mple.com")).error.contains(QStringLiteral("' '")));
}

// IDNA2008 (RFC 5891), which browsers and CAs follow, maps "faß.de" to xn--fa-hia.de, a domain of
// its own. Validation.cpp uses QUrl::AceTransitionalProcessing (IDNA 2003 mapping), which turns
// it into "fass.de": the certificate would be for a different domain than the one asked for.
TEST_CASE("Internationalized names use IDNA2008 (non-transitional) mapping",
          "[validation][domain]") {
    CHECK(checkDomainName(QString::fromUtf8("faß.de")).normalized ==
          QStringLiteral("xn--fa-hia.de"));
    CHECK(checkDomainName(QString::fromUtf8("www.βόλος.gr")).normalized ==
          QStringLiteral("www.xn--nxasmm1c.gr"));
}
