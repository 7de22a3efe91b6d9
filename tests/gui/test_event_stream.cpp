// The live-events client: the text/event-stream parser on awkward input, and EventStream against
// a small SSE server in this test (a QTcpServer speaking HTTP/1.1), since the service's
// /api/events is not there yet: the request it sends, the events it turns into signals, resuming
// with Last-Event-ID, waiting longer after each refusal, the service's own error words, a silent
// connection given up, LiveUpdates applying the events to the certificate list, and the editor's
// log feed merging the history with the events so that each line shows once.

#include "CertificateListModel.h"
#include "ItemLogFeed.h"
#include "ItemLogModel.h"
#include "LiveUpdates.h"
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
using ck::gui::CertificateListModel;
using ck::gui::ItemLogFeed;
using ck::gui::ItemLogModel;
using ck::gui::LiveUpdates;

namespace {
constexpr int kWaitMs = 5000;

QList<SseEvent> feedInPieces(SseParser& parser, const QByteArray& bytes, int pieceSize) {
    QList<SseEvent> events;
    for (qsizetype at = 0; at < bytes.size(); at += pieceSize)
        events += parser.feed(bytes.mid(at, pieceSize));
    return events;
}

QByteArray frame(const QByteArray& id, const QByteArray& type, const QJsonObject& data) {
    return "id: " + id + "\nevent: " + type +
           "\ndata: " + QJsonDocument(data).toJson(QJsonDocument::Compact) + "\n\n";
}

QJsonObject itemJson(const QString& id, const QString& name, const QString& status) {
    ManagedCertificate item;
    item.id = id;
    item.name = name;
    item.version = 2;
    item.requestConfig.primaryDomain = name + QStringLiteral(".example.com");
    item.requestConfig.subjectAlternativeNames = {item.requestConfig.primaryDomain};
    item.lastRenewalStatus = *requestStateFromString(status);
    return toJson(item);
}

LogEntry logLine(int second, const QString& message) {
    return {QDateTime(QDate(2026, 5, 1), QTime(10, 0, second), Qt::UTC), QStringLiteral("INF"),
            message};
}

// GET .../log's answer. The service reads the lines from the log file, which has local times; its
// events carry UTC: the same line either way.
QJsonObject historyOf(const QList<LogEntry>& entries) {
    QJsonArray array;
    for (const LogEntry& entry : entries) {
        QJsonObject o = entry.toJson();
        o["time"] = entry.time.toOffsetFromUtc(2 * 3600).toString(Qt::ISODateWithMs);
        array.append(o);
    }
    return {{"entries", array}};
}

QByteArray logFrame(const QByteArray& id, const QString& itemId, const LogEntry& entry) {
    return frame(id, "log", {{"itemId", itemId}, {"entry", entry.toJson()}});
}

// A tiny HTTP/1.1 server for one kind of route: each request is recorded, then answered with the
// next scripted answer (or, when none is left, an open event stream the test writes into).
// Requests for paths starting with holdPrefix wait until the test answers them (answerHeld), so
// it decides what arrives first.
class SseServer : public QObject {
public:
    struct Request {
        QByteArray target;
        QHash<QByteArray, QByteArray> headers; // lower-case names
    };

    SseServer() {
        QVERIFY(m_server.listen(QHostAddress::LocalHost, 0));
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* socket = m_server.nextPendingConnection())
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { read(socket); });
        });
    }

    int port() const { return m_server.serverPort(); }
    QList<Request> requests;
    QList<QByteArray> scripted; // whole HTTP answers, sent and then the connection closed

    // Writes into the newest open stream.
    void send(const QByteArray& bytes) {
        QVERIFY(!m_streams.isEmpty() && m_streams.last());
        m_streams.last()->write(bytes);
        m_streams.last()->flush();
    }
    void closeStreams() {
        for (auto& socket : m_streams)
            if (socket)
                socket->disconnectFromHost();
        m_streams.clear();
    }
    QByteArray holdPrefix;
    int heldCount() const { return int(m_held.size()); }
    // Answers the oldest held request with 200 and a JSON body.
    void answerHeld(const QJsonObject& body) {
        QVERIFY(!m_held.isEmpty());
        QPointer<QTcpSocket> socket = m_held.takeFirst();
        QVERIFY(socket);
        const QByteArray json = QJsonDocument(body).toJson(QJsonDocument::Compact);
        socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                      QByteArray::number(json.size()) + "\r\nConnection: close\r\n\r\n" + json);
        socket->disconnectFromHost();
    }
    int openStreams() const {
        int n = 0;
        for (const auto& socket : m_streams)
            n += socket && socket->state() == QAbstractSocket::ConnectedState;
        return n;
    }

private:
    void read(QTcpSocket* socket) {
        QByteArray& buffer = m_buffers[socket];
        buffer += socket->readAll();
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const QList<QByteArray> lines = buffer.left(end).split('\n');
        buffer.clear();
        Request request;
        request.target = lines.value(0).split(' ').value(1);
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines[i].trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon > 0)
                request.headers.insert(line.left(colon).toLower(), line.mid(colon + 1).trimmed());
        }
        requests.append(request);
        if (!holdPrefix.isEmpty() && request.target.startsWith(holdPrefix)) {
            m_held.append(socket);
            return;
        }
        if (!scripted.isEmpty()) {
            socket->write(scripted.takeFirst());
            socket->disconnectFromHost();
            return;
        }
        socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                      "Cache-Control: no-store\r\nConnection: close\r\n\r\n");
        socket->flush();
        m_streams.append(socket);
    }

    QTcpServer m_server;
    QHash<QTcpSocket*, QByteArray> m_buffers;
    QList<QPointer<QTcpSocket>> m_streams;
    QList<QPointer<QTcpSocket>> m_held;
};

QByteArray problemAnswer(int status, const QByteArray& reason, const QString& detail) {
    const QByteArray body = QJsonDocument(QJsonObject{{"type", "about:blank"},
                                                      {"title", QString::fromLatin1(reason)},
                                                      {"status", status},
                                                      {"detail", detail}})
                                .toJson(QJsonDocument::Compact);
    return "HTTP/1.1 " + QByteArray::number(status) + " " + reason +
           "\r\nContent-Type: application/problem+json\r\nContent-Length: " +
           QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}
} // namespace

class EventStreamTest : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_tokenFile;

    std::unique_ptr<ApiClient> clientFor(const SseServer& server) {
        ServerEntry entry;
        entry.port = server.port();
        entry.tokenFile = m_tokenFile;
        return std::make_unique<ApiClient>(entry, m_dir.path());
    }

private Q_SLOTS:
    void initTestCase() {
        m_tokenFile = m_dir.filePath(QStringLiteral("api.token"));
        QFile token(m_tokenFile);
        QVERIFY(token.open(QIODevice::WriteOnly));
        token.write(QByteArray(64, 'a'));
        token.close();
        QVERIFY(token.setPermissions(QFile::ReadOwner | QFile::WriteOwner));
    }

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
        auto client = clientFor(server);
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
        auto client = clientFor(server);
        EventStream stream(client.get());
        stream.setRetryDelays(50ms, 200ms);
        QSignalSpy connected(&stream, &EventStream::connected);
        QSignalSpy disconnected(&stream, &EventStream::disconnected);
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
        auto client = clientFor(server);
        EventStream stream(client.get());
        stream.setRetryDelays(100ms, 250ms);
        QSignalSpy connected(&stream, &EventStream::connected);
        QSignalSpy disconnected(&stream, &EventStream::disconnected);
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
        auto client = clientFor(server);
        EventStream stream(client.get());
        stream.setRetryDelays(50ms, 50ms);
        QSignalSpy disconnected(&stream, &EventStream::disconnected);
        QSignalSpy connected(&stream, &EventStream::connected);
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
        auto client = clientFor(server);
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
        auto client = clientFor(server);
        EventStream stream(client.get());
        stream.setIdleTimeout(300ms);
        stream.setRetryDelays(50ms, 50ms);
        QSignalSpy connected(&stream, &EventStream::connected);
        QSignalSpy disconnected(&stream, &EventStream::disconnected);
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

    void liveUpdatesChangeTheList() {
        SseServer server;
        auto client = clientFor(server);
        CertificateListModel model;
        ManagedCertificate shop;
        QList<FieldError> errors;
        shop = managedCertificateFromJson(itemJson("i1", "Shop", "NotRunning"), &errors);
        const ManagedCertificate blog =
            managedCertificateFromJson(itemJson("i2", "Blog", "NotRunning"), &errors);
        model.upsert({shop, blog});
        LiveUpdates live(client.get(), &model);
        QSignalSpy liveChanged(&live, &LiveUpdates::liveChanged);
        QSignalSpy reload(&live, &LiveUpdates::reloadNeeded);
        QSignalSpy lines(&live, &LiveUpdates::logLine);
        live.start();
        QTRY_VERIFY_WITH_TIMEOUT(live.isLive(), kWaitMs);
        QCOMPARE(liveChanged.first().first().toBool(), true);
        QCOMPARE(reload.size(), 1); // a (re)connection reloads once

        const auto healthOf = [&](const QString& id) {
            return model.index(model.rowOfId(id), CertificateListModel::HealthColumn).data();
        };
        server.send(frame("0", "itemUpdated", {{"item", itemJson("i1", "Shop", "Running")}}));
        server.send(frame("1", "progress",
                          {{"itemId", "i1"},
                           {"step", "authorize"},
                           {"message", "Answering the http-01 challenge"}}));
        QTRY_COMPARE_WITH_TIMEOUT(healthOf("i1").toString(),
                                  QStringLiteral("Requesting: Answering the http-01 challenge"),
                                  kWaitMs);
        QVERIFY(
            model.index(model.rowOfId("i1"), 0).data(CertificateListModel::ActiveRole).toBool());

        server.send(frame("2", "log",
                          {{"itemId", "i1"},
                           {"entry", QJsonObject{{"level", "INF"}, {"message", "Order ready"}}}}));
        QTRY_COMPARE_WITH_TIMEOUT(lines.size(), 1, kWaitMs);
        QCOMPARE(lines.first().at(1).toString(), QStringLiteral("Shop")); // named for people

        QJsonObject done = itemJson("i1", "Shop renamed", "Error");
        done["renewalFailureMessage"] = QStringLiteral("The CA said no");
        server.send(frame("3", "itemUpdated", {{"item", done}}));
        server.send(frame("4", "itemUpdated", {{"itemId", "i2"}, {"deleted", true}}));
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 1, kWaitMs);
        QCOMPARE(model.item(model.rowOfId("i1")).name, QStringLiteral("Shop renamed"));
        QCOMPARE(healthOf("i1").toString(), QStringLiteral("Error")); // the progress is over
        server.send(frame("5", "progress", {{"itemId", "i1"}, {"message", "late line"}}));
        server.send(frame("6", "reset", {{"reason", "missed"}}));
        QTRY_COMPARE_WITH_TIMEOUT(reload.size(), 2, kWaitMs); // reset: reload once more
        QCOMPARE(healthOf("i1").toString(), QStringLiteral("Error"));
        QCOMPARE(model.index(model.rowOfId("i1"), CertificateListModel::HealthColumn)
                     .data(Qt::ToolTipRole)
                     .toString(),
                 QStringLiteral("The CA said no"));

        server.closeStreams();
        QTRY_VERIFY_WITH_TIMEOUT(!liveChanged.last().first().toBool(), kWaitMs);
        QVERIFY(!live.isLive());
    }

    void theLogFeedShowsEachLineOnceWhicheverWayItCameFirst() {
        SseServer server;
        server.holdPrefix = "/api/managedcertificates/i1/log";
        auto client = clientFor(server);
        ItemLogModel model;
        ItemLogFeed feed(client.get(), QStringLiteral("i1"), nullptr);
        connect(&feed, &ItemLogFeed::appended, &model, &ItemLogModel::appendEntries);
        connect(&feed, &ItemLogFeed::replaced, &model, &ItemLogModel::setEntries);
        feed.setFallbackInterval(1h);
        const LogEntry a = logLine(1, "Order created"), b = logLine(2, "Authorizing"),
                       c = logLine(3, "Validating"), d = logLine(4, "Answering http-01"),
                       e = logLine(5, "Certificate issued"), f = logLine(6, "Deployed"),
                       g = logLine(7, "Renewal scheduled");
        using Lines = QList<LogEntry>;

        feed.start();
        QTRY_VERIFY_WITH_TIMEOUT(feed.isLive(), kWaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(server.heldCount(), 1, kWaitMs);
        // The first history was asked for before the stream opened: a line written between the
        // two (c) would be in neither, so the history is read once more. c's event waits for it.
        server.send(logFrame("11", "i1", c));
        server.answerHeld(historyOf({a, b}));
        QTRY_COMPARE_WITH_TIMEOUT(model.entries(), (Lines{a, b}), kWaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(server.heldCount(), 1, kWaitMs);
        server.send(logFrame("12", "i2", logLine(3, "another certificate's line")));
        // c and d (twice in one millisecond: two lines) were written before this read, and
        // their events come too.
        server.answerHeld(historyOf({a, b, c, d, d}));
        QTRY_COMPARE_WITH_TIMEOUT(model.entries(), (Lines{a, b, c, d, d}), kWaitMs);
        server.send(logFrame("13", "i1", d));
        server.send(logFrame("14", "i1", d));
        server.send(logFrame("15", "i1", e));
        QTRY_COMPARE_WITH_TIMEOUT(model.entries(), (Lines{a, b, c, d, d, e}), kWaitMs);
        QCOMPARE(feed.historyReads(), 2); // the new line came as an event, not by a poll

        // Without the stream the history is polled, and the line written meanwhile comes so.
        feed.setFallbackInterval(100ms);
        server.closeStreams();
        QTRY_VERIFY_WITH_TIMEOUT(!feed.isLive(), kWaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(server.heldCount(), 1, kWaitMs);
        server.answerHeld(historyOf({a, b, c, d, d, e, f}));
        QTRY_COMPARE_WITH_TIMEOUT(model.entries(), (Lines{a, b, c, d, d, e, f}), kWaitMs);
        // The stream comes back (after a second): the history is read again, and g, written as
        // it opened, is in the history and comes as an event: shown once.
        QTRY_VERIFY_WITH_TIMEOUT(feed.isLive(), kWaitMs);
        server.send(logFrame("16", "i1", g));
        for (int quiet = 0; quiet < 5; QTest::qWait(100)) { // every read asked, until none comes
            if (server.heldCount() == 0) {
                ++quiet;
                continue;
            }
            server.answerHeld(historyOf({a, b, c, d, d, e, f, g}));
            quiet = 0;
        }
        QCOMPARE(model.entries(), (Lines{a, b, c, d, d, e, f, g}));
        const int reads = feed.historyReads();
        const LogEntry h = logLine(8, "Next renewal in 60 days");
        server.send(logFrame("17", "i1", h));
        QTRY_COMPARE_WITH_TIMEOUT(model.entries(), (Lines{a, b, c, d, d, e, f, g, h}), kWaitMs);
        QTest::qWait(300);
        QCOMPARE(feed.historyReads(), reads); // live again: no more polling
    }
};

QTEST_MAIN(EventStreamTest)
#include "test_event_stream.moc"
