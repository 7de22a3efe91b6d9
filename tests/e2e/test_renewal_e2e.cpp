// The renewal scheduler end to end: the real service renewing against the real Pebble on its own
// (and running the item's deployment tasks: exports, a reload of a real nginx that then serves
// the new certificate, and a script), a failing renewal backing off
// and notifying a real webhook listener and a real SMTP server (NotificationReceiver) while the
// previous certificate stays in place, a service stopped in the middle of an order finishing it
// after the restart without a second order, and certkeeper-cli renew. No clock tricks: items are
// due because they were never issued, or by an override such as 3650 days before expiry; a
// scheduler pass runs at once whenever the settings are saved, so no test waits for the timer.

#include "CliRun.h"
#include "IssuanceFixture.h"
#include "ManagedProcess.h"
#include "NginxTarget.h"
#include "NotificationReceiver.h"
#include "ProxiedCa.h"

#include <catch2/catch.hpp>

#include <QDeadlineTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QThread>

#include <unistd.h>

using namespace ck::test;

namespace {
std::string str(const QString& s) {
    return s.toStdString();
}

QDateTime dateOf(const QJsonObject& item, const char* key) {
    return QDateTime::fromString(item.value(QLatin1String(key)).toString(), Qt::ISODateWithMs);
}

int schedulerChecks(const IssuanceFixture& f) {
    return f.http->get("/api/system/diagnostics")
        .json()
        .value("scheduler")
        .toObject()
        .value("checks")
        .toInt();
}

// Saves settings (a partial document) and waits until the pass it starts has queued its
// renewals.
void putSettings(const IssuanceFixture& f, QJsonObject patch) {
    const int before = schedulerChecks(f);
    patch.insert("automaticRenewal", true); // the fixture starts with it paused
    const auto saved = f.http->put("/api/settings", patch);
    INFO(saved.body);
    REQUIRE(saved.status == 200);
    QDeadlineTimer deadline(15000);
    while (schedulerChecks(f) <= before) {
        REQUIRE_FALSE(deadline.hasExpired());
        QThread::msleep(20);
    }
}

// PUT of the item with `changes` applied to its current JSON.
void editItem(const IssuanceFixture& f, const QString& id, const QJsonObject& changes) {
    QJsonObject item = f.item(id);
    for (auto it = changes.begin(); it != changes.end(); ++it)
        item.insert(it.key(), it.value());
    const auto saved = f.http->put("/api/managedcertificates/" + id.toStdString(), item);
    INFO(saved.body);
    REQUIRE(saved.status == 200);
}

const QJsonObject kDueNow{{"mode", "daysBeforeExpiry"}, {"interval", 3650}};
} // namespace

TEST_CASE("renewal: due items renew on their own; one excluded from automatic renewal does not",
          "[e2e][renewal]") {
    IssuanceFixture f;
    const QString id = f.createItem({QStringLiteral("auto.example.test")});
    const QString off =
        f.createItem({QStringLiteral("by-hand.example.test")}, {}, {{"includeInAutoRenew", false}});
    putSettings(f, {{"renewal", QJsonObject{{"mode", "percentageOfLifetime"}, {"interval", 75}}}});

    const QJsonObject first = requireIssued(f, f.waitUntilDone(id));
    CHECK(f.itemLog(id).contains(
        QStringLiteral("Automatic renewal started: due: it has no certificate yet")));
    // The next renewal is planned at 75 % of the new certificate's lifetime.
    const QDateTime start = dateOf(first, "dateStart");
    const QDateTime expiry = dateOf(first, "dateExpiry");
    CHECK(dateOf(first, "dateNextScheduledRenewalAttempt") ==
          start.addMSecs(start.msecsTo(expiry) * 75 / 100));
    const QJsonObject untouched = f.item(off);
    CHECK(untouched.value("lastRenewalStatus").toString() == QStringLiteral("NotRunning"));
    CHECK(untouched.value("dateNextScheduledRenewalAttempt").isNull());
    CHECK_FALSE(f.itemLog(off).contains(QStringLiteral("renewal")));

    // An override that makes the issued certificate due now: the next pass renews it.
    editItem(f, id, {{"renewalOverride", kDueNow}});
    putSettings(f, {{"maxParallelRenewals", 2}});
    const QJsonObject second = requireIssued(f, f.waitUntilDone(id));
    CHECK(second.value("certificateThumbprint") != first.value("certificateThumbprint"));
    CHECK(second.value("certificatePreviousThumbprint") == first.value("certificateThumbprint"));
    CHECK(f.itemLog(id).contains(QStringLiteral("due: 3650 days before it expires")));

    const QJsonObject scheduler =
        f.http->get("/api/system/diagnostics").json().value("scheduler").toObject();
    INFO(str(QString::fromUtf8(QJsonDocument(scheduler).toJson())));
    CHECK(scheduler.value("maxParallelRenewals").toInt() == 2);
    CHECK(scheduler.value("intervalMinutes").toInt() == 5);
    const QDateTime lastRun =
        QDateTime::fromString(scheduler.value("lastRun").toString(), Qt::ISODateWithMs);
    CHECK(QDateTime::fromString(scheduler.value("nextRun").toString(), Qt::ISODateWithMs) ==
          lastRun.addSecs(300));
    CHECK(scheduler.value("itemsDue").toInt() == 1);
}

namespace {
QJsonObject task(const QString& name, const QString& type, const QJsonObject& parameters) {
    return {{"name", name},    {"type", type},           {"trigger", "onSuccess"},
            {"enabled", true}, {"fatalOnError", false},  {"runIfPreviousFailed", false},
            {"retries", 0},    {"retryDelaySeconds", 0}, {"parameters", parameters}};
}
} // namespace

TEST_CASE("renewal: a renewal the scheduler starts runs the deployment tasks: the exports land "
          "with their owner and mode, nginx serves the new certificate after the reload task, and "
          "a script sees it",
          "[e2e][renewal][deploy]") {
    IssuanceFixture f;
    NginxTarget nginx;
    const QString name = QStringLiteral("deployed.example.test");
    QTemporaryDir target;
    const QString seen = target.filePath(QStringLiteral("seen.txt"));
    ExportOwnership files;
    files.owner = QString::number(::getuid());
    files.group = QString::number(::getgid());
    files.keyMode = QStringLiteral("0600");
    QJsonArray tasks = nginx.deploymentTasks(name, files);
    tasks.append(
        task(QStringLiteral("Tell the operator"), QStringLiteral("script"),
             {{"program", "/bin/sh"},
              {"arguments", QStringLiteral("-c\necho \"$status $thumbprint\" >> ") + seen}}));
    const QString id = f.createItem({name}, {}, {{"postRequestTasks", tasks}});
    // Never issued, so due: the scheduler's pass (started by saving the settings) requests it.
    putSettings(f, {{"renewalCheckIntervalMinutes", 5}});
    const QJsonObject first = requireIssued(f, f.waitUntilDone(id));
    INFO("log:\n" << str(f.itemLog(id)));

    // The files are the certificate just issued, with the owner and mode asked for.
    const auto contents = &IssuanceFixture::fileContents;
    CHECK(contents(nginx.chainFile()) ==
          contents(first.value("certificateFullChainPath").toString()));
    CHECK(contents(nginx.keyFile()) == contents(first.value("certificateKeyPath").toString()));
    const QFileInfo chainInfo(nginx.chainFile());
    CHECK(chainInfo.ownerId() == ::getuid());
    CHECK(chainInfo.groupId() == ::getgid());
    CHECK(chainInfo.permissions() ==
          (QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadUser |
           QFileDevice::WriteUser | QFileDevice::ReadGroup | QFileDevice::ReadOther));
    CHECK(QFileInfo(nginx.keyFile()).permissions() ==
          (QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadUser |
           QFileDevice::WriteUser));
    // nginx was reloaded and serves it: the task's TLS check said so, and openssl agrees.
    const QString thumbprint = first.value("certificateThumbprint").toString();
    CHECK(f.itemLog(id).contains(nginx.reloadCheckedLine()));
    CHECK(nginx.servedThumbprint(name) == thumbprint);
    CHECK(contents(seen) == (QStringLiteral("success ") + thumbprint + u'\n').toUtf8());

    // Due again by an override: the scheduler's next renewal replaces what nginx serves.
    editItem(f, id, {{"renewalOverride", kDueNow}});
    putSettings(f, {{"renewalCheckIntervalMinutes", 5}});
    const QJsonObject second = requireIssued(f, f.waitUntilDone(id));
    const QString renewed = second.value("certificateThumbprint").toString();
    REQUIRE(renewed != thumbprint);
    CHECK(contents(nginx.chainFile()) ==
          contents(second.value("certificateFullChainPath").toString()));
    CHECK(nginx.servedThumbprint(name) == renewed);
    CHECK(contents(seen).endsWith((QStringLiteral("success ") + renewed + u'\n').toUtf8()));
}

TEST_CASE("renewal: a failing renewal backs off, notifies the webhook and the SMTP server as the "
          "failure policy says, and keeps the previous certificate",
          "[e2e][renewal][notify]") {
    IssuanceFixture f;
    NotificationReceiver receiver;
    if (!receiver.start())
        FAIL("the notification receivers did not start: " << str(receiver.errorString()));
    const QString password = f.createCredential(QStringLiteral("smtp-password"),
                                                {{"password", receiver.options().password}});
    putSettings(
        f, {{"notifications",
             QJsonObject{{"targets", QJsonObject{{"onFailure", true},
                                                 {"webhookUrl", receiver.webhookUrl()},
                                                 {"emailTo", QJsonArray{"admin@example.test"}}}},
                         {"smtp", QJsonObject{{"host", "127.0.0.1"},
                                              {"port", receiver.smtpPort()},
                                              {"security", "starttls"},
                                              {"username", receiver.options().user},
                                              {"passwordCredentialId", password},
                                              {"from", "certkeeper@example.test"},
                                              {"trustedRootFile", receiver.tlsRootFile()}}}}}});

    const QString id = f.createItem({QStringLiteral("failing.example.test")});
    const QJsonObject issued = requireIssued(f, f.requestAndWait(id));
    // Now its renewal cannot succeed (the challenge goes to a folder that does not exist), and
    // an override makes it due.
    editItem(f, id,
             {{"renewalOverride", kDueNow},
              {"requestConfig",
               QJsonObject{
                   {"subjectAlternativeNames", QJsonArray{"failing.example.test"}},
                   {"challenges", QJsonArray{QJsonObject{{"type", "http-01"},
                                                         {"provider", "webroot"},
                                                         {"webrootPath", "/nonexistent/www"}}}}}}});

    // Notified: the first failure, and each one after the three quick retries.
    const QList<int> notifiedAfter{1, 1, 1, 2};
    QJsonObject item;
    for (int attempt = 1; attempt <= 4; ++attempt) {
        INFO("attempt " << attempt);
        putSettings(f, {{"maxParallelRenewals", 1 + attempt}});
        item = f.waitUntilDone(id);
        REQUIRE(item.value("lastRenewalStatus").toString() == QStringLiteral("Error"));
        CHECK(item.value("renewalFailureCount").toInt() == attempt);
        CHECK(item.value("renewalFailureMessage").toString().contains("/nonexistent/www"));
        const QDateTime tried = dateOf(item, "dateLastRenewalAttempt");
        // Retried at the next pass three times; after the fourth failure, an hour later.
        CHECK(dateOf(item, "dateNextScheduledRenewalAttempt") ==
              (attempt < 4 ? tried : tried.addSecs(3600)));
        const int expected = notifiedAfter[attempt - 1];
        CHECK(receiver.waitForWebhooks(expected));
        CHECK(receiver.waitForMails(expected));
    }
    // The next pass leaves it alone: it waits for its hour.
    putSettings(f, {{"maxParallelRenewals", 4}});
    CHECK(f.item(id).value("renewalFailureCount").toInt() == 4);
    QThread::msleep(500); // anything still on its way would arrive by now
    CHECK(receiver.webhooks().size() == 2);
    CHECK(receiver.mails().size() == 2);

    // The previous certificate is still the item's, and still on disk.
    item = f.item(id);
    for (const char* key : {"certificatePath", "certificateKeyPath", "certificateFullChainPath",
                            "certificateThumbprint", "dateExpiry", "certificateSerial"})
        CHECK(item.value(QLatin1String(key)) == issued.value(QLatin1String(key)));
    CHECK(QFile::exists(item.value("certificateFullChainPath").toString()));

    // What the user reads: the certificate, its name, the error, the next attempt; no secret.
    const QJsonObject hook =
        QJsonDocument::fromJson(receiver.webhooks().last().value("body").toString().toUtf8())
            .object();
    CHECK(hook.value("event").toString() == QStringLiteral("renewalFailed"));
    CHECK(hook.value("itemId").toString() == id);
    CHECK(hook.value("failureCount").toInt() == 4);
    CHECK(hook.value("error").toString().contains("/nonexistent/www"));
    const QString mail = receiver.mails().last().value("data").toString();
    for (const QString& expected :
         {QStringLiteral("failing.example.test"), QStringLiteral("/nonexistent/www"),
          QStringLiteral("Failures in a row:   4"), QStringLiteral("Next attempt:"),
          QStringLiteral("Current certificate: valid until")}) {
        INFO(str(expected) << " in\n" << str(mail));
        CHECK(mail.contains(expected));
    }
    CHECK(receiver.mails().last().value("tls").toBool());
    CHECK(receiver.mails().last().value("authenticated").toBool());
    const QString log = f.itemLog(id);
    for (const QString& text :
         {mail, log, QString::fromStdString(f.http->get("/api/settings").body)}) {
        CHECK_FALSE(text.contains(receiver.options().password));
    }
    CHECK_FALSE(log.contains(NotificationReceiver::webhookSecret()));
    CHECK(log.contains(QStringLiteral("Emailed admin@example.test")));
}

namespace {
const QString kFinalize = QStringLiteral("/finalize-order/");
const QString kOrder = QStringLiteral("/my-order/");

// The Pebble behind `proxy`, known to the service as the CA "proxied" with an account there.
struct CrashingCa : ProxiedCa {
    CrashingCa()
        : ProxiedCa(QStringLiteral("proxied"), QStringLiteral("Pebble via a proxy"),
                    AcmeProxyOptions{.renewalInfo = false, .profiles = {}}) {}

    // kill -9 once the CA has seen `target`; then the service starts again.
    void crashOnceSeen(const QString& target) {
        QDeadlineTimer deadline(30000);
        while (proxy.requests(target).isEmpty()) {
            REQUIRE_FALSE(deadline.hasExpired());
            QThread::msleep(10);
        }
        f.service.kill();
        proxy.clearFaults();
        restartService();
    }
};
} // namespace

TEST_CASE("renewal: a service killed in the middle of an order finishes that order after the "
          "restart, without placing another",
          "[e2e][renewal][restart]") {
    CrashingCa s;
    const QString id = s.f.createItem({QStringLiteral("restart.example.test")}, {},
                                      {{"certificateAuthorityId", "proxied"}});
    SECTION("killed while the CA was issuing the certificate (after finalize)") {
        AcmeFault issuing;
        issuing.kind = AcmeFault::Kind::StillPending;
        issuing.target = kFinalize;
        s.proxy.addFault(issuing);
        issuing.target = kOrder;
        issuing.times = -1;
        s.proxy.addFault(issuing);
        s.f.startRequest(id);
        s.crashOnceSeen(kOrder);
    }
    SECTION("killed while finalize was unanswered") {
        AcmeFault hang;
        hang.kind = AcmeFault::Kind::Hang;
        hang.target = kFinalize;
        s.proxy.addFault(hang);
        s.f.startRequest(id);
        s.crashOnceSeen(kFinalize);
    }
    INFO("the restarted service:\n" << str(s.f.service.output()));
    const QJsonObject item = requireIssued(s.f, s.f.waitUntilDone(id));
    CHECK(s.proxy.newOrderPayloads().size() == 1);
    const QString log = s.f.itemLog(id);
    CHECK(log.contains(QStringLiteral("Automatic renewal started: its request was left "
                                      "unfinished")));
    CHECK(log.contains(QStringLiteral("Continuing the unfinished order")));
    CHECK(item.value("renewalFailureCount").toInt() == 0);
    // The certificate chains to Pebble's root, and is for the key the item holds (after a kill
    // after finalize: the key kept for that order).
    const QString fullChain = item.value("certificateFullChainPath").toString();
    CHECK(IssuanceFixture::opensslVerify(s.f.pebbleRootFile, fullChain).endsWith(": OK"));
    const QString openssl = findProgram(QStringLiteral("openssl"));
    const ToolResult certKey =
        runTool(openssl, {QStringLiteral("x509"), QStringLiteral("-in"), fullChain,
                          QStringLiteral("-noout"), QStringLiteral("-pubkey")});
    const ToolResult key =
        runTool(openssl, {QStringLiteral("pkey"), QStringLiteral("-in"),
                          item.value("certificateKeyPath").toString(), QStringLiteral("-pubout")});
    REQUIRE(certKey.ok());
    REQUIRE(key.ok());
    CHECK(certKey.stdOut == key.stdOut);
}

TEST_CASE("certkeeper-cli renew: renews now and waits; says what it did not renew and why",
          "[e2e][renewal][cli]") {
    IssuanceFixture f;
    const QString id = f.createItem({QStringLiteral("cli-renew.example.test")}, {},
                                    {{"includeInAutoRenew", false}});
    const ToolResult run = runCli(f, {QStringLiteral("renew"), id, QStringLiteral("--wait")});
    INFO(run.describe().toStdString());
    REQUIRE(run.exitCode == 0);
    CHECK(run.stdOut.contains("Renewed cli-renew.example.test"));
    requireIssued(f, f.item(id));

    const ToolResult unknown = runCli(f, {QStringLiteral("renew"), QStringLiteral("no-such-id")});
    CHECK(unknown.exitCode == 4);
    CHECK(unknown.stdErr.contains("no-such-id: no managed certificate has this id"));
    const ToolResult nothing = runCli(f, {QStringLiteral("renew"), QStringLiteral("--all")});
    CHECK(nothing.exitCode == 0);
    CHECK(nothing.stdOut.contains("No certificate is due for renewal"));
    const ToolResult neither = runCli(f, {QStringLiteral("renew")});
    CHECK(neither.exitCode == 2);
    CHECK(neither.stdErr.contains("renew needs --all or the IDs"));
}
