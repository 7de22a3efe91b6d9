#pragma once
// The setting of the failure notices' end-to-end tests (test_failure_notices*.cpp): the real
// service and Pebble, in a private mount namespace with a stand-in journal (JournalReceiver.h),
// a stand-in for sendmail first on its PATH that keeps what it was given, refuses it or hangs,
// and its local mail server (serviceconfig.json "localMailServer") where the test says: by
// default a loopback port nothing listens on, so a mail server of the machine running the tests
// never gets their mail.

#include "IssuanceFixture.h"
#include "JournalReceiver.h"
#include "ManagedProcess.h"

#include <catch2/catch.hpp>

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QThread>

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>

namespace ck::test::notices {

inline std::string str(const QString& s) {
    return s.toStdString();
}

// Secrets that must not leave the service: in the items' webhook address (its path), and in a
// stored credential the items use.
inline const QString kHookSecret = QStringLiteral("hook-secret-7f3a9c");
inline const QString kPfxSecret = QStringLiteral("pfx-secret-51e2d8");

// Records: keeps the message and succeeds; Refuses: keeps it and fails; Hangs: never ends;
// Absent: written but not put on the service's PATH.
enum class Sendmail { Records, Refuses, Hangs, Absent };

// A folder bin/ with a stand-in `sendmail`, and out/ with what it was given: <n>.args (one
// argument a line) and <n>.eml (its standard input); the hanging one writes its process id to
// out/hung.pids and sleeps.
class FakeSendmail {
public:
    explicit FakeSendmail(Sendmail kind) {
        QDir(m_dir.path()).mkpath(QStringLiteral("bin"));
        QDir(m_dir.path()).mkpath(QStringLiteral("out"));
        QString script = QStringLiteral("#!/bin/sh\n# A stand-in for sendmail "
                                        "(tests/e2e/NoticesSetup.h).\nout='%1'\n")
                             .arg(out());
        if (kind == Sendmail::Hangs) {
            script += QStringLiteral("echo $$ >> \"$out/hung.pids\"\nexec sleep 600\n");
        } else {
            script +=
                QStringLiteral("n=$(date +%s%N)\n"
                               "printf '%s\\n' \"$@\" > \"$out/$n.args\"\n"
                               "cat > \"$out/$n.tmp\" && mv \"$out/$n.tmp\" \"$out/$n.eml\"\n");
            if (kind == Sendmail::Refuses)
                script += QStringLiteral("echo 'sendmail: fatal: queue file write error' >&2\n"
                                         "exit 75\n");
        }
        QFile file(program());
        REQUIRE(file.open(QIODevice::WriteOnly));
        file.write(script.toUtf8());
        file.close();
        REQUIRE(file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                    QFileDevice::ExeOwner));
    }
    QString bin() const { return m_dir.filePath(QStringLiteral("bin")); }
    QString program() const { return m_dir.filePath(QStringLiteral("bin/sendmail")); }
    QString out() const { return m_dir.filePath(QStringLiteral("out")); }

    // Every message it was given, oldest first.
    QStringList messages() const { return contents(QStringLiteral("*.eml")); }
    QStringList arguments() const { return contents(QStringLiteral("*.args")); }
    QList<qint64> hungPids() const {
        QList<qint64> pids;
        const QString text =
            QString::fromUtf8(IssuanceFixture::fileContents(out() + QStringLiteral("/hung.pids")));
        for (const QString& line : text.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
            pids << line.toLongLong();
        return pids;
    }

private:
    QStringList contents(const QString& pattern) const {
        QStringList all;
        for (const QString& name : QDir(out()).entryList({pattern}, QDir::Files, QDir::Name))
            all << QString::fromUtf8(IssuanceFixture::fileContents(out() + u'/' + name));
        return all;
    }
    QTemporaryDir m_dir;
};

// Whether `done` comes true within `ms`.
inline bool eventually(const std::function<bool()>& done, int ms = 15000) {
    QDeadlineTimer deadline(ms);
    while (!done()) {
        if (deadline.hasExpired())
            return false;
        QThread::msleep(20);
    }
    return true;
}

// The start of a failure message, before any address (which the notices cut to its host).
inline QString reasonStart(const QString& reason) {
    const qsizetype address = reason.indexOf(QStringLiteral("http"));
    return reason.left(std::min<qsizetype>(address < 0 ? reason.size() : address, 40));
}

inline void requireNoSecret(const QString& text) {
    INFO(str(text));
    CHECK_FALSE(text.contains(kHookSecret));
    CHECK_FALSE(text.contains(kPfxSecret));
}

// Whether this machine can run the service with a stand-in journal; when not, the test says
// why and is skipped (not passed in silence).
inline bool journalCannotBeChecked() {
    const QString why = journalNamespaceUnavailable();
    if (why.isEmpty())
        return false;
    WARN("SKIPPED: the service cannot be run with a stand-in journal here: " << str(why));
    return true;
}

enum class Journal { StandIn, None };

// Pebble and the service, in a private mount namespace with `journal` as its journal (or none at
// all), with `sendmail` first on its PATH and `localMailServer` as its local mail server (by
// default 127.0.0.1 at a port where nothing listens). A CA where nothing listens,
// "unreachable", makes requests fail at once.
struct NoticesSetup {
    JournalReceiver journal;
    FakeSendmail sendmail;
    QTemporaryDir wrapperDir;
    std::unique_ptr<IssuanceFixture> f;
    QString pfxCredential;
    int deadPort = freeLoopbackPort();
    QString localMailServer;

    explicit NoticesSetup(Sendmail kind, Journal withJournal = Journal::StandIn,
                          const std::optional<QString>& mailServer = std::nullopt)
        : sendmail(kind),
          localMailServer(mailServer.value_or(QStringLiteral("127.0.0.1:%1").arg(deadPort))) {
        REQUIRE(journal.error().isEmpty());
        const QString wrapper = wrapperDir.filePath(QStringLiteral("service-in-namespace.sh"));
        REQUIRE(writeJournalNamespaceWrapper(
            wrapper, withJournal == Journal::StandIn ? journal.folder() : QString(),
            ServiceProcess::binaryPath(),
            kind == Sendmail::Absent ? SystemSendmail::Hidden : SystemSendmail::Visible));
        IssuanceOptions options;
        options.serviceBinary = wrapper;
        const QString path = qEnvironmentVariable("PATH");
        options.serviceEnvironment.insert(
            QStringLiteral("PATH"), kind == Sendmail::Absent ? path : sendmail.bin() + u':' + path);
        options.serviceConfig.insert(QStringLiteral("localMailServer"), localMailServer);
        f = std::make_unique<IssuanceFixture>(options);
        f->addCa(QStringLiteral("unreachable"), QStringLiteral("Unreachable CA"),
                 QStringLiteral("https://127.0.0.1:%1/dir").arg(deadPort));
        pfxCredential =
            f->createCredential(QStringLiteral("pfx-password"), {{"password", kPfxSecret}});
    }

    // Notifications of the item go to a webhook where nothing listens: the Notifier's "Could
    // not notify the webhook" in the item's log shows that the request's notices were handled.
    QJsonObject hookOverride() const {
        return {{"onFailure", true},
                {"onSuccess", false},
                {"webhookUrl",
                 QStringLiteral("http://127.0.0.1:%1/hooks/%2").arg(deadPort).arg(kHookSecret)},
                {"emailTo", QJsonArray{}}};
    }
    QString item(const QString& name, const QString& ca, const QJsonObject& fields = {}) {
        QJsonObject all{{"name", name}, {"certificateAuthorityId", ca}};
        for (auto it = fields.begin(); it != fields.end(); ++it)
            all.insert(it.key(), it.value());
        return f->createItem({name + QStringLiteral(".example.test"),
                              QStringLiteral("www.") + name + QStringLiteral(".example.test")},
                             {{"pfxPasswordCredentialId", pfxCredential}}, all);
    }
    QString failingItem(const QString& name) {
        return item(name, QStringLiteral("unreachable"),
                    {{"notificationOverride", hookOverride()}});
    }
    QJsonObject requestFailing(const QString& id) {
        const QJsonObject done = f->requestAndWait(id);
        INFO(str(f->itemLog(id)));
        REQUIRE(done.value("lastRenewalStatus").toString() == QStringLiteral("Error"));
        return done;
    }
    // The item's log once it holds `text`, or after `ms`.
    QString logWith(const QString& id, const QString& text, int ms = 15000) const {
        eventually([&] { return f->itemLog(id).contains(text); }, ms);
        return f->itemLog(id);
    }
    QString serviceLog() const {
        return QString::fromUtf8(
            IssuanceFixture::fileContents(f->dataDir.filePath(QStringLiteral("logs/service.log"))));
    }
    void editItem(const QString& id, const QJsonObject& changes) const {
        QJsonObject item = f->item(id);
        for (auto it = changes.begin(); it != changes.end(); ++it)
            item.insert(it.key(), it.value());
        const auto saved = f->http->put("/api/managedcertificates/" + str(id), item);
        INFO(saved.body);
        REQUIRE(saved.status == 200);
    }
    void putSettings(const QJsonObject& notifications) const {
        const auto saved =
            f->http->put("/api/settings", QJsonObject{{"notifications", notifications}});
        INFO(saved.body);
        REQUIRE(saved.status == 200);
    }
};

// Headers and body of a message as sendmail or a mail server got it (lines ending in LF).
struct Mail {
    QString headers;
    QString body;
    explicit Mail(const QString& text) {
        const qsizetype split = text.indexOf(QStringLiteral("\n\n"));
        headers = text.left(split);
        body = text.mid(split + 2);
    }
    bool hasHeader(const QString& line) const {
        return headers.split(QLatin1Char('\n')).contains(line);
    }
};

// The body of the mail to root about the first failure of the item `id` named "shop", failed
// for `reason`: what failed and why, where to look; and no secret anywhere in `raw`.
inline void checkMailAboutShop(const QString& raw, const QString& reason, const QString& id) {
    const Mail mail(raw);
    for (const QString& expected :
         {reasonStart(reason), QStringLiteral("shop.example.test, www.shop.example.test"),
          QStringLiteral("Failures in a row:   1"), QStringLiteral("Next attempt:"),
          QStringLiteral("certkeeper-cli log ") + id,
          QStringLiteral("journalctl -t certkeeper-service -p err")}) {
        INFO("expected in the body: " << str(expected));
        CHECK(mail.body.contains(expected));
    }
    requireNoSecret(raw);
}

} // namespace ck::test::notices
