// Names that logs quote refuse what would break a log line (line breaks, other control
// characters, text-direction overrides), and log text escapes the same characters so one message
// is always one line that reads as it is.

#include "TestSupport.h"
#include "model/CertificateAuthority.h"
#include "model/PlainText.h"
#include "model/StoredCredential.h"
#include "model/Validation.h"

#include <algorithm>

using namespace ck;
using cktest::fieldsOf;

namespace {
struct BadCharacter {
    const char* what;
    char16_t c;
    const char* escaped; // as a log line writes it
};
// One of each class the checks refuse.
const BadCharacter kBad[] = {
    {"line feed", u'\n', "\\n"},
    {"carriage return", u'\r', "\\r"},
    {"tab", u'\t', "\\t"},
    {"NUL", 0x0000, "\\u0000"},
    {"escape (C0)", 0x001B, "\\u001B"},
    {"DEL", 0x007F, "\\u007F"},
    {"next line (C1)", 0x0085, "\\u0085"},
    {"CSI (C1)", 0x009B, "\\u009B"},
    {"line separator", 0x2028, "\\u2028"},
    {"right-to-left mark", 0x200F, "\\u200F"},
    {"right-to-left override", 0x202E, "\\u202E"},
    {"left-to-right embedding", 0x202A, "\\u202A"},
    {"first strong isolate", 0x2068, "\\u2068"},
    {"pop directional isolate", 0x2069, "\\u2069"},
};

QString with(char16_t c) {
    return QStringLiteral("Shop") + QChar(c) + QStringLiteral("2026-01-01 [ERR] forged");
}

ManagedCertificate namedItem(const QString& name) {
    ManagedCertificate m;
    m.name = name;
    m.requestConfig.subjectAlternativeNames = {QStringLiteral("shop.example.com")};
    return m;
}
} // namespace

TEST_CASE("an item name with a line break, control or direction character is refused",
          "[validation][text]") {
    for (const auto& bad : kBad) {
        INFO(bad.what);
        ManagedCertificate m = namedItem(with(bad.c));
        const auto names = checkItemNames(m);
        REQUIRE(fieldsOf(names) == QStringList{"name"});
        if (bad.c >= 0x200E && bad.c != 0x2028)
            CHECK(names[0].detail ==
                  QStringLiteral("The name contains an invisible text-direction character "
                                 "(U+%1); remove it")
                      .arg(QString::fromLatin1(bad.escaped + 2)));
        else
            CHECK(names[0].detail ==
                  QStringLiteral("The name contains a line break or control character; remove it"));
        CHECK(fieldsOf(validateManagedCertificate(m)) == QStringList{"name"});
    }
}

TEST_CASE("ordinary names pass, accents, scripts and emoji included", "[validation][text]") {
    for (const QString& name :
         {QStringLiteral("Web shop (main)"), QString::fromUtf8("Bücherei – Köln"),
          QString::fromUtf8("موقع المتجر"), QString::fromUtf8("商店 🛒"),
          QStringLiteral("a\\b \"quoted\" 'x'")}) {
        INFO(name.toStdString());
        ManagedCertificate m = namedItem(name);
        CHECK(checkItemNames(m).isEmpty());
        CHECK(validateManagedCertificate(m).isEmpty());
    }
}

TEST_CASE("task names, credential names, CA titles and email addresses refuse them too",
          "[validation][text]") {
    ManagedCertificate m = namedItem(QStringLiteral("Shop"));
    DeploymentTask task;
    task.type = QStringLiteral("script");
    task.name = with(u'\n');
    m.postRequestTasks = {task};
    CHECK(fieldsOf(checkItemNames(m)) == QStringList{"postRequestTasks[0].name"});
    m.preRequestTasks = {task};
    m.preRequestTasks[0].name = with(0x202E);
    CHECK(fieldsOf(checkItemNames(m)) ==
          (QStringList{"preRequestTasks[0].name", "postRequestTasks[0].name"}));

    const auto credential = validateCredential(QStringLiteral("smtp-password"), with(u'\r'),
                                               QJsonObject{{"password", "secret"}});
    CHECK(fieldsOf(credential) == QStringList{"title"});
    CHECK(credential[0].detail.contains(QStringLiteral("line break or control character")));

    CertificateAuthority ca;
    ca.id = QStringLiteral("private");
    ca.title = with(0x2066);
    ca.directoryUrl = QStringLiteral("https://ca.example.com/directory");
    CHECK(fieldsOf(validateCertificateAuthority(ca)).contains(QStringLiteral("title")));

    NotificationTargets targets;
    targets.emailTo = {QStringLiteral("ops@example.com"), QStringLiteral("ops@example.com\u202E"),
                       QStringLiteral("ops@exa\x01mple.com")};
    CHECK(fieldsOf(validateNotificationTargets(targets, QStringLiteral("t"))) ==
          (QStringList{"t.emailTo[1]", "t.emailTo[2]"}));
}

TEST_CASE("log text escapes every such character and leaves the rest as it is", "[logs][text]") {
    for (const auto& bad : kBad) {
        INFO(bad.what);
        const QString escaped = escapeForLine(with(bad.c));
        CHECK(escaped == QStringLiteral("Shop") + QLatin1String(bad.escaped) +
                             QStringLiteral("2026-01-01 [ERR] forged"));
        CHECK_FALSE(std::any_of(escaped.begin(), escaped.end(), isUnsafeInLine));
    }
    const QString plain = QString::fromUtf8("Bücherei – 商店 C:\\new \"x\"");
    CHECK(escapeForLine(plain) == plain);
    CHECK(escapeForLine(QStringLiteral("a\r\nb\u2067c")) == QStringLiteral("a\\r\\nb\\u2067c"));
}
