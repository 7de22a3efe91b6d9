// A service killed with SIGKILL at each step of a request, as a crash or a power cut would, and
// started again: the request ends issued, with one order at the CA, the certificate's files and
// the exported copies whole, no challenge response left in the webroot, no order or key left
// noted, and the item's log saying what was resumed. The kill points are driven by the test build
// of the service (certkeeper-service-faultpoints, CERTKEEPER_KILL_AT); a second case kills the
// normal service at random moments while Pebble takes its random validation delays.

#include "ProxiedCa.h"
#include "WebServer.h"

#include <catch2/catch.hpp>

#include <QDeadlineTimer>
#include <QDir>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QThread>

using namespace ck::test;

namespace {
std::string str(const QString& s) {
    return s.toStdString();
}

// An item validated through a webroot that nginx serves on Pebble's http-01 port, with two
// export tasks after each request.
struct KillSetup {
    ProxiedCa s;
    QTemporaryDir webroot;
    QTemporaryDir exports;
    WebServer nginx;
    QString id;

    explicit KillSetup(IssuanceOptions options = IssuanceOptions::withoutAccount())
        : s(QStringLiteral("pebble-proxied"), QStringLiteral("Pebble via a proxy"), {},
            std::move(options)),
          nginx(webroot.path(), s.f.pebble->httpPort()) {
        REQUIRE(nginx.start());
        const QJsonArray rules{QJsonObject{
            {"type", "http-01"}, {"provider", "webroot"}, {"webrootPath", webroot.path()}}};
        const QJsonArray tasks{exportTask("Chain", "pemfullnokey", "fullchain.pem"),
                               exportTask("Key", "pemkey", "key.pem")};
        id = s.createItem(
            {QStringLiteral("kill.example.test"), QStringLiteral("www.kill.example.test")},
            {{"challenges", rules}}, {{"postRequestTasks", tasks}});
    }

    QJsonObject exportTask(const char* name, const char* format, const char* file) const {
        const QJsonObject parameters{{"format", format}, {"path", exports.filePath(file)}};
        return {{"name", name}, {"type", "export"}, {"parameters", parameters}};
    }

    // Waits until the service has died (it kills itself, or the test killed it).
    void waitForDeath(int timeoutMs) {
        QDeadlineTimer deadline(timeoutMs);
        while (s.f.service.isRunning()) {
            if (deadline.hasExpired())
                FAIL("the service did not reach the fault point:\n"
                     << str(s.f.service.output()) << "\nlog:\n"
                     << str(s.f.itemLog(id)));
            QThread::msleep(20);
        }
    }

    QStringList files(const QString& folder) const {
        return QDir(s.f.dataDir.filePath(folder)).entryList(QDir::Files | QDir::Hidden);
    }
    QString serviceLog() const {
        return QString::fromUtf8(IssuanceFixture::fileContents(
            s.f.dataDir.filePath(QStringLiteral("logs/service.log"))));
    }

    // After the restart: issued, the files whole and in place, nothing left behind.
    QJsonObject requireCleanEnd(int maxOrders) {
        const QJsonObject item = s.f.waitUntilDone(id, 120000);
        INFO("item log:\n" << str(s.f.itemLog(id)) << "\nservice log:\n" << str(serviceLog()));
        REQUIRE(item.value("lastRenewalStatus").toString() == "Success");
        requireCertificateFor(
            s.f, item,
            {QStringLiteral("kill.example.test"), QStringLiteral("www.kill.example.test")});
        CHECK(s.proxy.newOrderPayloads().size() <= maxOrders);
        // The item's five files and nothing else: no file of an attempt killed while writing.
        QStringList expected;
        for (const char* key :
             {"certificatePath", "certificateChainPath", "certificateFullChainPath",
              "certificateKeyPath", "certificatePfxPath"})
            expected << QFileInfo(item.value(QLatin1String(key)).toString()).fileName();
        expected.sort();
        CHECK(files(QStringLiteral("assets/") + id) == expected);
        // The exports are the certificate's own files, whole.
        CHECK(IssuanceFixture::fileContents(exports.filePath("fullchain.pem")) ==
              IssuanceFixture::fileContents(item.value("certificateFullChainPath").toString()));
        CHECK(IssuanceFixture::fileContents(exports.filePath("key.pem")) ==
              IssuanceFixture::fileContents(item.value("certificateKeyPath").toString()));
        // Only the two files (a temporary "<file>.tmp-*" of a write killed before its rename
        // may stand beside them: the files themselves are whole).
        QStringList exported = QDir(exports.path()).entryList(QDir::Files | QDir::Hidden);
        exported.removeIf(
            [](const QString& name) { return name.contains(QLatin1String(".tmp-")); });
        CHECK(exported == QStringList{QStringLiteral("fullchain.pem"), QStringLiteral("key.pem")});
        // Nothing left: no challenge file, no journal, no order or key noted for a restart.
        CHECK_FALSE(QDir(webroot.filePath(QStringLiteral(".well-known"))).exists());
        CHECK(files(QStringLiteral("webroot-files")).isEmpty());
        CHECK(files(QStringLiteral("pending-orders")).isEmpty());
        return item;
    }
};
} // namespace

TEST_CASE("kill: a service killed at any step of a request ends it after a restart, with one "
          "order, whole files and nothing left behind",
          "[e2e][acme][kill]") {
    const char* step = GENERATE("order-placed", "challenges-placed", "challenges-answered",
                                "finalized", "files-writing", "issued", "deployment-task-ran");
    DYNAMIC_SECTION("killed at " << step) {
        KillSetup k;
        REQUIRE(k.s.f.service.stop());
        QProcessEnvironment killAt;
        killAt.insert(QStringLiteral("CERTKEEPER_KILL_AT"), QString::fromLatin1(step));
        k.s.f.service.useBinary(QStringLiteral(CERTKEEPER_FAULTPOINTS_BIN), killAt);
        k.s.restartService();
        k.s.f.startRequest(k.id);
        k.waitForDeath(90000);
        REQUIRE(k.s.f.service.output().contains(QStringLiteral("fault point reached")));
        const QString stepName = QString::fromLatin1(step);
        if (stepName == QLatin1String("challenges-placed")) // what the restart must clean up
            CHECK(k.files(QStringLiteral("webroot-files")).size() == 1);

        k.s.f.service.useBinary({});
        k.s.restartService(); // the scheduler resumes the request at once
        k.requireCleanEnd(1);
        const QString log = k.s.f.itemLog(k.id);
        CHECK(log.contains(QStringLiteral("left unfinished when the service stopped; resuming")));
        if (stepName == QLatin1String("issued") || stepName == QLatin1String("deployment-task-ran"))
            CHECK(log.contains(QStringLiteral("running them again, without a new order")));
        else
            CHECK(log.contains(QStringLiteral("Continuing the unfinished order")));
    }
}

TEST_CASE("kill: a service killed at random moments while Pebble takes its time still ends "
          "the request well",
          "[e2e][acme][kill]") {
    IssuanceOptions options = IssuanceOptions::withoutAccount();
    options.pebble.vaNoSleep = false; // Pebble waits a random while before each validation
    KillSetup k(options);
    k.s.f.startRequest(k.id);
    // An order the CA made but the service had not noted yet when it died is ordered again:
    // the one window no client can close. Each kill may add at most that one.
    int allowedOrders = 1;
    for (int kill = 0; kill < 3; ++kill) {
        QThread::msleep(300 + QRandomGenerator::global()->bounded(2500));
        if (k.s.f.item(k.id).value("lastRenewalStatus").toString() == "Success")
            break;
        k.s.f.service.kill();
        if (k.files(QStringLiteral("pending-orders")).isEmpty())
            ++allowedOrders;
        k.s.restartService();
    }
    k.requireCleanEnd(allowedOrders);
}
