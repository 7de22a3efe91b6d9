// The live-events client: the text/event-stream parser on awkward input, and EventStream against
// a small SSE server in this test (a QTcpServer speaking HTTP/1.1), since the service's
// /api/events is not there yet: the request it sends, the events it turns into signals, resuming
// with Last-Event-ID, waiting longer after each refusal, the service's own error words, a silent
// connection given up, LiveUpdates applying the events to the certificate list, and the editor's
// log feed merging the history with the events so that each line shows once.

#include "SseServer.h"
#include "client/ApiClient.h"
#include "client/EventStream.h"
#include "client/SseParser.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace ck;
using namespace std::chrono_literals;

using namespace ck::test;

namespace {
// A stream to `server` that tries again after `first` (then longer, up to `longest`), and what
// it says about its connection.
struct WatchedStream {
    std::unique_ptr<ApiClient> client;
    EventStream stream;
    QSignalSpy connected;
    QSignalSpy disconnected;

    WatchedStream(const SseClients& clients, const SseServer& server,
                  std::chrono::milliseconds first, std::chrono::milliseconds longest)
        : client(clients.clientFor(server)), stream(client.get()),
          connected(&stream, &EventStream::connected),
          disconnected(&stream, &EventStream::disconnected) {
        stream.setRetryDelays(first, longest);
    }
};
} // namespace

class EventStreamTest : public QObject {
    Q_OBJECT
    SseClients m_clients;

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_clients.init()); }

    // --- the parser ---

    void parsesEventsSplitAnywhere() {
        const QByteArray stream = "\xEF\xBB\xBF: welcome\r\n"
                                  "id: 7\r\nevent: progress\r\ndata: {\"a\":1}\r\n\r\n"
                                  "data: first line\rdata: second line\r\rid: 9\n"
                                  "event: log\ndata\ndata:  two spaces\n\n"
                                  "retry: 2500\nunknown: field\n\n";
        for (const int piece : {1, 2, 3, 7, 1000}) {
            SseParser parser;
            const auto events = feedInPieces(parser, stream, piece);
            QCOMPARE(events.size(), 3);
            QCOMPARE(events[0].type, QStringLiteral("progress"));
            QCOMPARE(events[0].data, QByteArray("{\"a\":1}"));
            QCOMPARE(events[0].id, QByteArray("7"));
            QCOMPARE(events[1].type, QStringLiteral("message")); // no event field
            QCOMPARE(events[1].data, QByteArray("first line\nsecond line"));
            QCOMPARE(events[1].id, QByteArray("7")); // the id carries over
            QCOMPARE(events[2].type, QStringLiteral("log"));
            QCOMPARE(events[2].data, QByteArray("\n two spaces")); // one space is removed
            QCOMPARE(events[2].id, QByteArray("9"));
            QCOMPARE(parser.lastEventId(), QByteArray("9"));
            QCOMPARE(parser.retryMs(), std::optional<int>(2500));
        }
    }

    void incompleteEventsAndBadFieldsAreNotDispatched() {
        SseParser parser;
        QVERIFY(parser.feed("event: x\n\n").isEmpty()); // no data: nothing
        const char withNul[] = "id: 1\0002\ndata: a\n";
        QVERIFY(parser.feed(QByteArray(withNul, sizeof(withNul) - 1)).isEmpty()); // not finished
        QCOMPARE(parser.lastEventId(), QByteArray()); // an id with NUL is ignored
        parser.feed("retry: soon\n");
        QCOMPARE(parser.retryMs(), std::nullopt);
        parser.resetConnection(); // the connection broke: the half event is gone
        QVERIFY(parser.feed("\n").isEmpty());
        QCOMPARE(parser.feed("data: b\n\n").size(), 1);
    }

    void aRunawayLineIsAnError() {
        SseParser parser;
        const QByteArray chunk(1024 * 1024, 'x');
        for (int i = 0; i <= SseParser::kMaxLineBytes / chunk.size(); ++i)
            parser.feed(chunk);
        QVERIFY(parser.error().contains("longer than"));
    }

    // --- the stream ---

    void sendsTheTokenAndTurnsEventsIntoSignals() {
        SseServer server;
        auto client = m_clients.clientFor(server);
        EventStream stream(client.get());
        stream.setItemFilter(QStringLiteral("item 1"));
        QSignalSpy connected(&stream, &EventStream::connected);
        QSignalSpy progress(&stream, &EventStream::progress);
        QSignalSpy updated(&stream, &EventStream::itemUpdated);
        QSignalSpy deleted(&stream, &EventStream::itemDeleted);
        QSignalSpy logged(&stream, &EventStream::logEntry);
        QSignalSpy reset(&stream, &EventStream::resetRequested);
        stream.start();
        QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 1, kWaitMs);
        QVERIFY(stream.isConnected());
        const auto request = server.requests.first();
        QCOMPARE(request.target, QByteArray("/api/events?itemId=item%201"));
        QCOMPARE(request.headers.value("authorization"), "Bearer " + QByteArray(64, 'a'));
        QCOMPARE(request.headers.value("accept"), QByteArray("text/event-stream"));
        QVERIFY(!request.headers.contains("last-event-id"));

        server.send("retry: 2000\n: certkeeper events\n\n"); // as the service starts
        server.send(frame("1", "progress",
                          {{"itemId", "i1"},
                           {"step", "validate"},
                           {"message", "Validating shop.example.com"},
                           {"level", "INF"}}));
        server.send(": keep-alive\n\n");
        server.send(frame("2", "itemUpdated", {{"item", itemJson("i1", "Shop", "Success")}}));
        server.send(frame("3", "itemUpdated", {{"itemId", "i2"}, {"deleted", true}}));
        server.send(frame("4", "log",
                          {{"itemId", "i1"},
                           {"entry", QJsonObject{{"time", "2026-05-01T10:00:00.000Z"},
                                                 {"level", "INF"},
                                                 {"message", "Certificate issued"}}}}));
        server.send(frame("5", "somethingNew", {{"itemId", "i1"}})); // ignored
        server.send(frame("5", "reset", {{"reason", "Some events were missed; reload"}}));
        server.send("event: itemUpdated\ndata: not json\n\n"); // ignored
        QTRY_COMPARE_WITH_TIMEOUT(reset.size(), 1, kWaitMs);
        QCOMPARE(reset.first().first().toString(),
                 QStringLiteral("Some events were missed; reload"));
        QCOMPARE(logged.size(), 1);
        QCOMPARE(progress.size(), 1);
        const auto step = progress.first().first().value<RequestProgress>();
        QCOMPARE(step.itemId, QStringLiteral("i1"));
        QCOMPARE(step.step, QStringLiteral("validate"));
        QCOMPARE(step.message, QStringLiteral("Validating shop.example.com"));
        QCOMPARE(step.level, QStringLiteral("INF"));
        QVERIFY(step.isActive()); // a step without a state is a running request's
        QCOMPARE(updated.size(), 1);
        QCOMPARE(updated.first().first().value<ManagedCertificate>().name, QStringLiteral("Shop"));
        QCOMPARE(deleted.size(), 1);
        QCOMPARE(deleted.first().first().toString(), QStringLiteral("i2"));
        QCOMPARE(logged.first().at(1).value<LogEntry>().message,
                 QStringLiteral("Certificate issued"));
        QCOMPARE(stream.lastEventId(), QByteArray("5"));
    }

    void resumesWithTheLastEventIdAfterTheConnectionDrops() {
        SseServer server;
        WatchedStream watched(m_clients, server, 50ms, 200ms);
        auto& [client, stream, connected, disconnected] = watched;
        QSignalSpy progress(&stream, &EventStream::progress);
        stream.start();
        QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 1, kWaitMs);
        server.send(frame("41", "progress", {{"itemId", "i1"}, {"state", "Running"}}));
        server.send(frame("42", "progress", {{"itemId", "i1"}, {"state", "Running"}}));
        QTRY_COMPARE_WITH_TIMEOUT(progress.size(), 2, kWaitMs);

        server.closeStreams();
        QTRY_COMPARE_WITH_TIMEOUT(disconnected.size(), 1, kWaitMs);
        QVERIFY(disconnected.first().first().value<ApiError>().detail.contains("closed"));
        QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 2, kWaitMs);
        QCOMPARE(server.requests.size(), 2);
        QCOMPARE(server.requests[1].headers.value("last-event-id"), QByteArray("42"));
        QCOMPARE(server.openStreams(), 1);
    }

    void waitsLongerAfterEachRefusalAndSaysWhatTheServiceSaid() {
        SseServer server;
        const QString detail = QStringLiteral("The token is not valid for this service");
        for (int i = 0; i < 3; ++i)
            server.scripted.append(problemAnswer(401, "Unauthorized", detail));
        WatchedStream watched(m_clients, server, 100ms, 250ms);
        auto& [client, stream, connected, disconnected] = watched;
        stream.start();
        QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 1, kWaitMs); // the fourth attempt is served
        QCOMPARE(disconnected.size(), 3);
        QList<std::chrono::milliseconds> delays;
        for (const auto& args : disconnected) {
            const auto error = args.at(0).value<ApiError>();
            QCOMPARE(error.detail, detail); // the service's words, not its JSON
            QCOMPARE(error.kind, ApiError::Kind::Unauthorized);
            delays.append(args.at(1).value<std::chrono::milliseconds>());
        }
        QCOMPARE(delays, (QList<std::chrono::milliseconds>{100ms, 200ms, 250ms}));
    }

    void aServiceWithoutTheRouteIsRetriedQuietly() {
        SseServer server;
        server.scripted.append("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n"
                               "Connection: close\r\n\r\n");
        WatchedStream watched(m_clients, server, 50ms, 50ms);
        auto& [client, stream, connected, disconnected] = watched;
        stream.start();
        QTRY_COMPARE_WITH_TIMEOUT(disconnected.size(), 1, kWaitMs);
        const auto error = disconnected.first().first().value<ApiError>();
        QCOMPARE(error.kind, ApiError::Kind::NotFound);
        QVERIFY2(error.detail.contains("404"), qPrintable(error.detail));
        QCOMPARE(stream.state(), EventStream::State::WaitingToRetry);
        QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 1, kWaitMs);

        stream.stop();
        QCOMPARE(stream.state(), EventStream::State::Stopped);
        QTRY_COMPARE_WITH_TIMEOUT(server.openStreams(), 0, kWaitMs);
        QTest::qWait(200);
        QCOMPARE(server.requests.size(), 2); // stopped means no more attempts
    }

    void notAnEventStreamIsRefused() {
        SseServer server;
        server.scripted.append("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                               "Content-Length: 2\r\nConnection: close\r\n\r\n{}");
        auto client = m_clients.clientFor(server);
        EventStream stream(client.get());
        QSignalSpy disconnected(&stream, &EventStream::disconnected);
        stream.start();
        QTRY_COMPARE_WITH_TIMEOUT(disconnected.size(), 1, kWaitMs);
        QVERIFY(disconnected.first().first().value<ApiError>().detail.contains(
            "application/json, not an event stream"));
        QVERIFY(!stream.isConnected());
    }

    void aSilentStreamIsMadeAgain() {
        SseServer server;
        WatchedStream watched(m_clients, server, 50ms, 50ms);
        auto& [client, stream, connected, disconnected] = watched;
        stream.setIdleTimeout(300ms);
        stream.start();
        QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 1, kWaitMs);
        // Keep-alive comments keep it open...
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < 900) {
            server.send(": ping\n");
            QTest::qWait(100);
        }
        QCOMPARE(disconnected.size(), 0);
        // ...silence does not.
        QTRY_COMPARE_WITH_TIMEOUT(disconnected.size(), 1, kWaitMs);
        QVERIFY(disconnected.first().first().value<ApiError>().detail.contains("sent nothing"));
        QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 2, kWaitMs);
    }
};

QTEST_MAIN(EventStreamTest)
#include "test_event_stream.moc"
