// Failure notices with no configuration (service/notifications/SystemNotices.h), end to end: the
// real service and Pebble; a stand-in for journald that receives libsystemd's real datagrams
// (the service runs in a private mount namespace where the stand-in's socket is the journal's,
// JournalReceiver.h); and stand-ins for sendmail first on the service's PATH, which keep what
// they were given, refuse it, or hang, while nothing listens at the service's local mail server
// (so each mail goes to sendmail). Mail through a local mail server that takes it is in
// test_failure_notices_smtp.cpp.

#include "NoticesSetup.h"
#include "model/PlainText.h"

#include <QElapsedTimer>

using namespace ck::test;
using namespace ck::test::notices;

namespace {
const char* kFailedId = "c0e8f2df4eed4beb87bad4b92a141a49";
const char* kRenewedId = "b9d468927eac460c813d979f4fa2e560";

QString allValues(const QList<JournalEntry>& entries) {
    QStringList values;
    for (const JournalEntry& e : entries)
        for (const QByteArray& v : e)
            values << QString::fromUtf8(v);
    return values.join(QLatin1Char('\n'));
}

// The first line of `text` holding `part`; empty when none does.
QString lineWith(const QString& text, const char* part) {
    const QStringList lines = text.split(QLatin1Char('\n')).filter(QLatin1String(part));
    return lines.value(0);
}

// How the item's log starts saying that neither way took the mail: "Could not mail root through
// the local mail server at <address>: <why>; nor through <sendmail>: <why>".
QString neitherWay(const NoticesSetup& s) {
    return QStringLiteral("Could not mail root through the local mail server at %1: ")
        .arg(s.localMailServer);
}
} // namespace

TEST_CASE("system notices: a failed renewal is in the journal at err and mailed to root once; "
          "a renewal after it is a notice, and the next failure is mailed again",
          "[e2e][notices]") {
    if (journalCannotBeChecked())
        return;
    NoticesSetup s(Sendmail::Records);
    JournalReceiver& journal = s.journal;
    const QString id = s.failingItem(QStringLiteral("shop"));
    const QJsonObject failed = s.requestFailing(id);
    const QString reason = failed.value("renewalFailureMessage").toString();
    REQUIRE_FALSE(reason.isEmpty());

    auto errorsOf = [&](int count) {
        return entriesOf(journal.waitFor([&](const QList<JournalEntry>& all) {
            return entriesOf(all, id, "3").size() >= count;
        }),
                         id, "3");
    };
    const QList<JournalEntry> first = errorsOf(1);
    REQUIRE(first.size() == 1);
    const JournalEntry& entry = first[0];
    const QString message = QString::fromUtf8(entry.value("MESSAGE"));
    INFO("MESSAGE: " << str(message) << "\nreason: " << str(reason));
    CHECK(entry.value("SYSLOG_IDENTIFIER") == "certkeeper-service");
    CHECK(entry.value("MESSAGE_ID") == kFailedId);
    CHECK(entry.value("CERTKEEPER_ITEM_NAME") == "shop");
    CHECK(entry.value("CERTKEEPER_DOMAINS") == "shop.example.test,www.shop.example.test");
    CHECK(entry.value("CERTKEEPER_FAILURE_COUNT") == "1");
    CHECK(QString::fromUtf8(entry.value("CERTKEEPER_ERROR")).startsWith(reasonStart(reason)));
    CHECK(message.startsWith(
        QStringLiteral("Renewing the certificate \"shop\" for shop.example.test, "
                       "www.shop.example.test failed: ")));
    CHECK(message.contains(reasonStart(reason)));
    CHECK(message.contains(QStringLiteral("Next attempt: ")));
    requireNoSecret(allValues(journal.entries()));

    REQUIRE(eventually([&] { return s.sendmail.messages().size() == 1; }));
    CHECK(s.sendmail.arguments() == QStringList{QStringLiteral("-t\n-i\n")});
    const QString raw = s.sendmail.messages()[0];
    CHECK_FALSE(raw.contains(QLatin1Char('\r'))); // a local sendmail takes the system's line end
    const Mail mail(raw);
    INFO(str(raw));
    CHECK(mail.hasHeader(QStringLiteral("To: root")));
    CHECK(mail.hasHeader(QStringLiteral("Subject: Certkeeper: renewal failed for shop")));
    CHECK(mail.hasHeader(QStringLiteral("Auto-Submitted: auto-generated")));
    CHECK(mail.hasHeader(QStringLiteral("Content-Type: text/plain; charset=UTF-8")));
    CHECK(mail.headers.contains(QStringLiteral("From: \"certkeeper-service on ")));
    CHECK(mail.headers.startsWith(QStringLiteral("Date: ")));
    CHECK(mail.headers.contains(QStringLiteral("Message-ID: <")));
    checkMailAboutShop(raw, reason, id);
    CHECK(s.logWith(id, QStringLiteral("Mailed root"))
              .contains(QStringLiteral("Mailed root through %1: Certkeeper: renewal failed for "
                                       "shop")
                            .arg(s.sendmail.program())));

    // Failing again: in the journal, but root has had the mail for today.
    CHECK(s.requestFailing(id).value("renewalFailureCount").toInt() == 2);
    const QList<JournalEntry> second = errorsOf(2);
    REQUIRE(second.size() == 2);
    CHECK(second[1].value("CERTKEEPER_FAILURE_COUNT") == "2");
    CHECK(QString::fromUtf8(second[1].value("MESSAGE")).contains("(2 times in a row)"));
    CHECK(s.logWith(id, QStringLiteral("Not mailing root"))
              .contains(QStringLiteral("Not mailing root about this failure: root was mailed "
                                       "about this certificate at ")));
    QThread::msleep(500);
    CHECK(s.sendmail.messages().size() == 1);

    // Put right: the renewal is a notice, and is not mailed.
    s.editItem(id, {{"certificateAuthorityId", "pebble"}});
    requireIssued(*s.f, s.f->requestAndWait(id));
    const QList<JournalEntry> recovered =
        entriesOf(journal.waitFor([&](const QList<JournalEntry>& all) {
            return !entriesOf(all, id, "5").isEmpty();
        }),
                  id, "5");
    REQUIRE(recovered.size() == 1);
    CHECK(recovered[0].value("MESSAGE_ID") == kRenewedId);
    CHECK(QString::fromUtf8(recovered[0].value("MESSAGE"))
              .contains(QStringLiteral("was renewed again after 2 failed attempts")));
    QThread::msleep(500);
    CHECK(s.sendmail.messages().size() == 1);

    // A new run of failures is mailed at its first.
    s.editItem(id, {{"certificateAuthorityId", "unreachable"}});
    s.requestFailing(id);
    CHECK(eventually([&] { return s.sendmail.messages().size() == 2; }));
    CHECK(errorsOf(3).size() == 3);
    requireNoSecret(allValues(journal.entries()) + s.sendmail.messages().join(QString()));
}

TEST_CASE("system notices: root is not mailed when email is set up, when the notices are off, or "
          "for a success; a sendmail that refuses is in the item's log",
          "[e2e][notices]") {
    if (journalCannotBeChecked())
        return;
    NoticesSetup s(Sendmail::Refuses);
    JournalReceiver& journal = s.journal;

    const QString refused = s.failingItem(QStringLiteral("refused"));
    s.requestFailing(refused);
    // Neither way took it: both reasons, in one line of the item's log.
    const QString refusal =
        lineWith(s.logWith(refused, QStringLiteral("Could not mail root")), "Could not mail root");
    INFO(str(refusal));
    CHECK(
        refusal.contains(QStringLiteral("[WRN] ") + neitherWay(s) +
                         QStringLiteral("Failed to connect to 127.0.0.1 port %1").arg(s.deadPort)));
    CHECK(refusal.contains(QStringLiteral("; nor through %1: it exited with code 75: "
                                          "sendmail: fatal: queue file write error")
                               .arg(s.sendmail.program())));
    REQUIRE(s.sendmail.messages().size() == 1); // what the stand-in got before refusing

    // Email set up (a mail server and the global addresses): the user chose where mail goes.
    const int smtpPort = freeLoopbackPort();
    s.putSettings({{"smtp", QJsonObject{{"host", "127.0.0.1"},
                                        {"port", smtpPort},
                                        {"security", "none"},
                                        {"from", "certkeeper@example.test"}}},
                   {"targets", QJsonObject{{"emailTo", QJsonArray{"ops@example.test"}}}}});
    const QString emailed = s.item(QStringLiteral("emailed"), QStringLiteral("unreachable"), {});
    s.requestFailing(emailed);
    CHECK(s.logWith(emailed, QStringLiteral("Could not email ops@example.test"))
              .contains(QStringLiteral("Could not email ops@example.test")));
    CHECK(entriesOf(journal.waitFor([&](const QList<JournalEntry>& all) {
              return !entriesOf(all, emailed, "3").isEmpty();
          }),
                    emailed, "3")
              .size() == 1); // the journal has it all the same
    QThread::msleep(1000);
    CHECK(s.sendmail.messages().size() == 1);
    CHECK_FALSE(s.f->itemLog(emailed).contains(QStringLiteral("root")));

    // System notices off: neither the journal nor root.
    s.putSettings({{"systemNotices", false}, {"targets", QJsonObject{{"emailTo", QJsonArray{}}}}});
    CHECK(s.f->http->get("/api/settings")
              .json()
              .value("notifications")
              .toObject()
              .value("systemNotices") == false);
    const QString quiet = s.failingItem(QStringLiteral("quiet"));
    s.requestFailing(quiet);
    CHECK(s.logWith(quiet, QStringLiteral("Could not notify the webhook"))
              .contains(QStringLiteral("Could not notify the webhook")));
    QThread::msleep(1000);
    CHECK(entriesOf(journal.entries(), quiet, "3").isEmpty());
    CHECK(s.sendmail.messages().size() == 1);
    CHECK_FALSE(s.f->itemLog(quiet).contains(QStringLiteral("root")));

    // On again, and a success: nothing to tell anyone.
    s.putSettings({{"systemNotices", true}});
    const QString fine = s.item(QStringLiteral("fine"), QStringLiteral("pebble"),
                                {{"notificationOverride", s.hookOverride()}});
    requireIssued(*s.f, s.f->requestAndWait(fine));
    QThread::msleep(1000);
    for (const JournalEntry& e : journal.entries())
        CHECK(e.value("CERTKEEPER_ITEM_ID") != fine.toUtf8());
    CHECK(s.sendmail.messages().size() == 1);
    requireNoSecret(allValues(journal.entries()) + s.sendmail.messages().join(QString()));
}

TEST_CASE("system notices: a sendmail that hangs is stopped at its time limit, holds up no "
          "renewal, and does not hold up the service's stop",
          "[e2e][notices]") {
    if (journalCannotBeChecked())
        return;
    NoticesSetup s(Sendmail::Hangs);
    JournalReceiver& journal = s.journal;
    const QString stuck = s.failingItem(QStringLiteral("stuck"));
    s.requestFailing(stuck);
    REQUIRE(eventually([&] { return s.sendmail.hungPids().size() == 1; }));
    const qint64 firstPid = s.sendmail.hungPids()[0];

    // While it hangs, other certificates renew, and their failures reach the journal at once.
    QElapsedTimer meanwhile;
    meanwhile.start();
    const QString other = s.item(QStringLiteral("other"), QStringLiteral("pebble"));
    requireIssued(*s.f, s.f->requestAndWait(other, 20000));
    const QString failing = s.failingItem(QStringLiteral("failing"));
    s.requestFailing(failing);
    CHECK(!entriesOf(journal.waitFor(
                         [&](const QList<JournalEntry>& all) {
                             return !entriesOf(all, failing, "3").isEmpty();
                         },
                         3000),
                     failing, "3")
               .isEmpty());
    CHECK(meanwhile.elapsed() < 25000); // well inside the 30 s the first sendmail may take

    // The time limit: the sendmail (its process group) is stopped, and the item's log says so.
    const QString log = s.logWith(stuck, QStringLiteral("did not finish within"), 45000);
    CHECK(log.contains(neitherWay(s)));
    CHECK(log.contains(QStringLiteral("; nor through %1: it did not finish within 30 s and was "
                                      "stopped")
                           .arg(s.sendmail.program())));
    CHECK(eventually([&] { return !processExists(firstPid); }, 5000));

    // Another hangs while the service is told to stop: it stops promptly, and takes the
    // sendmail with it.
    REQUIRE(eventually([&] { return s.sendmail.hungPids().size() >= 2; }));
    const qint64 lastPid = s.sendmail.hungPids().last();
    CHECK(processExists(lastPid));
    QElapsedTimer stopping;
    stopping.start();
    CHECK(s.f->service.stop(15000));
    CHECK(stopping.elapsed() < 8000);
    CHECK(eventually([&] { return !processExists(lastPid); }, 5000));
    CHECK(s.f->itemLog(failing).contains(
        QStringLiteral("was stopped because the service is shutting down")));
}

TEST_CASE("system notices: with no journal at all a failure is still in the item's and the "
          "service's logs, root is still mailed, and other certificates renew",
          "[e2e][notices]") {
    if (journalCannotBeChecked())
        return;
    NoticesSetup s(Sendmail::Records, Journal::None);
    const QString alone = s.failingItem(QStringLiteral("alone"));
    const QString reason = s.requestFailing(alone).value("renewalFailureMessage").toString();
    CHECK(s.f->itemLog(alone).contains(QStringLiteral("[ERR] ") + ck::escapeForLine(reason)));
    const QString serviceLog = QString::fromUtf8(
        IssuanceFixture::fileContents(s.f->dataDir.filePath(QStringLiteral("logs/service.log"))));
    CHECK(serviceLog.contains(QStringLiteral("[%1] %2").arg(alone, ck::escapeForLine(reason))));
    CHECK(eventually([&] { return s.sendmail.messages().size() == 1; }));
    CHECK(s.logWith(alone, QStringLiteral("Mailed root")).contains(QStringLiteral("Mailed root")));

    const QString fine = s.item(QStringLiteral("fine"), QStringLiteral("pebble"));
    requireIssued(*s.f, s.f->requestAndWait(fine));
    CHECK_FALSE(serviceLog.contains(QStringLiteral("system journal")));
    CHECK(s.f->http->get("/api/system/appversion").status == 200);
    CHECK(s.f->service.stop());
}
