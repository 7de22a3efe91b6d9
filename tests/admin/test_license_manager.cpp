// This install's activation: install.id, license.json bound to it, the item allowance, and
// expiry judged against an injected clock.

#include "DevLicense.h"
#include "licensing/LicenseKey.h"
#include "licensing/LicenseManager.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QTemporaryDir>

#include <catch2/catch.hpp>

using namespace ck;
using namespace ck::licensing;

namespace {
const QDateTime kStart(QDate(2026, 6, 1), QTime(12, 0), Qt::UTC);

LicenseManager managerFor(const QTemporaryDir& dir, const ManualClock& clock) {
    return LicenseManager(dir.path(), builtInPublicKey(), clock);
}

// A data directory with its license manager loaded, and the clock it judges expiry by.
struct Install {
    QTemporaryDir dir;
    ManualClock clock{kStart};
    LicenseManager manager = managerFor(dir, clock);
    Install() { manager.load(); }
};

LimitReachedError limitErrorFor(const ItemAllowance& allowance, int used, int adding) {
    try {
        allowance.require(used, adding);
    } catch (const LimitReachedError& e) {
        return e;
    }
    FAIL("no limit error");
    return LimitReachedError(QString());
}
} // namespace

TEST_CASE("a new install is Community with 5 certificates and a lasting install id", "[license]") {
    QTemporaryDir dir;
    ManualClock clock{kStart};
    auto manager = managerFor(dir, clock);
    CHECK(manager.load().isEmpty());
    const QString id = manager.installId();
    CHECK_FALSE(id.isEmpty());
    CHECK(QFile::exists(dir.filePath("install.id")));
    auto again = managerFor(dir, clock);
    again.load();
    CHECK(again.installId() == id);

    const LicenseInfo info = manager.info(4);
    CHECK(info.edition == "community");
    CHECK_FALSE(info.licensed);
    CHECK(info.itemLimit == kCommunityItemLimit);
    CHECK(info.remaining() == 1);
    CHECK(info.reminder().contains("4 are in use"));
    CHECK(manager.info(2).reminder().isEmpty());
    CHECK(manager.info(5).reminder().contains("all 5 are in use"));
    // Over the limit (a license that ended): the count as it is, not "all 5".
    const QString over = manager.info(10000).reminder();
    CHECK(over.contains(QLocale().toString(10000) + " are managed here, so no more can be added"));
    CHECK_FALSE(over.contains("all 5"));

    const ItemAllowance allowance = manager.allowance();
    CHECK_NOTHROW(allowance.require(4, 1));
    const LimitReachedError e = limitErrorFor(allowance, 5, 1);
    CHECK(e.message().contains("Community edition manages at most 5"));
    CHECK(e.message().contains("certkeeper-cli activate KEY"));
    CHECK(e.message().contains("Enter Key"));
}

TEST_CASE("activation lifts the limit, survives a restart, and deactivation keeps nothing",
          "[license]") {
    QTemporaryDir dir;
    ManualClock clock{kStart};
    auto manager = managerFor(dir, clock);
    manager.load();
    manager.activate(test::devLicenseKey(0));
    CHECK(manager.itemLimit() == 0);
    CHECK_NOTHROW(manager.allowance().require(5000, 5000));
    const QJsonObject record = QJsonDocument::fromJson([&] {
                                   QFile f(dir.filePath("license.json"));
                                   REQUIRE(f.open(QIODevice::ReadOnly));
                                   return f.readAll();
                               }())
                                   .object();
    CHECK(record.value("installId").toString() == manager.installId());
    CHECK((QFile::permissions(dir.filePath("license.json")) & QFileDevice::ReadOther) == 0);

    auto restarted = managerFor(dir, clock);
    CHECK(restarted.load().isEmpty());
    const LicenseInfo info = restarted.info(12);
    CHECK(info.licensed);
    CHECK(info.edition == "professional");
    CHECK(info.licensee == "tests@example.com");
    CHECK(info.unlimited());

    restarted.deactivate();
    CHECK_FALSE(QFile::exists(dir.filePath("license.json")));
    CHECK(restarted.info(12).edition == "community");
    CHECK(restarted.itemLimit() == kCommunityItemLimit);
    try {
        restarted.deactivate();
        FAIL("deactivated twice");
    } catch (const NotFoundError&) {
    }
}

TEST_CASE("a limited key names its own limit", "[license]") {
    Install install;
    install.manager.activate(test::devLicenseKey(20));
    const LimitReachedError e = limitErrorFor(install.manager.allowance(), 18, 3);
    CHECK(e.message().contains("professional license (tests@example.com) manages at most 20"));
    CHECK(e.message().contains("3 more certificates"));
}

TEST_CASE("a refused key leaves the install as it was", "[license]") {
    Install install;
    install.manager.activate(test::devLicenseKey(0));
    try {
        install.manager.activate(QStringLiteral("CK1.garbage"));
        FAIL("garbage accepted");
    } catch (const InvalidInputError& e) {
        CHECK(e.field() == "key");
    }
    CHECK(install.manager.info(0).licensed);
}

TEST_CASE("an expired license falls back to Community with a warning, items kept", "[license]") {
    QTemporaryDir dir;
    ManualClock clock{kStart};
    auto manager = managerFor(dir, clock);
    manager.load();
    manager.activate(test::devLicenseKey(0, clock.now().addDays(10)));
    CHECK(manager.info(8).licensed);

    clock.advance(11 * 24 * 3600);
    const LicenseInfo info = manager.info(8);
    CHECK_FALSE(info.licensed);
    CHECK(info.edition == "community");
    CHECK(info.itemLimit == kCommunityItemLimit);
    CHECK(info.licensee == "tests@example.com"); // still shown, so the user knows what expired
    CHECK(info.warning.contains("expired on 2026-06-11"));
    CHECK(info.warning.contains("still renew"));
    CHECK(limitErrorFor(manager.allowance(), 8, 1).message().contains("Community edition"));

    // A restart after expiry: the record is still read, and still expired.
    auto restarted = managerFor(dir, clock);
    const QStringList notices = restarted.load();
    REQUIRE(notices.size() == 1);
    CHECK(notices.first().contains("expired on 2026-06-11"));
    CHECK(restarted.info(8).warning.contains("expired"));
    // An expired key cannot be activated again.
    CHECK_THROWS_AS(restarted.activate(test::devLicenseKey(0, clock.now().addDays(-1))),
                    DomainError);
}

TEST_CASE("license.json from another install, or damaged, is not in force", "[license]") {
    QTemporaryDir dir;
    ManualClock clock{kStart};
    {
        auto manager = managerFor(dir, clock);
        manager.load();
        manager.activate(test::devLicenseKey(0));
    }
    QFile::remove(dir.filePath("install.id")); // the data directory was copied to a new install
    auto copied = managerFor(dir, clock);
    const QStringList notices = copied.load();
    REQUIRE(notices.size() == 1);
    CHECK(notices.first().contains("activated on another install"));
    CHECK(copied.info(0).edition == "community");
    CHECK_FALSE(copied.info(0).warning.isEmpty());

    QFile damaged(dir.filePath("license.json"));
    REQUIRE(damaged.open(QIODevice::WriteOnly | QIODevice::Truncate));
    damaged.write("{ not json");
    damaged.close();
    auto reloaded = managerFor(dir, clock);
    CHECK(reloaded.load().first().contains("cannot be read"));
    CHECK(QFile::exists(dir.filePath("license.json"))); // left for the user, not deleted
}
