// Notifications against real receivers on loopback (NotificationReceiver: an HTTP listener and
// Debian's aiosmtpd with STARTTLS or TLS and a login): what is sent, when, and what a user reads
// when sending fails. No text ever holds the SMTP password or the webhook's secret path.

#include "NotificationReceiver.h"
#include "SchedulerHarness.h"

#include "credentials/CredentialStore.h"
#include "crypto/SecretBox.h"
#include "notifications/Notifier.h"

#include <catch2/catch.hpp>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

using namespace ck;
using namespace ck::test;

namespace {
std::string str(const QString& s) {
    return s.toStdString();
}

// A certificate that failed to renew for the first time, issued on T0.
ManagedCertificate failedItem() {
    ManagedCertificate item = issuedItem(QStringLiteral("shop.example.com"), T0);
    item.id = QStringLiteral("6b1c1f2e-item");
    item.requestConfig.subjectAlternativeNames = {QStringLiteral("shop.example.com"),
                                                  QStringLiteral("cdn.example.com")};
    item.certificateSerial = QStringLiteral("04a1b2");
    item.lastRenewalStatus = RequestState::Error;
    item.renewalFailureCount = 1;
    item.renewalFailureMessage = QStringLiteral("Pebble refused: too many orders");
    item.dateNextScheduledRenewalAttempt = T0.addDays(70);
    return item;
}

struct NotifierSetup {
    QTemporaryDir dir;
    asio::io_context ioc;
    logging::Logger log;
    credentials::CredentialStore credentials{
        dir.path(), crypto::SecretBox::loadOrCreate(dir.filePath("machine.key"))};
    NotificationReceiver receiver;
    notifications::Notifier notifier{ioc, credentials, log, dir.path()};
    NotificationSettings settings;

    explicit NotifierSetup(NotificationReceiver::Options options = {})
        : receiver(std::move(options)) {
        if (!receiver.start())
            FAIL("the notification receivers did not start: " << str(receiver.errorString()));
        const StoredCredential password =
            credentials.create(QStringLiteral("smtp-password"), QStringLiteral("Mail login"),
                               QJsonObject{{"password", NotificationReceiver::Options{}.password}});
        settings.targets.webhookUrl = receiver.webhookUrl();
        settings.targets.emailTo = {QStringLiteral("admin@example.test"),
                                    QStringLiteral("ops@example.test")};
        settings.smtp.host = QStringLiteral("127.0.0.1");
        settings.smtp.port = receiver.smtpPort();
        settings.smtp.security = SmtpSecurity::StartTls;
        settings.smtp.username = receiver.options().user;
        settings.smtp.passwordCredentialId = password.id;
        settings.smtp.from = QStringLiteral("certkeeper@example.test");
        settings.smtp.trustedRootFile = receiver.tlsRootFile();
    }

    QString sendTest(notifications::Channel channel) {
        return runToEnd(ioc, notifier.sendTest(channel, settings, QStringLiteral("testhost")));
    }
    // Runs the network loop until the receivers have `webhooks` and `mails` messages, at most
    // `ms` milliseconds.
    bool delivered(int webhooks, int mails, int ms = 10000) {
        auto guard = asio::make_work_guard(ioc);
        ioc.restart();
        for (int i = 0; i < ms / 20; ++i) {
            if (receiver.webhooks().size() >= webhooks && receiver.mails().size() >= mails)
                return true;
            ioc.run_for(std::chrono::milliseconds(20));
        }
        return false;
    }
    QString itemLog(const QString& id) const {
        QFile f(dir.filePath(QStringLiteral("log_%1.txt").arg(id)));
        return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
    }
    // The item's log once it holds `text` (the sender logs after the transfer has ended), or
    // after 5 s.
    QString logWith(const QString& id, const QString& text) {
        QString written = itemLog(id);
        for (int i = 0; i < 100 && !written.contains(text); ++i) {
            ioc.restart();
            ioc.run_for(std::chrono::milliseconds(50));
            written = itemLog(id);
        }
        return written;
    }
};

void requireNoSecret(const QString& text) {
    INFO(str(text));
    CHECK_FALSE(text.contains(NotificationReceiver::Options{}.password));
    CHECK_FALSE(text.contains(NotificationReceiver::webhookSecret()));
}
} // namespace

TEST_CASE("notifications: when a message is sent", "[renewal][notify]") {
    NotificationTargets failureOnly;
    NotificationTargets both;
    both.onSuccess = true;
    NotificationTargets none;
    none.onFailure = false;
    struct Row {
        const char* what;
        const NotificationTargets& targets;
        bool failed;
        int failureCount;
        int previousFailures;
        bool expected;
    };
    const std::vector<Row> rows{
        {"first failure", failureOnly, true, 1, 0, true},
        {"quick retries stay quiet", failureOnly, true, 2, 1, false},
        {"quick retries stay quiet (3rd)", failureOnly, true, 3, 2, false},
        {"each failure after the quick retries", failureOnly, true, 4, 3, true},
        {"... hours apart", failureOnly, true, 9, 8, true},
        {"failures not wanted", none, true, 1, 0, false},
        {"success not asked for", failureOnly, false, 0, 0, false},
        {"success after reported failures", failureOnly, false, 0, 4, true},
        {"success asked for", both, false, 0, 0, true},
        {"nothing wanted, even after failures", none, false, 0, 4, false},
    };
    for (const auto& row : rows) {
        INFO(row.what);
        CHECK(notifications::shouldNotify(row.targets, row.failed, row.failureCount,
                                          row.previousFailures) == row.expected);
    }
}

TEST_CASE("notifications: the texts name the certificate, domains, error and next attempt",
          "[renewal][notify]") {
    ManagedCertificate item = failedItem();
    item.renewalFailureCount = 2;
    const auto failed = notifications::describeOutcome(item, item.renewalFailureMessage, 1);
    CHECK(failed.subject == QStringLiteral("Certkeeper: renewing shop.example.com failed (2 times "
                                           "in a row)"));
    for (const QString& expected :
         {QStringLiteral("shop.example.com, cdn.example.com"),
          QStringLiteral("Pebble refused: too many orders"), QStringLiteral("2026-05-10 12:00 UTC"),
          QStringLiteral("serial 04a1b2"), QStringLiteral("certkeeper-cli log 6b1c1f2e-item")}) {
        INFO(str(expected) << " in\n" << str(failed.body));
        CHECK(failed.body.contains(expected));
    }
    CHECK(failed.webhook.value("event").toString() == QStringLiteral("renewalFailed"));
    CHECK(failed.webhook.value("domains").toArray().size() == 2);
    CHECK(failed.webhook.value("failureCount").toInt() == 2);
    CHECK(failed.webhook.value("text").toString() == failed.body);

    ManagedCertificate renewed = item;
    renewed.renewalFailureCount = 0;
    const auto ok = notifications::describeOutcome(renewed, {}, 4);
    CHECK(ok.subject == QStringLiteral("Certkeeper: shop.example.com renewed after 4 failed "
                                       "attempts"));
    CHECK(ok.webhook.value("event").toString() == QStringLiteral("renewalSucceeded"));
    CHECK(ok.body.contains(QStringLiteral("Next renewal:")));

    // Which CA issued: the item's own, or a fallback named as one.
    renewed.certificateAuthorityId = QStringLiteral("letsencrypt");
    renewed.certificateAuthorityIdUsed = QStringLiteral("letsencrypt");
    CHECK(notifications::describeOutcome(renewed, {}, 0)
              .body.contains(QStringLiteral("Issued by CA:        letsencrypt\n")));
    renewed.certificateAuthorityIdUsed = QStringLiteral("zerossl");
    const auto byFallback = notifications::describeOutcome(renewed, {}, 0);
    CHECK(byFallback.body.contains(QStringLiteral(
        "Issued by CA:        zerossl (a fallback: letsencrypt failed the request)")));
    CHECK(byFallback.webhook.value("certificateAuthorityIdUsed").toString() ==
          QStringLiteral("zerossl"));
}

TEST_CASE("notifications: a failed renewal reaches the webhook and every mailbox once, over "
          "STARTTLS with a login",
          "[renewal][notify][e2e]") {
    NotifierSetup s;
    const ManagedCertificate item = failedItem();
    s.notifier.requestFinished(item, item.renewalFailureMessage, 0, s.settings);
    REQUIRE(s.delivered(1, 1));

    const QList<QJsonObject> hooks = s.receiver.webhooks();
    REQUIRE(hooks.size() == 1);
    CHECK(hooks[0].value("method").toString() == QStringLiteral("POST"));
    CHECK(hooks[0].value("headers").toObject().value("content-type").toString() ==
          QStringLiteral("application/json"));
    const QJsonObject payload =
        QJsonDocument::fromJson(hooks[0].value("body").toString().toUtf8()).object();
    CHECK(payload.value("itemId").toString() == item.id);
    CHECK(payload.value("error").toString() == item.renewalFailureMessage);

    const QList<QJsonObject> mails = s.receiver.mails();
    REQUIRE(mails.size() == 1); // one message to both addresses
    CHECK(mails[0].value("to").toArray() ==
          QJsonArray{QStringLiteral("admin@example.test"), QStringLiteral("ops@example.test")});
    CHECK(mails[0].value("from").toString() == QStringLiteral("certkeeper@example.test"));
    CHECK(mails[0].value("tls").toBool());
    CHECK(mails[0].value("authenticated").toBool());
    CHECK(mails[0].value("login").toString() == s.receiver.options().user);
    const QString data = mails[0].value("data").toString();
    CHECK(data.contains(QStringLiteral("Pebble refused: too many orders")));
    // Plain ASCII stays readable in a mailbox; anything else is RFC 2047-encoded (unit test).
    CHECK(data.contains(QStringLiteral("Subject: Certkeeper: renewing shop.example.com failed")));
    requireNoSecret(data);
    requireNoSecret(hooks[0].value("body").toString());

    // The item's log says where it went, without the webhook's secret path.
    const QString log = s.logWith(item.id, QStringLiteral("Emailed"));
    CHECK(log.contains(QStringLiteral("Notified the webhook at 127.0.0.1:")));
    CHECK(log.contains(QStringLiteral("Emailed admin@example.test, ops@example.test")));
    requireNoSecret(log);

    // The quick retry that follows is not announced.
    ManagedCertificate again = item;
    again.renewalFailureCount = 3;
    s.notifier.requestFinished(again, item.renewalFailureMessage, 2, s.settings);
    s.delivered(2, 2, 1500); // waits; nothing more arrives
    CHECK(s.receiver.webhooks().size() == 1);
    CHECK(s.receiver.mails().size() == 1);
}

TEST_CASE("notifications: the item's own targets replace the global ones",
          "[renewal][notify][e2e]") {
    NotifierSetup s;
    ManagedCertificate item = failedItem();
    NotificationTargets own;
    own.onFailure = true;
    own.emailTo = {QStringLiteral("shop-team@example.test")};
    item.notificationOverride = own;
    s.notifier.requestFinished(item, item.renewalFailureMessage, 0, s.settings);
    REQUIRE(s.delivered(0, 1));
    s.delivered(1, 1, 1000); // give a webhook the time it would take
    CHECK(s.receiver.webhooks().isEmpty());
    CHECK(s.receiver.mails().value(0).value("to").toArray() ==
          QJsonArray{QStringLiteral("shop-team@example.test")});
}

TEST_CASE("notifications: test messages through the settings, and what a user reads when they "
          "fail",
          "[renewal][notify][e2e]") {
    NotifierSetup s;
    SECTION("webhook and email (STARTTLS, then implicit TLS)") {
        const QString hook = s.sendTest(notifications::Channel::Webhook);
        CHECK(hook.contains(QStringLiteral("127.0.0.1")));
        requireNoSecret(hook);
        const QString mail = s.sendTest(notifications::Channel::Email);
        CHECK(mail.contains(QStringLiteral("admin@example.test")));
        s.settings.smtp.security = SmtpSecurity::Tls;
        s.settings.smtp.port = s.receiver.smtpsPort();
        s.sendTest(notifications::Channel::Email);
        REQUIRE(s.delivered(1, 2));
        for (const auto& m : s.receiver.mails()) {
            CHECK(m.value("tls").toBool());
            CHECK(m.value("data").toString().contains(QStringLiteral("testhost")));
        }
    }
    SECTION("a wrong password") {
        const StoredCredential wrong =
            s.credentials.create(QStringLiteral("smtp-password"), QStringLiteral("Wrong"),
                                 QJsonObject{{"password", "not-the-password-9"}});
        s.settings.smtp.passwordCredentialId = wrong.id;
        try {
            s.sendTest(notifications::Channel::Email);
            FAIL("sending with a wrong password succeeded");
        } catch (const UpstreamError& e) {
            CHECK(e.message().contains(QStringLiteral("refused the user name or password")));
            CHECK_FALSE(e.message().contains(QStringLiteral("not-the-password-9")));
        }
        CHECK(s.receiver.mails().isEmpty());
    }
    SECTION("a server certificate nobody vouches for") {
        s.settings.smtp.trustedRootFile.clear();
        try {
            s.sendTest(notifications::Channel::Email);
            FAIL("an untrusted mail server was used");
        } catch (const DomainError& e) {
            INFO(str(e.message()));
            CHECK(e.message().startsWith(QStringLiteral("Sending email through 127.0.0.1:")));
            CHECK(e.message().contains(QStringLiteral("certificate")));
        }
        CHECK(s.receiver.mails().isEmpty());
    }
    SECTION("no target set") {
        s.settings.targets.webhookUrl.clear();
        try {
            s.sendTest(notifications::Channel::Webhook);
            FAIL("a test without a webhook address succeeded");
        } catch (const InvalidInputError& e) {
            CHECK(e.field() == QStringLiteral("notifications.targets.webhookUrl"));
        }
    }
}

TEST_CASE("notifications: a webhook that refuses is reported without its secret path",
          "[renewal][notify][e2e]") {
    NotificationReceiver::Options refusing;
    refusing.webhookStatus = 500;
    NotifierSetup s(refusing);
    try {
        s.sendTest(notifications::Channel::Webhook);
        FAIL("a refused webhook counted as sent");
    } catch (const UpstreamError& e) {
        CHECK(e.message().contains(QStringLiteral("HTTP 500")));
        CHECK(e.message().contains(QStringLiteral("receiver refused it")));
        requireNoSecret(e.message());
    }
    const ManagedCertificate item = failedItem();
    s.notifier.requestFinished(item, item.renewalFailureMessage, 0, s.settings);
    REQUIRE(s.delivered(2, 1));
    const QString log = s.logWith(item.id, QStringLiteral("Emailed"));
    CHECK(log.contains(QStringLiteral("Could not notify the webhook")));
    CHECK(log.contains(QStringLiteral("Emailed"))); // the email still went
    requireNoSecret(log);
}
