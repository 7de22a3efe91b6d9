#pragma once
// A small Server-Sent Events server for tests of the live-events client (a QTcpServer speaking
// HTTP/1.1 on loopback), and the frames, items and log lines the tests send through it.

#include "client/ApiClient.h"
#include "client/SseParser.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

namespace ck::test {

constexpr int kWaitMs = 5000;

inline QList<SseEvent> feedInPieces(SseParser& parser, const QByteArray& bytes, int pieceSize) {
    QList<SseEvent> events;
    for (qsizetype at = 0; at < bytes.size(); at += pieceSize)
        events += parser.feed(bytes.mid(at, pieceSize));
    return events;
}

inline QByteArray frame(const QByteArray& id, const QByteArray& type, const QJsonObject& data) {
    return "id: " + id + "\nevent: " + type +
           "\ndata: " + QJsonDocument(data).toJson(QJsonDocument::Compact) + "\n\n";
}

inline QJsonObject itemJson(const QString& id, const QString& name, const QString& status) {
    ManagedCertificate item;
    item.id = id;
    item.name = name;
    item.version = 2;
    item.requestConfig.primaryDomain = name + QStringLiteral(".example.com");
    item.requestConfig.subjectAlternativeNames = {item.requestConfig.primaryDomain};
    item.lastRenewalStatus = *requestStateFromString(status);
    return toJson(item);
}

inline LogEntry logLine(int second, const QString& message) {
    return {QDateTime(QDate(2026, 5, 1), QTime(10, 0, second), Qt::UTC), QStringLiteral("INF"),
            message};
}

// GET .../log's answer. The service reads the lines from the log file, which has local times; its
// events carry UTC: the same line either way.
inline QJsonObject historyOf(const QList<LogEntry>& entries) {
    QJsonArray array;
    for (const LogEntry& entry : entries) {
        QJsonObject o = entry.toJson();
        o["time"] = entry.time.toOffsetFromUtc(2 * 3600).toString(Qt::ISODateWithMs);
        array.append(o);
    }
    return {{"entries", array}};
}

inline QByteArray logFrame(const QByteArray& id, const QString& itemId, const LogEntry& entry) {
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

inline QByteArray problemAnswer(int status, const QByteArray& reason, const QString& detail) {
    const QByteArray body = QJsonDocument(QJsonObject{{"type", "about:blank"},
                                                      {"title", QString::fromLatin1(reason)},
                                                      {"status", status},
                                                      {"detail", detail}})
                                .toJson(QJsonDocument::Compact);
    return "HTTP/1.1 " + QByteArray::number(status) + " " + reason +
           "\r\nContent-Type: application/problem+json\r\nContent-Length: " +
           QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

// A data directory with an API token, and clients of an SseServer that send it.
class SseClients {
public:
    bool init() {
        m_tokenFile = m_dir.filePath(QStringLiteral("api.token"));
        QFile token(m_tokenFile);
        if (!token.open(QIODevice::WriteOnly) || token.write(QByteArray(64, 'a')) != 64)
            return false;
        token.close();
        return token.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    }

    std::unique_ptr<ApiClient> clientFor(const SseServer& server) const {
        ServerEntry entry;
        entry.port = server.port();
        entry.tokenFile = m_tokenFile;
        return std::make_unique<ApiClient>(entry, m_dir.path());
    }

private:
    QTemporaryDir m_dir;
    QString m_tokenFile;
};

} // namespace ck::test
