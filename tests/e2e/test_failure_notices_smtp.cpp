// Failure mail to root through the machine's own mail server (serviceconfig.json
// "localMailServer", service/notifications/LocalMail.h), end to end: the real service and
// Pebble as in test_failure_notices.cpp, a real SMTP server (Debian's aiosmtpd, plain SMTP
// without TLS or login on loopback, as Postfix or Exim take local mail; NotificationReceiver.h)
// at the address the test gives the service, and the stand-ins for sendmail first on its PATH,
// which must not run when the mail server took the mail.

#include "NoticesSetup.h"
#include "NotificationReceiver.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSysInfo>

using namespace ck::test;
using namespace ck::test::notices;

namespace {
// The machine's name as the service puts it in the sender's address.
QString mailHostName() {
    QString host = QSysInfo::machineHostName();
    host.remove(QRegularExpression(QStringLiteral("[^A-Za-z0-9.-]")));
    return host.isEmpty() ? QStringLiteral("localhost") : host;
}

NotificationReceiver& startedReceiver(NotificationReceiver& receiver) {
    if (!receiver.start())
        FAIL("the SMTP server did not start: " << str(receiver.errorString()));
    return receiver;
}
} // namespace

TEST_CASE("system notices: root is mailed through the local mail server when it takes mail, and "
          "sendmail is not run",
          "[e2e][notices][smtp]") {
    if (journalCannotBeChecked())
        return;
    NotificationReceiver receiver;
    startedReceiver(receiver);
    // "localhost", as the default names it: the name is looked up (::1 and 127.0.0.1, where the
    // server listens) rather than an address given.
    const QString address = QStringLiteral("localhost:%1").arg(receiver.plainSmtpPort());
    NoticesSetup s(Sendmail::Records, Journal::StandIn, address);
    const QString id = s.failingItem(QStringLiteral("shop"));
    const QString reason = s.requestFailing(id).value("renewalFailureMessage").toString();
    REQUIRE_FALSE(reason.isEmpty());

    REQUIRE(receiver.waitForMails(1));
    const QJsonObject got = receiver.mails()[0];
    INFO(str(QString::fromUtf8(QJsonDocument(got).toJson())));
    CHECK(got.value("port").toInt() == receiver.plainSmtpPort());
    CHECK(got.value("from").toString() == QStringLiteral("certkeeper-service@") + mailHostName());
    CHECK(got.value("to").toArray() == QJsonArray{QStringLiteral("root@localhost")});
    CHECK_FALSE(got.value("tls").toBool());
    CHECK_FALSE(got.value("authenticated").toBool());
    QString raw = got.value("data").toString();
    raw.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    const Mail mail(raw);
    CHECK(mail.hasHeader(QStringLiteral("To: root@localhost")));
    CHECK(
        mail.hasHeader(QStringLiteral("From: \"certkeeper-service on %1\" <certkeeper-service@%1>")
                           .arg(mailHostName())));
    CHECK(mail.hasHeader(QStringLiteral("Subject: Certkeeper: renewal failed for shop")));
    CHECK(mail.hasHeader(QStringLiteral("Auto-Submitted: auto-generated")));
    checkMailAboutShop(raw, reason, id);
    CHECK(s.logWith(id, QStringLiteral("Mailed root"))
              .contains(QStringLiteral("Mailed root through the local mail server at %1: "
                                       "Certkeeper: renewal failed for shop")
                            .arg(address)));

    // Once a day either way: the next failure is not mailed.
    s.requestFailing(id);
    CHECK(s.logWith(id, QStringLiteral("Not mailing root"))
              .contains(QStringLiteral("Not mailing root about this failure")));
    QThread::msleep(500);
    CHECK(receiver.mails().size() == 1);
    CHECK(s.sendmail.messages().isEmpty());
    CHECK(s.sendmail.arguments().isEmpty());
}

TEST_CASE("system notices: a local mail server that refuses the mail gives way to sendmail, and "
          "with both refusing the item's log has both reasons",
          "[e2e][notices][smtp]") {
    if (journalCannotBeChecked())
        return;
    NotificationReceiver receiver;
    startedReceiver(receiver);
    // This port takes mail only after STARTTLS and a login: it answers, and refuses the mail.
    const QString address = QStringLiteral("127.0.0.1:%1").arg(receiver.smtpPort());
    {
        NoticesSetup s(Sendmail::Records, Journal::None, address);
        const QString id = s.failingItem(QStringLiteral("fallback"));
        s.requestFailing(id);
        REQUIRE(eventually([&] { return s.sendmail.messages().size() == 1; }));
        CHECK(Mail(s.sendmail.messages()[0]).hasHeader(QStringLiteral("To: root")));
        CHECK(s.logWith(id, QStringLiteral("Mailed root"))
                  .contains(QStringLiteral("Mailed root through %1: Certkeeper: renewal failed "
                                           "for fallback")
                                .arg(s.sendmail.program())));
        CHECK_FALSE(s.f->itemLog(id).contains(QStringLiteral("local mail server")));
    }
    NoticesSetup s(Sendmail::Refuses, Journal::None, address);
    const QString id = s.failingItem(QStringLiteral("neither"));
    s.requestFailing(id);
    const QString log = s.logWith(id, QStringLiteral("Could not mail root"));
    const QStringList lines = log.split(u'\n').filter(QStringLiteral("Could not mail root"));
    REQUIRE(lines.size() == 1);
    INFO(str(lines[0]));
    // The server's own words, then sendmail's.
    const QRegularExpression both(
        QStringLiteral(R"(\[WRN\] Could not mail root through the local mail server at )"
                       R"(127\.0\.0\.1:%1: .*STARTTLS.*; nor through %2: it exited with code 75: )"
                       R"(sendmail: fatal: queue file write error)")
            .arg(receiver.smtpPort())
            .arg(QRegularExpression::escape(s.sendmail.program())));
    CHECK(both.match(lines[0]).hasMatch());
    CHECK(receiver.mails().isEmpty());
    CHECK(s.sendmail.messages().size() == 1);
}

TEST_CASE("system notices: an empty localMailServer mails root through sendmail only",
          "[e2e][notices][smtp]") {
    if (journalCannotBeChecked())
        return;
    NoticesSetup s(Sendmail::Refuses, Journal::None, QString());
    const QString id = s.failingItem(QStringLiteral("only"));
    s.requestFailing(id);
    const QString log = s.logWith(id, QStringLiteral("Could not mail root"));
    CHECK(log.contains(QStringLiteral("[WRN] Could not mail root through %1: it exited with code "
                                      "75: sendmail: fatal: queue file write error")
                           .arg(s.sendmail.program())));
    CHECK_FALSE(log.contains(QStringLiteral("local mail server")));
}

TEST_CASE("system notices: with nothing at the local mail server and no sendmail, the service's "
          "log says so once and the item's log stays as it was",
          "[e2e][notices][smtp]") {
    if (journalCannotBeChecked())
        return;
    // The machine's own sendmail, if any (postfix is installed for the deployment tests), is
    // hidden from the service by its mount namespace.
    NoticesSetup s(Sendmail::Absent, Journal::None);
    const QString first = s.failingItem(QStringLiteral("first"));
    s.requestFailing(first);
    const QString said = QStringLiteral("Nothing took the mail at the local mail server at %1 (")
                             .arg(s.localMailServer);
    REQUIRE(eventually([&] { return s.serviceLog().contains(said); }));
    const QString second = s.failingItem(QStringLiteral("second"));
    s.requestFailing(second);
    CHECK(s.logWith(second, QStringLiteral("Could not notify the webhook"))
              .contains(QStringLiteral("Could not notify the webhook")));
    QThread::msleep(1000);
    const QString serviceLog = s.serviceLog();
    INFO(str(serviceLog));
    CHECK(serviceLog.count(said) == 1);
    CHECK(serviceLog.contains(
        QStringLiteral("Failed to connect to 127.0.0.1 port %1").arg(s.deadPort)));
    CHECK(serviceLog.contains(QStringLiteral("no sendmail is installed (looked in PATH, /usr/sbin "
                                             "and /usr/lib): failed renewals are not mailed to "
                                             "root")));
    for (const QString& id : {first, second}) {
        const QString log = s.f->itemLog(id);
        INFO(str(log));
        CHECK_FALSE(log.contains(QStringLiteral("mail root")));
        CHECK_FALSE(log.contains(QStringLiteral("Mailed root")));
    }
}

TEST_CASE("system notices: a localMailServer that is not host:port stops the service at start "
          "with the field and what it must be",
          "[e2e][notices][smtp]") {
    const QByteArray value = GENERATE(QByteArray(R"("localhost")"), QByteArray(R"("localhost:0")"),
                                      QByteArray(R"("::1:25")"),
                                      QByteArray(R"("smtp://localhost:25")"), QByteArray(R"(25)"));
    ServiceProcess service;
    REQUIRE(service.writeServiceConfig("{\n  \"localMailServer\": " + value + "\n}\n"));
    CHECK(service.runToExit() == 1);
    const QString output = service.output();
    INFO(str(output));
    CHECK(output.contains(QStringLiteral("serviceconfig.json")));
    CHECK(output.contains(QStringLiteral("line 2")));
    CHECK(output.contains(QStringLiteral("\"localMailServer\"")));
    CHECK(output.contains(QStringLiteral("localhost:25, 127.0.0.1:25 or [::1]:25")));
}
