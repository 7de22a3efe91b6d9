// The notices that need no setting up (service/notifications/SystemNotices.h), piece by piece:
// the journal entry's fields, the mail to root as sendmail and as the local mail server get it
// (a real SMTP server, one that never answers, one that refuses), which sendmail is used, how
// often root is mailed and when email set up by the user keeps root out of it. The service
// sending both for real is tested end to end (tests/e2e/test_failure_notices.cpp).

#include "NotificationReceiver.h"
#include "SchedulerHarness.h"
#include "SilentServer.h"

#include "net/CurlTransfer.h"
#include "notifications/LocalMail.h"
#include "notifications/NotificationMessage.h"
#include "notifications/SystemJournal.h"

#include <catch2/catch.hpp>

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <atomic>
#include <thread>

using namespace ck;
using namespace ck::test;

namespace {
std::string str(const QString& s) {
    return s.toStdString();
}

const QString kSecretPath = QStringLiteral("T0KEN-5ecret");

// A certificate failing for the second time in a row, with an address holding a secret in the
// error (a webhook task's, say).
ManagedCertificate failingItem() {
    ManagedCertificate item = issuedItem(QStringLiteral("shop.example.com"), T0);
    item.id = QStringLiteral("6b1c1f2e-item");
    item.name = QStringLiteral("Shop");
    item.requestConfig.subjectAlternativeNames = {QStringLiteral("shop.example.com"),
                                                  QStringLiteral("cdn.example.com")};
    item.lastRenewalStatus = RequestState::Error;
    item.renewalFailureCount = 2;
    item.dateNextScheduledRenewalAttempt = T0.addDays(70);
    return item;
}

QString failure() {
    return QStringLiteral("The CA refused the order (rateLimited). The hook at "
                          "https://user:pw@hooks.example.com/services/%1?x=1 was not called.")
        .arg(kSecretPath);
}

QMap<QByteArray, QByteArray> fieldsOf(const notifications::JournalFields& fields) {
    QMap<QByteArray, QByteArray> map;
    for (const QByteArray& f : fields) {
        const qsizetype equals = f.indexOf('=');
        REQUIRE(equals > 0);
        REQUIRE_FALSE(map.contains(f.left(equals))); // each field once
        map.insert(f.left(equals), f.mid(equals + 1));
    }
    return map;
}
} // namespace

TEST_CASE("system notices: addresses are cut to their host in what leaves the service",
          "[renewal][notices]") {
    using notifications::withoutUrlPaths;
    CHECK(withoutUrlPaths(QStringLiteral("see https://hooks.example.com/services/abc?t=1 now")) ==
          QStringLiteral("see https://hooks.example.com/… now"));
    CHECK(withoutUrlPaths(QStringLiteral("'http://u:p@10.0.0.1:8080/x' and HTTPS://ca.test")) ==
          QStringLiteral("'http://10.0.0.1:8080/…' and HTTPS://ca.test"));
    CHECK(withoutUrlPaths(QStringLiteral("https://ca.example.com/ is down")) ==
          QStringLiteral("https://ca.example.com is down"));
    CHECK(withoutUrlPaths(QStringLiteral("no address here")) == QStringLiteral("no address here"));
}

TEST_CASE("system notices: the journal entry of a failure, and of a renewal after failures",
          "[renewal][notices]") {
    const ManagedCertificate item = failingItem();
    const auto failed = fieldsOf(notifications::journalEntry(item, failure(), 1));
    CHECK(failed.value("PRIORITY") == "3");
    CHECK(failed.value("SYSLOG_IDENTIFIER") == "certkeeper-service");
    CHECK(failed.value("MESSAGE_ID") == "c0e8f2df4eed4beb87bad4b92a141a49");
    CHECK(failed.value("CERTKEEPER_ITEM_ID") == "6b1c1f2e-item");
    CHECK(failed.value("CERTKEEPER_ITEM_NAME") == "Shop");
    CHECK(failed.value("CERTKEEPER_DOMAINS") == "shop.example.com,cdn.example.com");
    CHECK(failed.value("CERTKEEPER_FAILURE_COUNT") == "2");
    CHECK(failed.value("CERTKEEPER_NEXT_ATTEMPT") == "2026-05-10T12:00:00Z");
    const QString message = QString::fromUtf8(failed.value("MESSAGE"));
    CHECK(message == QStringLiteral("Renewing the certificate \"Shop\" for shop.example.com, "
                                    "cdn.example.com failed (2 times in a row): The CA refused "
                                    "the order (rateLimited). The hook at "
                                    "https://hooks.example.com/… was not called. Next attempt: "
                                    "2026-05-10 12:00 UTC."));
    for (const QByteArray& value : failed) {
        CHECK_FALSE(value.contains(kSecretPath.toUtf8()));
        CHECK_FALSE(value.contains("user:pw"));
    }

    // Success: nothing when nothing had failed; a notice when it ends a run of failures.
    ManagedCertificate renewed = item;
    renewed.renewalFailureCount = 0;
    renewed.lastRenewalStatus = RequestState::Success;
    CHECK(notifications::journalEntry(renewed, {}, 0).isEmpty());
    const auto again = fieldsOf(notifications::journalEntry(renewed, {}, 4));
    CHECK(again.value("PRIORITY") == "5");
    CHECK(again.value("MESSAGE_ID") == "b9d468927eac460c813d979f4fa2e560");
    CHECK(again.value("CERTKEEPER_PREVIOUS_FAILURES") == "4");
    CHECK(QString::fromUtf8(again.value("MESSAGE"))
              .startsWith(QStringLiteral("The certificate \"Shop\" for shop.example.com, "
                                         "cdn.example.com was renewed again after 4 failed "
                                         "attempts; it is valid until ")));
    CHECK_FALSE(again.contains("CERTKEEPER_ERROR"));

    // Nothing to say is not sent (libsystemd would refuse an empty entry).
    CHECK(notifications::writeToJournal({}) == 0);
}

TEST_CASE("system notices: the mail to root, as sendmail gets it", "[renewal][notices]") {
    const ManagedCertificate item = failingItem();
    const net::MailMessage mail = notifications::mailToRoot(
        item, failure(), 1, QStringLiteral("web1.example.com"), QStringLiteral("certkeeper"));
    const QString text = QString::fromUtf8(net::formatMail(mail, "\n"));
    INFO(str(text));
    CHECK_FALSE(text.contains(QLatin1Char('\r')));
    const QStringList headers = text.section(QStringLiteral("\n\n"), 0, 0).split(u'\n');
    const QString body = text.section(QStringLiteral("\n\n"), 1);
    CHECK(headers.contains(QStringLiteral("From: \"certkeeper-service on web1.example.com\" "
                                          "<certkeeper@web1.example.com>")));
    CHECK(headers.contains(QStringLiteral("To: root")));
    CHECK(headers.contains(
        QStringLiteral("Subject: Certkeeper: renewal failed for Shop (2 times in a row)")));
    CHECK(headers.contains(QStringLiteral("Auto-Submitted: auto-generated")));
    CHECK(headers.filter(QRegularExpression(QStringLiteral("^Message-ID: <.+@web1.example.com>$")))
              .size() == 1);
    for (const QString& expected :
         {QStringLiteral("shop.example.com, cdn.example.com"),
          QStringLiteral("The CA refused the order (rateLimited)"),
          QStringLiteral("https://hooks.example.com/…"), QStringLiteral("2026-05-10 12:00 UTC"),
          QStringLiteral("certkeeper-cli log 6b1c1f2e-item"),
          QStringLiteral("notifications.systemNotices = false"),
          QStringLiteral("journalctl -t certkeeper-service -p err")}) {
        INFO("expected in the body: " << str(expected));
        CHECK(body.contains(expected));
    }
    CHECK_FALSE(text.contains(kSecretPath));

    // A name in another script is encoded; one with a line break cannot add a header.
    ManagedCertificate odd = item;
    odd.name = QStringLiteral("Boutique é\r\nBcc: someone@example.com");
    const QString oddText = QString::fromUtf8(net::formatMail(
        notifications::mailToRoot(odd, failure(), 1, QStringLiteral("h"), QStringLiteral("u")),
        "\n"));
    const QStringList oddHeaders = oddText.section(QStringLiteral("\n\n"), 0, 0).split(u'\n');
    CHECK(oddHeaders.filter(QStringLiteral("Bcc")).isEmpty());
    CHECK(oddHeaders.filter(QRegularExpression(QStringLiteral(R"(^Subject: =\?UTF-8\?B\?.+\?=$)")))
              .size() == 1);
}

TEST_CASE("system notices: root is mailed at a run's first failure, then at most once a day",
          "[renewal][notices]") {
    notifications::MailThrottle throttle;
    const QString id = QStringLiteral("item-1");
    QString why;
    CHECK(throttle.due(id, T0, &why));
    throttle.mailed(id, T0);
    CHECK_FALSE(throttle.due(id, T0.addSecs(3600), &why));
    CHECK(why.contains(QStringLiteral("at most once a day")));
    CHECK(why.contains(QStringLiteral("2026-03-01 12:00 UTC")));
    CHECK_FALSE(throttle.due(id, T0.addSecs(24 * 3600 - 1), &why));
    CHECK(throttle.due(id, T0.addSecs(24 * 3600), &why));
    CHECK(throttle.due(QStringLiteral("item-2"), T0.addSecs(60), &why)); // per item
    throttle.succeeded(id); // the run ended: the next failure is mailed at once
    CHECK(throttle.due(id, T0.addSecs(7200), &why));
}

TEST_CASE("system notices: email set up for an item keeps root out of it", "[renewal][notices]") {
    ManagedCertificate item = failingItem();
    NotificationSettings settings;
    CHECK_FALSE(notifications::emailConfigured(item, settings)); // the defaults: no email
    settings.targets.webhookUrl = QStringLiteral("https://hooks.example.com/x");
    CHECK_FALSE(notifications::emailConfigured(item, settings)); // a webhook is not email
    settings.targets.emailTo = {QStringLiteral("ops@example.com")};
    CHECK_FALSE(notifications::emailConfigured(item, settings)); // no mail server: none sent
    settings.smtp.host = QStringLiteral("mail.example.com");
    CHECK(notifications::emailConfigured(item, settings));
    item.notificationOverride = NotificationTargets{}; // the item's own: no address
    CHECK_FALSE(notifications::emailConfigured(item, settings));
    item.notificationOverride->emailTo = {QStringLiteral("shop@example.com")};
    CHECK(notifications::emailConfigured(item, settings));
}

TEST_CASE("system notices: sendmail is looked for in PATH, then where mail systems put it",
          "[renewal][notices]") {
    const QByteArray path = qgetenv("PATH");
    QTemporaryDir dir;
    const QString standIn = dir.filePath(QStringLiteral("sendmail"));
    QFile file(standIn);
    REQUIRE(file.open(QIODevice::WriteOnly));
    file.write("#!/bin/sh\nexit 0\n");
    file.close();
    REQUIRE(file.setPermissions(QFileDevice::ReadOwner | QFileDevice::ExeOwner));

    qputenv("PATH", dir.path().toLocal8Bit() + ":/usr/bin:/bin");
    CHECK(notifications::findSendmail() == standIn);
    qputenv("PATH", "/nonexistent");
    const bool installed = QFileInfo(QStringLiteral("/usr/sbin/sendmail")).isExecutable() ||
                           QFileInfo(QStringLiteral("/usr/lib/sendmail")).isExecutable();
    if (installed)
        CHECK(notifications::findSendmail().endsWith(QStringLiteral("/sendmail")));
    else
        CHECK(notifications::findSendmail().isEmpty());
    qputenv("PATH", path);
}

TEST_CASE("system notices: the mail to root as the local mail server gets it, over plain SMTP",
          "[renewal][notices][smtp]") {
    const notifications::LocalMailServer local{QStringLiteral("127.0.0.1"), 2525};
    CHECK(local.address() == QStringLiteral("127.0.0.1:2525"));
    CHECK(notifications::LocalMailServer{QStringLiteral("::1"), 25}.address() ==
          QStringLiteral("[::1]:25"));
    CHECK_FALSE(notifications::LocalMailServer{}.isSet());
    const std::atomic<bool> stop{false};
    const net::MailServer server = local.mailServer(&stop);
    CHECK(server.security == net::MailSecurity::None);
    CHECK(server.username.isEmpty());
    CHECK(server.connectTimeout == std::chrono::seconds(2));
    CHECK(server.stop == &stop);

    const net::MailMessage mail = notifications::forMailServer(
        notifications::mailToRoot(failingItem(), failure(), 1, QStringLiteral("web1.example.com"),
                                  QStringLiteral("certkeeper")),
        QStringLiteral("web1.example.com"));
    CHECK(mail.from == QStringLiteral("certkeeper-service@web1.example.com"));
    CHECK(mail.to == QStringList{QStringLiteral("root@localhost")});
    CHECK(mail.fromName == QStringLiteral("certkeeper-service on web1.example.com"));

    // Handed to a real SMTP server without TLS or login (aiosmtpd, as a local Postfix takes it).
    NotificationReceiver receiver;
    if (!receiver.start())
        FAIL("the SMTP server did not start: " << str(receiver.errorString()));
    const notifications::LocalMailServer real{QStringLiteral("127.0.0.1"),
                                              receiver.plainSmtpPort()};
    CHECK(net::sendMailBlockingWhy(real.mailServer(&stop), mail).isEmpty());
    REQUIRE(receiver.waitForMails(1));
    const QJsonObject got = receiver.mails()[0];
    CHECK(got.value("from").toString() == QStringLiteral("certkeeper-service@web1.example.com"));
    CHECK(got.value("to").toArray() == QJsonArray{QStringLiteral("root@localhost")});
    CHECK_FALSE(got.value("tls").toBool());
    CHECK(got.value("data").toString().contains(QStringLiteral("\r\nTo: root@localhost\r\n")));
    CHECK_FALSE(got.value("data").toString().contains(kSecretPath));
}

TEST_CASE("system notices: a local mail server that is not there fails at once, one that does "
          "not answer is given up when the service stops, one that refuses is quoted",
          "[renewal][notices][smtp]") {
    std::atomic<bool> stop{false};
    const net::MailMessage mail = notifications::forMailServer(
        notifications::mailToRoot(failingItem(), failure(), 1, QStringLiteral("h"),
                                  QStringLiteral("u")),
        QStringLiteral("h"));
    QElapsedTimer timer;

    const int closed = freeLoopbackPorts(1)[0];
    timer.start();
    const QString refused = net::sendMailBlockingWhy(
        notifications::LocalMailServer{QStringLiteral("127.0.0.1"), closed}.mailServer(&stop),
        mail);
    CHECK(timer.elapsed() < 1500);
    CHECK(refused.startsWith(QStringLiteral("Failed to connect to 127.0.0.1 port %1").arg(closed)));

    // Connected, and never a greeting: the stop ends it within a second or so, not at 30 s.
    SilentServer silent;
    timer.restart();
    std::thread stopper([&stop] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        stop = true;
    });
    const QString stopped = net::sendMailBlockingWhy(
        notifications::LocalMailServer{QStringLiteral("127.0.0.1"), silent.port}.mailServer(&stop),
        mail);
    stopper.join();
    CHECK(timer.elapsed() < 3000);
    CHECK(stopped == QStringLiteral("given up because the service is stopping"));

    // A server that answers and refuses: its own words are kept (this port wants STARTTLS).
    stop = false;
    NotificationReceiver receiver;
    if (!receiver.start())
        FAIL("the SMTP server did not start: " << str(receiver.errorString()));
    const QString refusal = net::sendMailBlockingWhy(
        notifications::LocalMailServer{QStringLiteral("127.0.0.1"), receiver.smtpPort()}.mailServer(
            &stop),
        mail);
    INFO(str(refusal));
    CHECK(refusal.contains(QStringLiteral("(the server answered \"530")));
    CHECK(refusal.contains(QStringLiteral("STARTTLS")));
    CHECK(receiver.mails().isEmpty());
}
