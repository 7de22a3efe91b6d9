#include "DnsWire.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QNetworkDatagram>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QUdpSocket>

namespace ck::test::dns {
namespace {

// Reads from a received message, remembering whether it ran past the end.
struct Reader {
    const QByteArray& wire;
    qsizetype pos = 0;
    bool bad = false;

    quint8 u8(qsizetype at) {
        if (at < 0 || at >= wire.size()) {
            bad = true;
            return 0;
        }
        return quint8(wire[at]);
    }
    quint16 u16() {
        const quint16 value = quint16((u8(pos) << 8) | u8(pos + 1));
        pos += 2;
        return value;
    }
    quint32 u32() {
        const quint32 high = u16();
        return (high << 16) | u16();
    }
    // A possibly compressed name; the jump limit stops pointer loops in broken answers.
    QString name() {
        QString result;
        qsizetype at = pos;
        bool jumped = false;
        for (int jumps = 0; !bad && jumps < 64;) {
            const quint8 length = u8(at);
            if ((length & 0xC0) == 0xC0) {
                if (!jumped)
                    pos = at + 2;
                jumped = true;
                at = ((length & 0x3F) << 8) | u8(at + 1);
                ++jumps;
                continue;
            }
            if (length == 0) {
                if (!jumped)
                    pos = at + 1;
                return result.isEmpty() ? QStringLiteral(".") : result.toLower();
            }
            if (at + 1 + length > wire.size())
                break;
            result += QString::fromLatin1(wire.mid(at + 1, length)) + u'.';
            at += 1 + length;
        }
        bad = true;
        return {};
    }
};

QList<Record> readRecords(Reader& reader, int count) {
    QList<Record> records;
    for (int i = 0; i < count && !reader.bad; ++i) {
        Record record;
        record.name = reader.name();
        record.type = reader.u16();
        record.klass = reader.u16();
        record.ttl = reader.u32();
        const quint16 length = reader.u16();
        if (reader.pos + length > reader.wire.size())
            reader.bad = true;
        record.rdata = reader.wire.mid(reader.pos, length);
        reader.pos += length;
        records.append(record);
    }
    return records;
}

void setError(QString* error, const QString& text) {
    if (error)
        *error = text;
}

} // namespace

void appendU16(QByteArray& out, quint16 value) {
    out.append(char(value >> 8)).append(char(value & 0xFF));
}

void appendU32(QByteArray& out, quint32 value) {
    appendU16(out, quint16(value >> 16));
    appendU16(out, quint16(value & 0xFFFF));
}

QByteArray encodeName(const QString& name) {
    QByteArray out;
    for (const QString& label : name.toLower().split(u'.', Qt::SkipEmptyParts)) {
        const QByteArray bytes = label.toLatin1();
        out.append(char(bytes.size())).append(bytes);
    }
    return out.append('\0');
}

QByteArray buildQuery(quint16 id, const QString& name, quint16 type) {
    QByteArray out;
    appendU16(out, id);
    appendU16(out, 0); // standard query, RD=0: the peers are authoritative
    appendU16(out, 1); // one question
    appendU16(out, 0);
    appendU16(out, 0);
    appendU16(out, 0);
    out += encodeName(name);
    appendU16(out, type);
    appendU16(out, IN);
    return out;
}

std::optional<Message> parse(const QByteArray& wire) {
    Reader reader{wire};
    Message message;
    message.id = reader.u16();
    message.flags = reader.u16();
    const int questions = reader.u16();
    const int answers = reader.u16();
    const int authority = reader.u16();
    const int additional = reader.u16();
    for (int i = 0; i < questions && !reader.bad; ++i) {
        reader.name();
        reader.pos += 4; // type and class
    }
    message.answers = readRecords(reader, answers);
    message.authority = readRecords(reader, authority);
    message.additional = readRecords(reader, additional);
    if (reader.bad)
        return std::nullopt;
    return message;
}

QByteArray exchange(const QString& host, int port, const QByteArray& message, bool tcp,
                    int timeoutMs, QString* error) {
    const QHostAddress address(host);
    const quint16 id = quint16((quint8(message[0]) << 8) | quint8(message[1]));
    QElapsedTimer timer;
    timer.start();
    const auto remaining = [&] { return int(qMax<qint64>(0, timeoutMs - timer.elapsed())); };
    if (!tcp) {
        QUdpSocket socket;
        socket.writeDatagram(message, address, quint16(port));
        while (socket.waitForReadyRead(remaining())) {
            while (socket.hasPendingDatagrams()) {
                const QByteArray answer = socket.receiveDatagram().data();
                if (answer.size() >= 2 && quint8(answer[0]) == (id >> 8) &&
                    quint8(answer[1]) == (id & 0xFF))
                    return answer; // anything else is a stray answer to an earlier query
            }
        }
        setError(error, QStringLiteral("no UDP answer from %1:%2").arg(host).arg(port));
        return {};
    }
    QTcpSocket socket;
    socket.connectToHost(address, quint16(port));
    if (!socket.waitForConnected(remaining())) {
        setError(error, socket.errorString());
        return {};
    }
    QByteArray framed;
    appendU16(framed, quint16(message.size()));
    socket.write(framed + message);
    QByteArray buffer;
    while (socket.waitForReadyRead(remaining())) {
        buffer += socket.readAll();
        if (buffer.size() >= 2) {
            const int length = (quint8(buffer[0]) << 8) | quint8(buffer[1]);
            if (buffer.size() >= 2 + length)
                return buffer.mid(2, length);
        }
    }
    setError(error, QStringLiteral("no TCP answer from %1:%2").arg(host).arg(port));
    return {};
}

std::optional<Message> query(const QString& host, int port, const QString& name, quint16 type,
                             int timeoutMs, QString* error) {
    const auto id = quint16(QRandomGenerator::global()->bounded(1, 0xFFFF));
    const QByteArray request = buildQuery(id, name, type);
    for (const bool tcp : {false, true}) {
        const QByteArray answer = exchange(host, port, request, tcp, timeoutMs, error);
        if (answer.isEmpty())
            return std::nullopt;
        auto message = parse(answer);
        if (!message)
            setError(error, QStringLiteral("unparsable DNS answer"));
        if (!message || !message->truncated())
            return message;
    }
    return std::nullopt;
}

QString txtValue(const QByteArray& rdata) {
    QByteArray value;
    for (qsizetype at = 0; at < rdata.size();) {
        const int length = quint8(rdata[at]);
        value += rdata.mid(at + 1, length);
        at += 1 + length;
    }
    return QString::fromUtf8(value);
}

QString ipv4(const QByteArray& rdata) {
    if (rdata.size() != 4)
        return {};
    return QStringLiteral("%1.%2.%3.%4")
        .arg(quint8(rdata[0]))
        .arg(quint8(rdata[1]))
        .arg(quint8(rdata[2]))
        .arg(quint8(rdata[3]));
}

} // namespace ck::test::dns
