// ConnectionDiagnosis and ApiToken: every explanation a user can get when the service cannot be
// reached, from files alone (no network).

#include "client/ApiToken.h"
#include "client/ConnectionDiagnosis.h"
#include "config/DataPaths.h"
#include "config/FaultRecord.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>

using namespace ck;

class ConnectionDiagnosisTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    QString dataDir() const { return m_dir.path(); }

    ServerEntry localEntry(int port) const {
        ServerEntry e;
        e.port = port;
        e.tokenFile = paths::file(dataDir(), paths::kToken);
        return e;
    }

    void writeToken(const QByteArray& content) const {
        QFile f(paths::file(dataDir(), paths::kToken));
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(content);
    }

    ConnectionAttempt attempt(ConnectionFailure failure, int port = 9696) const {
        ConnectionAttempt a;
        a.dataDir = dataDir();
        a.server = localEntry(port);
        a.failure = failure;
        a.token = ApiToken::read(a.server.tokenFile);
        return a;
    }

private Q_SLOTS:
    void init() {
        QVERIFY(m_dir.isValid());
        QFile::remove(paths::file(dataDir(), paths::kServers));
        QFile::remove(paths::file(dataDir(), paths::kToken));
        FaultRecord::clear(dataDir());
    }

    void refusedWithoutFaultSaysNotRunningAndHowToStart() {
        writeToken("abc\n");
        const auto d = ConnectionDiagnosis::diagnose(attempt(ConnectionFailure::Refused, 9700));
        QVERIFY2(d.explanation.contains("not running"), qPrintable(d.explanation));
        QVERIFY(d.explanation.contains("127.0.0.1:9700"));
        QVERIFY(d.explanation.contains("systemctl start certkeeper-service"));
        QVERIFY(d.explanation.contains("make run"));
        QVERIFY(!d.explanation.contains("token"));
        QVERIFY(!d.movedTo);
    }

    void refusedWithoutTokenAddsThatItNeverRanHere() {
        const auto d = ConnectionDiagnosis::diagnose(attempt(ConnectionFailure::Refused));
        QVERIFY(d.explanation.contains("not running"));
        QVERIFY2(d.explanation.contains(paths::file(dataDir(), paths::kToken)),
                 qPrintable(d.explanation));
    }

    void refusedWithFaultRecordGivesTheServicesWordsAndTime() {
        FaultRecord fault;
        fault.time = QDateTime(QDate(2026, 3, 4), QTime(5, 6), Qt::UTC);
        fault.kind = QStringLiteral("bind");
        fault.message =
            QStringLiteral("The service cannot listen for the app: port 9696 is in use");
        fault.host = QStringLiteral("127.0.0.1");
        fault.port = 9696;
        QVERIFY(fault.write(dataDir()));
        const auto d = ConnectionDiagnosis::diagnose(attempt(ConnectionFailure::Refused));
        QVERIFY2(d.explanation.contains(fault.message), qPrintable(d.explanation));
        QVERIFY(d.explanation.contains("2026") || d.explanation.contains("26"));
        QVERIFY(d.explanation.contains("not running"));
    }

    void refusedAfterTheServiceMovedOffersTheNewEntry() {
        QString error;
        QVERIFY(ServersConfig::updateLocalEntry(paths::file(dataDir(), paths::kServers),
                                                QStringLiteral("127.0.0.1"), 9698,
                                                paths::file(dataDir(), paths::kToken), &error));
        // A fault from an older failed start must not hide that the service is now elsewhere.
        FaultRecord old;
        old.message = QStringLiteral("old failure");
        QVERIFY(old.write(dataDir()));
        const auto d = ConnectionDiagnosis::diagnose(attempt(ConnectionFailure::Refused, 9696));
        QVERIFY(d.movedTo);
        QCOMPARE(d.movedTo->port, 9698);
        QVERIFY2(d.explanation.contains("moved to port 9698"), qPrintable(d.explanation));
        QVERIFY(d.explanation.contains("reconnecting"));
    }

    void sameAddressInServersJsonIsNotAMove() {
        QString error;
        QVERIFY(ServersConfig::updateLocalEntry(paths::file(dataDir(), paths::kServers),
                                                QStringLiteral("127.0.0.1"), 9696,
                                                paths::file(dataDir(), paths::kToken), &error));
        const auto d = ConnectionDiagnosis::diagnose(attempt(ConnectionFailure::Refused, 9696));
        QVERIFY(!d.movedTo);
        QVERIFY(d.explanation.contains("not running"));
    }

    void timeoutNamesTheWaitAndSuspects() {
        auto a = attempt(ConnectionFailure::Timeout);
        a.timeoutSeconds = 15;
        const auto d = ConnectionDiagnosis::diagnose(a);
        QVERIFY2(d.explanation.contains("did not answer within 15 s"), qPrintable(d.explanation));
        QVERIFY(d.explanation.contains("security software"));
    }

    void unauthorizedWithAReadableTokenIsAMismatch() {
        writeToken("0123\n");
        auto a = attempt(ConnectionFailure::Unauthorized);
        a.serviceDetail = QStringLiteral("The API token is not valid for this service");
        const auto d = ConnectionDiagnosis::diagnose(a);
        QVERIFY(!d.tokenProblem);
        QVERIFY2(d.explanation.contains("does not match"), qPrintable(d.explanation));
        QVERIFY(d.explanation.contains(paths::file(dataDir(), paths::kToken)));
        QVERIFY(d.explanation.contains("another data directory"));
    }

    void unauthorizedWithoutATokenExplainsTheTokenFile() {
        const auto d = ConnectionDiagnosis::diagnose(attempt(ConnectionFailure::Unauthorized));
        QVERIFY(d.tokenProblem);
        QVERIFY2(d.explanation.contains("has not created it yet"), qPrintable(d.explanation));
        QVERIFY(d.explanation.contains("this data directory"));
    }

    void otherErrorsKeepQtsWords() {
        auto a = attempt(ConnectionFailure::Other);
        a.errorText = QStringLiteral("Host not found");
        const auto d = ConnectionDiagnosis::diagnose(a);
        QVERIFY(d.explanation.contains("Host not found"));
        QVERIFY(d.explanation.contains("http://127.0.0.1:9696"));
    }

    void networkErrorsAreClassified() {
        QCOMPARE(classifyNetworkError(QNetworkReply::ConnectionRefusedError),
                 ConnectionFailure::Refused);
        QCOMPARE(classifyNetworkError(QNetworkReply::RemoteHostClosedError),
                 ConnectionFailure::Refused);
        QCOMPARE(classifyNetworkError(QNetworkReply::OperationCanceledError),
                 ConnectionFailure::Timeout);
        QCOMPARE(classifyNetworkError(QNetworkReply::TimeoutError), ConnectionFailure::Timeout);
        QCOMPARE(classifyNetworkError(QNetworkReply::HostNotFoundError), ConnectionFailure::Other);
    }

    void tokenIsTrimmed() {
        writeToken("  cafe01 \n");
        const auto t = ApiToken::read(paths::file(dataDir(), paths::kToken));
        QVERIFY(t.ok());
        QCOMPARE(t.token, QStringLiteral("cafe01"));
    }

    void emptyTokenFileIsAProblem() {
        writeToken("\n");
        const auto t = ApiToken::read(paths::file(dataDir(), paths::kToken));
        QVERIFY(!t.ok());
        QVERIFY(t.problem.contains("empty"));
    }

    void missingTokenSaysTheServiceHasNotCreatedIt() {
        const auto t = ApiToken::read(paths::file(dataDir(), paths::kToken));
        QCOMPARE(t.status, ApiToken::Status::Missing);
        QVERIFY(t.problem.contains("has not created it yet"));
        QVERIFY(t.problem.contains("is it running with this data directory"));
    }

    void permissionDeniedNamesFileOwnerAndGroupAdvice() {
        // Built from errno so that it is tested even as root, who can read any file.
        writeToken("secret");
        const QString path = paths::file(dataDir(), paths::kToken);
        const auto t = ApiToken::unreadable(path, EACCES);
        QCOMPARE(t.status, ApiToken::Status::PermissionDenied);
        QVERIFY2(t.problem.contains(path), qPrintable(t.problem));
        QVERIFY(t.problem.contains("Permission denied"));
        QVERIFY(t.problem.contains("owned by user"));
        QVERIFY(t.problem.contains("group certkeeper"));
        QVERIFY(t.problem.contains("Run as that user"));
    }

    void permissionDeniedBehindADirectoryNamesTheDirectory() {
        const QString path = dataDir() + QStringLiteral("/locked/api.token");
        const auto t = ApiToken::unreadable(path, EACCES);
        QVERIFY2(t.problem.contains(dataDir() + QStringLiteral(" is owned by user")),
                 qPrintable(t.problem));
    }
};

QTEST_GUILESS_MAIN(ConnectionDiagnosisTest)
#include "test_connection_diagnosis.moc"
