// validateManagedCertificate: the whole item as the service will accept it, normalized in place,
// with every problem reported by field path.

#include "TestSupport.h"
#include "model/Validation.h"

#include <QJsonArray>

using namespace ck;
using cktest::fieldsOf;

namespace {
ManagedCertificate item(const QString& name, const QStringList& names,
                        const QString& primary = {}) {
    ManagedCertificate m;
    m.name = name;
    m.requestConfig.subjectAlternativeNames = names;
    m.requestConfig.primaryDomain = primary;
    return m;
}

QStringList manyNames(int count) {
    QStringList names;
    for (int i = 0; i < count; ++i)
        names.append(QStringLiteral("host%1.example.com").arg(i));
    return names;
}
} // namespace

TEST_CASE("A valid item is normalized in place", "[validation][item]") {
    auto m = item(QStringLiteral("  Web site  "),
                  {QStringLiteral("WWW.Example.com."), QString::fromUtf8("bücher.example"),
                   QStringLiteral("*.example.com")});
    const auto errors = validateManagedCertificate(m);
    CHECK(errors.isEmpty());
    CHECK(m.name == QStringLiteral("Web site"));
    CHECK(m.requestConfig.subjectAlternativeNames ==
          QStringList{"www.example.com", "xn--bcher-kva.example", "*.example.com"});
    // The primary domain defaults to the first name.
    CHECK(m.requestConfig.primaryDomain == QStringLiteral("www.example.com"));
    CHECK(m.domains() == m.requestConfig.subjectAlternativeNames);
}

TEST_CASE("A primary domain missing from the names is added to them", "[validation][item]") {
    auto m = item(QStringLiteral("n"), {QStringLiteral("a.example.com")},
                  QStringLiteral("Primary.Example.com"));
    CHECK(validateManagedCertificate(m).isEmpty());
    CHECK(m.requestConfig.primaryDomain == QStringLiteral("primary.example.com"));
    CHECK(m.requestConfig.subjectAlternativeNames ==
          QStringList{"primary.example.com", "a.example.com"});

    SECTION("a primary already listed (in another spelling) is not added twice") {
        auto m2 = item(QStringLiteral("n"),
                       {QStringLiteral("a.example.com"), QStringLiteral("b.example.com")},
                       QStringLiteral("B.EXAMPLE.COM."));
        CHECK(validateManagedCertificate(m2).isEmpty());
        CHECK(m2.requestConfig.primaryDomain == QStringLiteral("b.example.com"));
        CHECK(m2.requestConfig.subjectAlternativeNames ==
              QStringList{"a.example.com", "b.example.com"});
        CHECK(m2.domains() == QStringList{"b.example.com", "a.example.com"});
    }
    SECTION("a primary alone is enough") {
        auto m3 = item(QStringLiteral("n"), {}, QStringLiteral("only.example.com"));
        CHECK(validateManagedCertificate(m3).isEmpty());
        CHECK(m3.requestConfig.subjectAlternativeNames == QStringList{"only.example.com"});
    }
}

TEST_CASE("Names that are the same after normalization are duplicates", "[validation][item]") {
    auto m =
        item(QStringLiteral("n"), {QStringLiteral("Example.com"), QStringLiteral("example.com."),
                                   QStringLiteral("www.example.com")});
    const auto errors = validateManagedCertificate(m);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].field == QStringLiteral("requestConfig.subjectAlternativeNames[1]"));
    CHECK(errors[0].detail.contains(QStringLiteral("more than once")));

    auto idn = item(QStringLiteral("n"),
                    {QString::fromUtf8("bücher.example"), QStringLiteral("xn--bcher-kva.example")});
    CHECK(fieldsOf(validateManagedCertificate(idn)) ==
          QStringList{"requestConfig.subjectAlternativeNames[1]"});
}

TEST_CASE("Each bad name is reported at its own index", "[validation][item]") {
    auto m = item(QStringLiteral("n"),
                  {QStringLiteral("ok.example.com"), QStringLiteral("-bad.example.com"),
                   QStringLiteral("also-ok.example.com"), QStringLiteral("1.2.3.4")});
    CHECK(fieldsOf(validateManagedCertificate(m)) ==
          QStringList{"requestConfig.subjectAlternativeNames[1]",
                      "requestConfig.subjectAlternativeNames[3]"});

    auto badPrimary = item(QStringLiteral("n"), {QStringLiteral("ok.example.com")},
                           QStringLiteral("bad_primary.example.com"));
    CHECK(fieldsOf(validateManagedCertificate(badPrimary)) ==
          QStringList{"requestConfig.primaryDomain"});
}

TEST_CASE("A certificate holds at most 100 names", "[validation][item]") {
    auto atLimit = item(QStringLiteral("n"), manyNames(kMaxNamesPerCertificate));
    CHECK(validateManagedCertificate(atLimit).isEmpty());

    auto over = item(QStringLiteral("n"), manyNames(kMaxNamesPerCertificate + 1));
    const auto errors = validateManagedCertificate(over);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].field == QStringLiteral("requestConfig.subjectAlternativeNames"));
    CHECK(errors[0].detail.contains(QStringLiteral("100")));

    SECTION("an added primary counts towards the limit") {
        auto withPrimary = item(QStringLiteral("n"), manyNames(kMaxNamesPerCertificate),
                                QStringLiteral("primary.example.com"));
        CHECK(fieldsOf(validateManagedCertificate(withPrimary)) ==
              QStringList{"requestConfig.subjectAlternativeNames"});
    }
}

TEST_CASE("An item needs a name and at least one domain", "[validation][item]") {
    SECTION("missing name") {
        auto m = item(QString(), {QStringLiteral("example.com")});
        CHECK(fieldsOf(validateManagedCertificate(m)) == QStringList{"name"});
        auto blank = item(QStringLiteral("   "), {QStringLiteral("example.com")});
        CHECK(fieldsOf(validateManagedCertificate(blank)) == QStringList{"name"});
    }
    SECTION("name too long") {
        auto m = item(QString(kMaxItemNameLength + 1, QLatin1Char('n')),
                      {QStringLiteral("example.com")});
        CHECK(fieldsOf(validateManagedCertificate(m)) == QStringList{"name"});
        auto atLimit =
            item(QString(kMaxItemNameLength, QLatin1Char('n')), {QStringLiteral("example.com")});
        CHECK(validateManagedCertificate(atLimit).isEmpty());
    }
    SECTION("no names at all") {
        auto m = item(QStringLiteral("n"), {});
        const auto errors = validateManagedCertificate(m);
        CHECK(fieldsOf(errors) == QStringList{"requestConfig.subjectAlternativeNames"});
    }
}

// Validation.cpp adds "Add at least one domain name" only when no other error was found (meant to
// stay quiet when every listed name was refused), so a missing name hides the missing domains:
// the user fixes one, submits again, and only then hears of the other.
TEST_CASE("A missing name and missing domains are reported together", "[validation][item]") {
    auto m = item(QString(), {});
    CHECK(fieldsOf(validateManagedCertificate(m)) ==
          QStringList{"name", "requestConfig.subjectAlternativeNames"});
}

TEST_CASE("A dns-01 rule names a provider the service has, with parameters that fit it",
          "[validation][item]") {
    auto m = item(QStringLiteral("n"), {QStringLiteral("*.example.com")});
    ChallengeConfig script;
    script.type = QStringLiteral("dns-01");
    script.provider = QStringLiteral("script");
    script.parameters = {{"presentCommand", QJsonArray{"/usr/local/bin/dns-hook", "add"}},
                         {"propagationDelaySeconds", 30},
                         {"newerAppSetting", "kept"}};
    m.requestConfig.challenges = {script};
    CHECK(validateManagedCertificate(m).isEmpty());

    m.requestConfig.challenges[0].parameters = {{"presentCommand", QJsonArray{}},
                                                {"cleanupCommand", "rm -f x"},
                                                {"propagationDelaySeconds", 7200}};
    CHECK(fieldsOf(validateManagedCertificate(m)) ==
          QStringList{"requestConfig.challenges[0].parameters.presentCommand",
                      "requestConfig.challenges[0].parameters.cleanupCommand",
                      "requestConfig.challenges[0].parameters.propagationDelaySeconds"});

    m.requestConfig.challenges[0].provider = QStringLiteral("no-such-dns");
    const auto unknown = validateManagedCertificate(m);
    REQUIRE(fieldsOf(unknown) == QStringList{"requestConfig.challenges[0].provider"});
    CHECK(unknown[0].detail.contains(QStringLiteral("powerdns")));
}

TEST_CASE("A dns-01 rule may delegate its names' challenge to a CNAME target",
          "[validation][item][delegation]") {
    auto m = item(QStringLiteral("Delegated"), {QStringLiteral("www.example.com")});
    ChallengeConfig rule;
    rule.type = QStringLiteral("dns-01");
    rule.provider = QStringLiteral("rfc2136");
    rule.delegatedTo = QStringLiteral("  _ACME-Challenge.Auth.Example.NET.  ");
    m.requestConfig.challenges = {rule};
    CHECK(validateManagedCertificate(m).isEmpty());
    // Kept as the resolver writes names, without the trailing dot.
    CHECK(m.requestConfig.challenges[0].delegatedTo ==
          QStringLiteral("_acme-challenge.auth.example.net"));

    const QString field = QStringLiteral("requestConfig.challenges[0].delegatedTo");
    for (const QString& bad :
         {QStringLiteral("not a name"), QStringLiteral("single"), QStringLiteral("a..b.example"),
          QStringLiteral("*.auth.example.net"), QStringLiteral("-x.example.net")}) {
        auto broken = m;
        broken.requestConfig.challenges[0].delegatedTo = bad;
        const auto errors = validateManagedCertificate(broken);
        INFO(bad.toStdString());
        REQUIRE(fieldsOf(errors) == QStringList{field});
        CHECK(errors[0].detail.contains(QStringLiteral("is not a DNS name")));
    }
    // Only dns-01 places a record that a CNAME can lead elsewhere.
    auto http = m;
    http.requestConfig.challenges[0].type = QStringLiteral("http-01");
    http.requestConfig.challenges[0].provider.clear();
    const auto errors = validateManagedCertificate(http);
    REQUIRE(fieldsOf(errors) == QStringList{field});
    CHECK(errors[0].detail.contains(QStringLiteral("Only dns-01 challenges can be delegated")));
}
