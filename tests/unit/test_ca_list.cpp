// The built-in CA list and the fallback CAs an item may name.

#include "TestSupport.h"
#include "model/CertificateAuthority.h"
#include "model/Validation.h"

#include <QDate>

using namespace ck;

TEST_CASE("the built-in CAs are current, each with the date it was checked", "[ca]") {
    QStringList ids;
    for (const CertificateAuthority& ca : builtInCertificateAuthorities()) {
        INFO(ca.id.toStdString());
        ids << ca.id;
        CHECK(ca.builtIn);
        CHECK(validateCertificateAuthority(ca).isEmpty());
        const QDate checked = QDate::fromString(builtInFactsChecked(ca.id), Qt::ISODate);
        CHECK(checked.isValid());
        CHECK(checked.year() >= 2025);
    }
    CHECK(ids == QStringList{"letsencrypt", "zerossl", "google", "sslcom"});
    CHECK(ids.contains(QString::fromLatin1(kDefaultCertificateAuthority)));
}

TEST_CASE("BuyPass is retired: what names it is told what to choose instead", "[ca]") {
    REQUIRE(retiredCertificateAuthority("buypass") != nullptr);
    const QString warning = retiredCertificateAuthorityWarning("buypass");
    CHECK(warning.contains("BuyPass"));
    CHECK(warning.contains("ended its ACME service in 2025"));
    CHECK(warning.contains("Let's Encrypt"));
    CHECK(warning.contains("zerossl"));
    CHECK(retiredCertificateAuthority("letsencrypt") == nullptr);
    CHECK(retiredCertificateAuthorityWarning("letsencrypt").isEmpty());

    // An item naming it is still a valid item: kept, not refused or changed.
    ManagedCertificate item;
    item.name = QStringLiteral("old");
    item.certificateAuthorityId = QStringLiteral("buypass");
    item.requestConfig.subjectAlternativeNames = {QStringLiteral("www.example.com")};
    CHECK(validateManagedCertificate(item).isEmpty());
    CHECK(item.certificateAuthorityId == "buypass");
}

TEST_CASE("fallback CAs are checked", "[ca][validation]") {
    ManagedCertificate item;
    item.name = QStringLiteral("shop");
    item.certificateAuthorityId = QStringLiteral("zerossl");
    item.requestConfig.subjectAlternativeNames = {QStringLiteral("shop.example.com")};
    const QString field = QStringLiteral("requestConfig.fallbackCertificateAuthorityIds");

    item.requestConfig.fallbackCertificateAuthorityIds = {QStringLiteral(" letsencrypt "),
                                                          QStringLiteral("my-private-ca")};
    CHECK(validateManagedCertificate(item).isEmpty());
    CHECK(item.requestConfig.fallbackCertificateAuthorityIds ==
          QStringList{"letsencrypt", "my-private-ca"});

    // Round trip through JSON, with the CA that issued.
    item.certificateAuthorityIdUsed = QStringLiteral("letsencrypt");
    QList<FieldError> decodeErrors;
    const ManagedCertificate back = managedCertificateFromJson(toJson(item), &decodeErrors);
    CHECK(decodeErrors.isEmpty());
    CHECK(back.requestConfig.fallbackCertificateAuthorityIds ==
          item.requestConfig.fallbackCertificateAuthorityIds);
    CHECK(back.certificateAuthorityIdUsed == "letsencrypt");

    struct Case {
        QStringList ids;
        QString at;
        QString words;
    };
    const Case cases[] = {
        {{"zerossl"}, field + "[0]", "own CA"},
        {{"google", "google"}, field + "[1]", "more than once"},
        {{"Not An Id"}, field + "[0]", "not a CA id"},
        {{""}, field + "[0]", "not a CA id"},
        {{"a", "b", "c", "d", "e"}, field, "At most 4"},
    };
    for (const Case& c : cases) {
        INFO(c.ids.join(",").toStdString());
        ManagedCertificate copy = item;
        copy.requestConfig.fallbackCertificateAuthorityIds = c.ids;
        const QList<FieldError> errors = validateManagedCertificate(copy);
        REQUIRE(errors.size() == 1);
        CHECK(errors[0].field == c.at);
        CHECK(errors[0].detail.contains(c.words));
    }
    // The default CA (no id) is Let's Encrypt: naming it as a fallback repeats it.
    ManagedCertificate byDefault = item;
    byDefault.certificateAuthorityId.clear();
    byDefault.requestConfig.fallbackCertificateAuthorityIds = {QStringLiteral("letsencrypt")};
    CHECK(validateManagedCertificate(byDefault).size() == 1);
}
