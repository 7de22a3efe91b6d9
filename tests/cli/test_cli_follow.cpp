// `certkeeper-cli log ID --follow` as a user watches it: the real service, the real binary left
// running in the background while the certificate's log grows (a request with no CA set up
// fails at once, writing lines), then stopped with Ctrl-C, by deleting the certificate, or
// carried across a restart of the service. Whatever happens, the followed output must be the
// log itself: every line once, in order.

#include "CliRunner.h"
#include "ServiceAccess.h"

#include <QJsonDocument>

#include <csignal>

using namespace ck::test;

namespace {
constexpr int kLiveMs = 10000; // "within a few seconds", with room for a loaded machine

// certkeeper-cli log ... --follow, running until it is stopped.
class Following {
public:
    Following(const QString& dataDir, const QStringList& args) {
        m_process.start(QStringLiteral(CERTKEEPER_CLI_BIN),
                        QStringList{"--data-dir", dataDir, "log"} + args);
        m_process.waitForStarted();
    }
    ~Following() {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished();
        }
    }
    QStringList lines() {
        m_out += QString::fromUtf8(m_process.readAllStandardOutput());
        return m_out.split(u'\n', Qt::SkipEmptyParts);
    }
    QString err() {
        m_err += QString::fromUtf8(m_process.readAllStandardError());
        return m_err;
    }
    void signal(int number) { ::kill(pid_t(m_process.processId()), number); }
    // The exit code, or -1 if it did not exit in time (or crashed).
    int waitForExit(int ms = kLiveMs) {
        if (!m_process.waitForFinished(ms))
            return -1;
        lines();
        err();
        return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
    }
    bool isRunning() const { return m_process.state() == QProcess::Running; }
    QByteArray describe() {
        return QStringLiteral("stdout:\n%1\nstderr:\n%2").arg(lines().join(u'\n'), err()).toUtf8();
    }

private:
    QProcess m_process;
    QString m_out;
    QString m_err;
};
} // namespace

class CliFollowTest : public QObject {
    Q_OBJECT
    std::unique_ptr<ServiceProcess> m_service;

    CliRun cli(const QStringList& args) { return runCli(m_service->dataDir(), args); }
    QString dataDir() const { return m_service->dataDir(); }

    // The whole log as `log` prints it: what a follow must have printed, line for line.
    QStringList logLines(const QString& id, bool json = false) {
        const auto run = cli(QStringList{"log", id, "--limit", "1000"} +
                             (json ? QStringList{"--json"} : QStringList{}));
        if (run.exitCode != 0)
            return {QStringLiteral("(log failed: %1)").arg(run.err)};
        if (!json)
            return run.out.split(u'\n', Qt::SkipEmptyParts);
        QStringList lines;
        for (const auto& entry : QJsonDocument::fromJson(run.out.toUtf8())["entries"].toArray())
            lines.append(
                QString::fromUtf8(QJsonDocument(entry.toObject()).toJson(QJsonDocument::Compact)));
        return lines;
    }

    // A request with no CA set up: it fails at once, and `request` waits until it has.
    bool failARequest(const QString& id) {
        auto run = cli({"request", id});
        // A restarted service retries the failed item on its own at once: wait for that one.
        for (int attempt = 0; run.exitCode == 6 && attempt < 20; ++attempt) {
            QTest::qWait(250);
            run = cli({"request", id});
        }
        if (run.exitCode != 8)
            qWarning("request %s: %s", qPrintable(id), describe(run).constData());
        return run.exitCode == 8;
    }

    // An item with something in its log before the follow starts; empty if that failed.
    QString newItem(const QString& name) {
        const QString id = createRaw(*m_service, name,
                                     {name.split(u' ').first() + QStringLiteral(".example.com")});
        return !id.isEmpty() && failARequest(id) ? id : QString();
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY((m_service = startedService())); }

    void cleanupTestCase() { m_service.reset(); }

    void newLinesAppearLiveOnceAndInOrderUntilCtrlC() {
        const QString id = newItem("followed");
        QVERIFY(!id.isEmpty());
        Following follow(dataDir(), {id, "--follow"});
        QTRY_COMPARE_WITH_TIMEOUT(follow.lines(), logLines(id), kLiveMs);
        const qsizetype before = follow.lines().size();
        QVERIFY(before > 0);

        QVERIFY(failARequest(id));
        QTRY_COMPARE_WITH_TIMEOUT(follow.lines(), logLines(id), kLiveMs);
        QVERIFY2(follow.lines().size() > before, follow.describe());
        QVERIFY(failARequest(id));
        QTRY_COMPARE_WITH_TIMEOUT(follow.lines(), logLines(id), kLiveMs);

        follow.signal(SIGINT);
        QCOMPARE(follow.waitForExit(), 0);
        QVERIFY2(follow.err().isEmpty(), follow.describe());
        QCOMPARE(follow.lines(), logLines(id)); // nothing twice, nothing late
    }

    void limitAndJsonGiveOneObjectPerLineUntilSigterm() {
        const QString id = newItem("scripted");
        QVERIFY(!id.isEmpty() && failARequest(id) && failARequest(id)); // three lines
        const qsizetype start = logLines(id, true).size() - 2;          // --limit 2: the newest two
        QVERIFY(start > 0);
        Following follow(dataDir(), {id, "-f", "--limit", "2", "--json"});
        QTRY_COMPARE_WITH_TIMEOUT(follow.lines(), logLines(id, true).mid(start), kLiveMs);

        QVERIFY(failARequest(id));
        QTRY_COMPARE_WITH_TIMEOUT(follow.lines(), logLines(id, true).mid(start), kLiveMs);
        QVERIFY(follow.lines().size() > 2);
        for (const QString& line : follow.lines()) {
            const QJsonObject entry = QJsonDocument::fromJson(line.toUtf8()).object();
            QVERIFY2(!entry.value("time").toString().isEmpty() &&
                         !entry.value("level").toString().isEmpty() && entry.contains("message"),
                     qPrintable(line));
        }
        follow.signal(SIGTERM);
        QCOMPARE(follow.waitForExit(), 0);
        QVERIFY2(follow.err().isEmpty(), follow.describe());
    }

    void deletingTheItemEndsTheFollowWithNotFound() {
        const QString id = newItem("doomed");
        QVERIFY(!id.isEmpty());
        Following follow(dataDir(), {id, "--follow"});
        QTRY_COMPARE_WITH_TIMEOUT(follow.lines(), logLines(id), kLiveMs);
        const auto removed = cli({"remove", id});
        QVERIFY2(removed.exitCode == 0, describe(removed));
        QCOMPARE(follow.waitForExit(), 4);
        QVERIFY2(follow.err().contains(id) && follow.err().contains("deleted"), follow.describe());
    }

    void anUnknownIdIsNotFound() {
        Following follow(dataDir(), {"no-such-certificate", "--follow"});
        QCOMPARE(follow.waitForExit(), 4);
        QVERIFY(follow.lines().isEmpty());
        QVERIFY2(follow.err().startsWith("certkeeper-cli: ") &&
                     follow.err().contains("no-such-certificate"),
                 follow.describe());
    }

    // Last: it stops the service.
    void aRestartedServiceIsFollowedAgain() {
        const QString id = newItem("across a restart");
        QVERIFY(!id.isEmpty());
        Following follow(dataDir(), {id, "--follow"});
        QTRY_COMPARE_WITH_TIMEOUT(follow.lines(), logLines(id), kLiveMs);

        QVERIFY(m_service->stop());
        QTRY_VERIFY_WITH_TIMEOUT(follow.err().contains("connection lost, retrying"), kLiveMs);
        QTest::qWait(4000); // several attempts while it is away: still one line
        QCOMPARE(follow.err().count("connection lost"), 1);
        QVERIFY(follow.isRunning());

        // Back, it retries the failed item at once: lines written before this client is back,
        // which no event brings (the service's event history starts afresh), must show too.
        QVERIFY2(m_service->start(), qPrintable(m_service->output()));
        QTRY_VERIFY_WITH_TIMEOUT(follow.err().contains("reconnected"), kLiveMs);
        QVERIFY(failARequest(id));
        QTRY_COMPARE_WITH_TIMEOUT(follow.lines(), logLines(id), kLiveMs);
        follow.signal(SIGINT);
        QCOMPARE(follow.waitForExit(), 0);
        QCOMPARE(follow.err().count("reconnected"), 1);
        QCOMPARE(follow.lines(), logLines(id));

        // Not there at the start: the usual error, not an endless wait.
        QVERIFY(m_service->stop());
        Following early(dataDir(), {id, "--follow"});
        QCOMPARE(early.waitForExit(), 3);
        QVERIFY2(early.err().contains("not running"), early.describe());
    }
};

QTEST_GUILESS_MAIN(CliFollowTest)
#include "test_cli_follow.moc"
